"""The record accounting in words: every input record counted, excluded (why) or rejected (why)."""

from __future__ import annotations

from collections.abc import Mapping

from pbrrules.statement import wording


def accounting_lines(accounting: Mapping[str, object]) -> list[str]:
    """One sentence per table: rows read, counted, excluded and rejected, with the reasons."""
    shared = accounting.get("shared")
    lines = [f"{str(shared)[0].upper()}{str(shared)[1:]}."] if shared else []
    for key, table in sorted(accounting.items()):
        if key == "shared":
            continue
        if not isinstance(table, Mapping) or "rows" not in table:
            lines.append(f"{key}: {table}")
            continue
        name = str(table.get("table", key)).replace("_", " ")
        parts = [f"{_count(table.get('counted'))} counted"]
        for field in ("excluded", "rejected"):
            reasons = table.get(field)
            if isinstance(reasons, list) and reasons:
                listed = "; ".join(
                    f"{_count(r.get('records'))} {r.get('reason')}"
                    for r in reasons
                    if isinstance(r, Mapping)
                )
                total = sum(int(r.get("records", 0)) for r in reasons if isinstance(r, Mapping))
                parts.append(f"{wording.count(total)} {field} ({listed})")
            else:
                parts.append(f"0 {field}")
        lines.append(f"{name}: {_count(table.get('rows'))} records: {', '.join(parts)}")
    return lines


def _count(value: object) -> str:
    return wording.count(value) if isinstance(value, int) else str(value)
