"""The statement's JSON Schema, shipped inside the package.

``docs/statement.schema.json`` is the one copy that is edited; the package holds it through a
symlink (``statement/statement.schema.json``), as it holds the grammar, so a wheel carries it and a
caller can validate a statement without the repository: ``json_schema()``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

FILE = "statement.schema.json"


@functools.cache
def schema_text() -> str:
    """The schema's text, read from the installed package."""
    return resources.files("pbrrules.statement").joinpath(FILE).read_text(encoding="utf-8")


def json_schema() -> dict[str, object]:
    """The schema as Python data (a new dict each call, so a caller may change it freely)."""
    loaded: dict[str, object] = json.loads(schema_text())
    return loaded
