"""``pbr-eval run`` and ``pbr-eval test`` (the pay stage's commands; being written)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``run`` and ``test`` commands to the command line (none yet)."""
