"""A week of spans as the minutes each weekday is open, and back to canonical spans.

Within the weekly hours a span that runs past midnight and an early-morning span of the
next day mean the same thing, so a week has one canonical form: each day's open minutes
(`open_minutes`), written back with a late stretch joined to the next morning's
(`canonical_spans`). Equal weeks then compare equal, and parse and export agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from .prevalidated import prevalidated
from .timespan import MINUTES_PER_DAY, TimeSpan

__all__ = [
    "Minutes",
    "WeekMinutes",
    "canonical_spans",
    "merge_minutes",
    "open_minutes",
    "spans_of_minutes",
]

# Sorted, disjoint, non-touching [start, end) minute ranges within one day (0..1440).
Minutes = tuple[tuple[int, int], ...]


def merge_minutes(ranges: Sequence[tuple[int, int]]) -> Minutes:
    """The ranges sorted, with overlapping or touching ones joined; empty ones dropped."""
    if len(ranges) < 2:  # the common day: one span or none
        return tuple(r for r in ranges if r[0] < r[1])
    merged: list[list[int]] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def open_minutes(days: Sequence[Sequence[TimeSpan]]) -> tuple[Minutes, ...]:
    """Each weekday's open minutes: its own spans up to midnight and the day before's spill."""
    if not any(days):
        return ((),) * 7
    return tuple(_day_minutes(days, number) for number in range(7))


class WeekMinutes:
    """open_minutes() of a week, each weekday's worked out when first asked for.

    An evaluator answering its first questions needs a day or two of the week, not seven.
    """

    __slots__ = ("_days", "_minutes", "empty")

    def __init__(self, days: Sequence[Sequence[TimeSpan]]) -> None:
        self._days = days
        self._minutes: list[Minutes | None] = [None] * 7
        self.empty = not any(days)  # open on no day at all

    def __getitem__(self, number: int) -> Minutes:
        """The open minutes of weekday `number` (0 is Monday)."""
        found = self._minutes[number]
        if found is None:
            found = self._minutes[number] = () if self.empty else _day_minutes(self._days, number)
        return found

    def same_every_day(self) -> bool:
        """True if all seven weekdays have the same open minutes."""
        monday = self._days[0]
        if all(day is monday for day in self._days):  # one spans tuple shared (as parsed)
            return True
        return all(self[number] == self[0] for number in range(1, 7))


def _day_minutes(days: Sequence[Sequence[TimeSpan]], number: int) -> Minutes:
    ranges = [(s.start, min(s.end, MINUTES_PER_DAY)) for s in days[number]]
    # Monday's day before is Sunday (index -1).
    ranges += [(0, s.end - MINUTES_PER_DAY) for s in days[number - 1] if s.end > MINUTES_PER_DAY]
    return merge_minutes(ranges)


def canonical_spans(
    minutes: Sequence[Minutes], notes: Sequence[str] = ("",) * 7
) -> tuple[tuple[TimeSpan, ...], ...]:
    """Spans per weekday giving exactly `minutes`, a late stretch joined to the next morning.

    A morning [00:00, x) with x before midnight moves onto the day before when that day is
    open until midnight and the morning's day has no note of its own (or the same one).
    """
    moves = [_moves_to_day_before(minutes, notes, number) for number in range(7)]
    result = []
    made: dict[tuple[tuple[int, int], ...], tuple[TimeSpan, ...]] = {}  # days alike share
    for number, ranges in enumerate(minutes):
        own = list(ranges[1:] if moves[number] else ranges)
        follower = (number + 1) % 7
        if moves[follower]:
            start, _ = own.pop()
            own.append((start, MINUTES_PER_DAY + minutes[follower][0][1]))
        key = tuple(own)
        spans = made.get(key)
        if spans is None:
            spans = made[key] = spans_of_minutes(key)
        result.append(spans)
    return tuple(result)


def spans_of_minutes(ranges: Minutes) -> tuple[TimeSpan, ...]:
    """The spans covering exactly `ranges` (valid minutes: no validation again)."""
    return tuple(prevalidated(TimeSpan, start=start, end=end) for start, end in ranges)


def _moves_to_day_before(minutes: Sequence[Minutes], notes: Sequence[str], number: int) -> bool:
    ranges, before = minutes[number], minutes[number - 1]
    if not ranges or ranges[0][0] != 0 or ranges[0][1] >= MINUTES_PER_DAY:
        return False
    if not before or before[-1][1] != MINUTES_PER_DAY:
        return False
    return notes[number] in ("", notes[number - 1])
