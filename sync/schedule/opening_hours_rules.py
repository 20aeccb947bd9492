"""How a sequence of opening_hours weekday rules combines into one week of hours.

opening_hours evaluates a date by walking the rules in order. A rule that selects the date
and opens it replaces everything collected so far for that date, including what earlier
rules spilled into it past midnight; an `off` rule closes the whole date at its place in
the order, so only rules after it can reopen part of it; a rule's span past midnight is a
rule of its own for the next date, placed right after it and selecting the date after
each date its selector selects (whatever later rules did to that date). A rule without
selector after a rule with one adds to the dates instead of replacing them.

`weekly_hours_of` applies exactly this to the weekday rules and returns the canonical
WeeklyHours, so the document says what the string says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from .model import DayHours, DayNotes, WeeklyHours
from .timespan import MINUTES_PER_DAY
from .week import Minutes, canonical_spans, merge_minutes

__all__ = ["WeekdayRule", "weekly_hours_of"]

_DAY_KEYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_NO_NOTES = DayNotes()


class WeekdayRule(NamedTuple):
    """One rule as written: the weekdays it selects (None: no selector), spans, note."""

    days: frozenset[int] | None
    spans: DayHours
    note: str

    def selects(self, day: int) -> bool:
        """True if the rule selects weekday `day` (Monday 0)."""
        return self.days is None or day in self.days


def weekly_hours_of(rules: Sequence[WeekdayRule]) -> WeeklyHours:
    """The canonical weekly hours the rules give, with each day's note."""
    minutes, notes = zip(*(_one_day(rules, day) for day in range(7)), strict=True)
    spans = canonical_spans(minutes, notes)
    # Already canonical and valid: build without validating again.
    fields: dict[str, Any] = dict(zip(_DAY_KEYS, spans, strict=True))
    day_notes: dict[str, Any] = dict(zip(_DAY_KEYS, notes, strict=True))
    notes_of_days = DayNotes.model_construct(**day_notes) if any(notes) else _NO_NOTES
    return WeeklyHours.model_construct(**fields, notes=notes_of_days)


def _one_day(rules: Sequence[WeekdayRule], day: int) -> tuple[Minutes, str]:
    ranges: list[tuple[int, int]] = []
    note = ""
    for number, rule in enumerate(rules):
        if rule.selects(day):
            if not rule.spans:  # off: closes the whole day at this point
                ranges, note = [], rule.note
            else:
                if _replaces(rules, number):
                    ranges, note = [], rule.note
                else:
                    note = rule.note or note
                ranges += [(s.start, min(s.end, MINUTES_PER_DAY)) for s in rule.spans]
        if rule.selects((day - 1) % 7):
            ranges += [(0, s.end - MINUTES_PER_DAY) for s in rule.spans if s.end > MINUTES_PER_DAY]
    return merge_minutes(ranges), note


def _replaces(rules: Sequence[WeekdayRule], number: int) -> bool:
    if rules[number].days is not None:
        return True
    return number > 0 and rules[number - 1].days is None
