"""The typed rows the measurement's queries return and its later phases read: group sizes,
statuses per unit and per first-N block date. Named, so no phase reads a query's row by position.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple


class SizeRow(NamedTuple):
    """One group of one unit (``sqlgen.SIZES_SQL``): its members, their predicted reoffenders
    (summed where given) and the dates of its first and last index events."""

    pid: int
    block: int
    area: str | None
    control: bool
    n: int
    predicted: Decimal | int | None
    with_predicted: int
    first: datetime.date
    last: datetime.date


class UnitStat(NamedTuple):
    """How many index events of one period and area end in one status (0 a candidate)."""

    pid: int
    area: str | None
    status: int
    n: int


class BlockStat(NamedTuple):
    """Excluded and duplicate index events of a first-N series on one date, to be attributed
    to the block whose dates hold them."""

    pid: int
    area: str | None
    status: int
    day: datetime.date
    n: int
