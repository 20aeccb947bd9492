"""Plain-text tables that line up with Chinese text (wide characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

__all__ = ["render_table", "display_width"]


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Return ``rows`` under ``headers`` as aligned text; '(none)' when there are no rows."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], display_width(text))

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (widths[i] - display_width(v))
                         for i, v in enumerate(values)).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    if not cells:
        out.append("(none)")
    return "\n".join(out)
