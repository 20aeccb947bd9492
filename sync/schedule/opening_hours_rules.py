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
from .prevalidated import prevalidated
from .timespan import MINUTES_PER_DAY
from .week import Minutes, canonical_spans, merge_minutes

__all__ = ["WeekdayRule", "weekly_hours_of"]

_DAY_KEYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_ALL_DAYS = frozenset(range(7))
_NO_NOTES = DayNotes()


class WeekdayRule(NamedTuple):
    """One rule as written: the weekdays it selects (None: no selector), spans, note."""

    days: frozenset[int] | None
    spans: DayHours
    note: str


def weekly_hours_of(rules: Sequence[WeekdayRule]) -> WeeklyHours:
    """The canonical weekly hours the rules give, with each day's note."""
    prepared = [_Prepared.of(rules, number) for number in range(len(rules))]
    minutes, notes = zip(*(_one_day(prepared, day) for day in range(7)), strict=True)
    spans = canonical_spans(minutes, notes)
    # Already canonical and valid: build without validating again.
    fields: dict[str, Any] = dict(zip(_DAY_KEYS, spans, strict=True))
    day_notes: dict[str, Any] = dict(zip(_DAY_KEYS, notes, strict=True))
    notes_of_days = prevalidated(DayNotes, **day_notes) if any(notes) else _NO_NOTES
    return prevalidated(WeeklyHours, **fields, notes=notes_of_days)


class _Prepared(NamedTuple):
    days: frozenset[int]
    own: list[tuple[int, int]]  # the part of each span up to midnight
    spill: list[tuple[int, int]]  # the part past midnight, as minutes of the next day
    closes: bool  # an off rule
    replaces: bool  # opens and replaces what came before for its days
    note: str

    @classmethod
    def of(cls, rules: Sequence[WeekdayRule], number: int) -> _Prepared:
        rule = rules[number]
        # A rule without selector after a rule with one adds to it instead of replacing.
        replaces = rule.days is not None or (number > 0 and rules[number - 1].days is None)
        return cls(
            _ALL_DAYS if rule.days is None else rule.days,
            [(s.start, min(s.end, MINUTES_PER_DAY)) for s in rule.spans],
            [(0, s.end - MINUTES_PER_DAY) for s in rule.spans if s.end > MINUTES_PER_DAY],
            not rule.spans,
            replaces,
            rule.note,
        )


def _one_day(rules: Sequence[_Prepared], day: int) -> tuple[Minutes, str]:
    ranges: list[tuple[int, int]] = []
    note = ""
    before = (day - 1) % 7
    for rule in rules:
        if day in rule.days:
            if rule.closes:  # off: closes the whole day at this point
                ranges, note = [], rule.note
            elif rule.replaces:
                ranges, note = list(rule.own), rule.note
            else:
                ranges, note = ranges + rule.own, rule.note or note
        if rule.spill and before in rule.days:
            ranges = ranges + rule.spill
    return merge_minutes(ranges), note
