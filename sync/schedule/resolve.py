"""Which spans apply to one mode on one local date, by the document's precedence.

Precedence, most specific first: special hours for the date, then the holiday rule on
a public holiday or the make-up rule on a make-up working day (only in years the
calendar covers), then the regular weekly hours. Temporary closures are instant
ranges and are applied later, on top of all of this.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .calendar import DayKind, HolidayCalendar
from .model import DayHours, Mode, StationSchedule, Weekday

__all__ = ["DayResolver"]


class DayResolver:
    """Resolves a document's spans per date; reports years the calendar lacks."""

    def __init__(
        self,
        document: StationSchedule,
        calendar: HolidayCalendar,
        on_uncovered: Callable[[int], None],
    ) -> None:
        self._document = document
        self._calendar = calendar
        self._on_uncovered = on_uncovered
        # Reversed so the first match is the last entry listed: later entries win.
        self._special = tuple(reversed(document.special))

    def spans(self, day: date, mode: Mode, *, report: bool = True) -> DayHours:
        """The spans of `mode` that start on `day`."""
        for entry in self._special:
            if entry.covers(day):
                override = entry.of(mode)
                if override is not None:
                    return override
        weekly = self._document.weekly.of(mode)
        kind = self._calendar.day_kind(day)
        if kind is None:
            if report:
                self._on_uncovered(day.year)
            return weekly.on(Weekday.of(day))
        if kind is DayKind.PUBLIC_HOLIDAY:
            rule = self._document.holidays.of(mode)
            if rule == "closed":
                return ()
            if isinstance(rule, tuple):
                return rule
            return weekly.on(Weekday.of(day) if rule == "regular" else Weekday(rule))
        if kind is DayKind.MAKEUP_WORKDAY:
            follows = self._document.makeup_workday_follows
            return weekly.on(Weekday.of(day) if follows == "regular" else Weekday(follows))
        return weekly.on(Weekday.of(day))
