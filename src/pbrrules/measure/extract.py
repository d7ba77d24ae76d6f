"""A data folder's own extract date: ``extract.json`` beside the tables (docs/data.md, "The
extract date"), read into an ``AsOf``, or the problem that keeps it from being read (PBR311).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from pbrrules.figures import AsOf
from pbrrules.measure.problems import DataProblem

#: The file beside the tables in which a data folder states its own extract date.
EXTRACT_FILE = "extract.json"
#: The keys ``extract.json`` may hold: the date (required), who took the extract, a note.
EXTRACT_KEYS = ("as_of", "extracted_by", "note")


def read_extract_file(folder: Path) -> tuple[AsOf | None, list[DataProblem]]:
    """The extract date ``folder/extract.json`` states (None when there is no such file), or the
    problems that keep it from being read (PBR311)."""
    path = folder / EXTRACT_FILE
    if not path.is_file():
        return None, []
    try:
        stated = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [_extract_problem(path, f"cannot be read as JSON ({exc})")]
    if not isinstance(stated, dict):
        return None, [_extract_problem(path, "is not a JSON object")]
    unknown = sorted(set(stated) - set(EXTRACT_KEYS))
    if unknown:
        return None, [_extract_problem(path, f"has unknown key(s) {', '.join(unknown)}")]
    day = stated.get("as_of")
    if day is None:
        return None, [_extract_problem(path, "has no as_of date", "as_of")]
    try:
        if not isinstance(day, str) or len(day) != 10:
            raise ValueError(day)
        parsed = datetime.date.fromisoformat(day)
    except ValueError:
        return None, [_extract_problem(path, f"has as_of {day!r}, not a date", "as_of")]
    for key in ("extracted_by", "note"):
        if key in stated and not isinstance(stated[key], str):
            return None, [_extract_problem(path, f"has a {key} that is not text", key)]
    return AsOf(parsed, "extract file", str(path), stated.get("extracted_by")), []


def _extract_problem(path: Path, message: str, column: str | None = None) -> DataProblem:
    return DataProblem.file_problem(
        "extract",
        str(path),
        "PBR311",
        f"the extract file {message}",
        '{"as_of": "YYYY-MM-DD"} with optional "extracted_by" and "note" text',
        column,
    )
