"""Which minutes of one local date a mode is open, by the document's precedence.

Sources, lowest precedence first: the weekly hours; on a public holiday the holiday rule
(unless "regular"), on a make-up working day the make-up rule (unless "regular"), both
only in years the calendar covers; then each special entry naming the mode, in the order
listed. A date belongs to the last source that selects it, which decides the whole date,
from midnight to midnight. A source's span past midnight goes on into the next date
unless that date belongs to a source listed after it. This is how opening_hours reads
"Fr 20:00-02:00; Sa off" (closed Saturday 00:00-02:00) and "Mo-Su 20:00-03:00; PH off"
(closed the holiday's first three hours, open the next day's). Temporary closures are
instant ranges and are applied later, on top of all of this.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from operator import attrgetter

from .calendar import DayKind, HolidayCalendar
from .model import DayHours, Mode, StationSchedule, Weekday
from .timespan import MINUTES_PER_DAY
from .week import Minutes, WeekMinutes, merge_minutes

__all__ = ["DayResolver", "Source"]

# (precedence, spans that start on the date, note): weekly 0, holiday/make-up 1, special 2+i.
Source = tuple[int, DayHours, str]
_WEEKLY, _DAY_KIND, _FIRST_SPECIAL = 0, 1, 2
_SEVEN_DAYS = attrgetter("mo", "tu", "we", "th", "fr", "sa", "su")  # WeeklyHours' days


class DayResolver:
    """Resolves a document's hours per date; reports years the calendar lacks."""

    def __init__(
        self,
        document: StationSchedule,
        calendar: HolidayCalendar,
        on_uncovered: Callable[[int], None],
    ) -> None:
        self._document = document
        self._calendar = calendar
        self._on_uncovered = on_uncovered
        self._special = tuple(enumerate(document.special, start=_FIRST_SPECIAL))
        self._first_special = min((s.start for s in document.special), default=date.max)
        self._last_special = max((s.last for s in document.special), default=date.min)
        # A date whose hours and whose day before's come from the weekly hours alone: the
        # week's minutes, each weekday's computed once (most dates are such).
        self._week = {
            mode: WeekMinutes(_SEVEN_DAYS(document.weekly.of(mode)))
            for mode in (Mode.STAFFED, Mode.SELF_SERVICE)
        }
        self._never_open = {mode: self._has_no_hours(mode) for mode in self._week}

    def sources(self, day: date, mode: Mode, *, report: bool = True) -> list[Source]:
        """Every source that selects `day` for `mode`, lowest precedence first."""
        return [self._weekly_source(day, mode), *self._beyond_weekly(day, mode, report)]

    def report_uncovered(self, first: date, last: date) -> None:
        """Report each year of the dates first..last (inclusive) the calendar lacks."""
        for year in range(first.year, last.year + 1):
            if self._calendar.year(year) is None:
                self._on_uncovered(year)

    def opens_never(self, mode: Mode) -> bool:
        """True if no source has hours for `mode`: it is closed on every date."""
        return self._never_open[mode]

    def minutes_of_days(self, first: date, count: int, mode: Mode) -> list[Minutes]:
        """The open minutes (as `minutes`) of `count` dates from `first` on.

        Dates that only the weekly hours select, after a date that only they select too,
        take the week's minutes directly; only the others are resolved source by source.
        Uncovered years are not reported here (report_uncovered does).
        """
        if self._never_open[mode]:
            return [()] * count
        week = self._week[mode]
        weekday = first.weekday()
        beyond = self._dates_beyond_weekly(first - timedelta(days=1), count + 1, mode)
        if not beyond and week.empty:  # a mode without any hours on these dates
            return [()] * count
        result: list[Minutes] = []
        for i in range(count):
            day = first + timedelta(days=i)
            if day in beyond or day - timedelta(days=1) in beyond:
                yesterday = self.sources(day - timedelta(days=1), mode, report=False)
                result.append(open_minutes_of(self.sources(day, mode, report=False), yesterday))
            else:
                result.append(week[(weekday + i) % 7])
        return result

    def _has_no_hours(self, mode: Mode) -> bool:
        """True if no source has hours for `mode` (rules that follow a weekday follow none)."""
        holiday = self._document.holidays.of(mode)
        return (
            self._week[mode].empty
            and not (isinstance(holiday, tuple) and holiday)
            and not any(entry.of(mode) for _, entry in self._special)
        )

    def _dates_beyond_weekly(self, first: date, count: int, mode: Mode) -> set[date]:
        """The dates among `count` from `first` that a source other than the week selects."""
        last = first + timedelta(days=count - 1)
        found: set[date] = set()
        holidays = self._document.holidays.of(mode) != "regular"
        makeup = self._document.makeup_workday_follows != "regular"
        if holidays or makeup:  # a stretch is a week at most: look its dates up
            dates = [first + timedelta(days=i) for i in range(count)]
            for year in range(first.year, last.year + 1):
                data = self._calendar.year(year)
                if data is not None:
                    found.update(d for d in dates if holidays and d in data.holidays)
                    found.update(d for d in dates if makeup and d in data.makeup_workdays)
        for _, entry in self._special:
            if entry.of(mode) is not None and entry.start <= last and entry.last >= first:
                low, high = max(entry.start, first), min(entry.last, last)
                found.update(low + timedelta(days=i) for i in range((high - low).days + 1))
        return found

    def steady_from(self) -> date | None:
        """A date from which every date has the same minutes in every mode, or None.

        True of a week open all day (or never) in each mode, whose holiday and make-up
        rules give the same, once the last special entry and what it spills are past.
        """
        for mode in (Mode.STAFFED, Mode.SELF_SERVICE):
            week = self._week[mode]
            if week[0] not in ((), ((0, MINUTES_PER_DAY),)):
                return None
            if not week.same_every_day():
                return None
            rule = self._document.holidays.of(mode)
            spans: DayHours | None = () if rule == "closed" else None
            if isinstance(rule, tuple):
                spans = rule
            if spans is not None and open_minutes_of([(0, spans, "")], [(0, spans, "")]) != week[0]:
                return None
        return self._last_special + timedelta(days=2) if self._special else date.min

    def _weekly_source(self, day: date, mode: Mode) -> Source:
        weekly = self._document.weekly.of(mode)
        weekday = Weekday.of(day)
        return (_WEEKLY, weekly.on(weekday), weekly.notes.on(weekday))

    def _beyond_weekly(self, day: date, mode: Mode, report: bool) -> list[Source]:
        """The holiday or make-up rule and the special entries that select `day`."""
        found: list[Source] = []
        weekly = self._document.weekly.of(mode)
        kind = self._calendar.day_kind(day)
        if kind is None:
            if report:
                self._on_uncovered(day.year)
        elif kind is DayKind.PUBLIC_HOLIDAY:
            rule = self._document.holidays.of(mode)
            note = self._document.holidays.note_of(mode)
            if isinstance(rule, Weekday):
                found.append((_DAY_KIND, weekly.on(rule), note))
            elif isinstance(rule, tuple):
                found.append((_DAY_KIND, rule, note))
            elif rule == "closed":
                found.append((_DAY_KIND, (), note))
        elif kind is DayKind.MAKEUP_WORKDAY:
            follows = self._document.makeup_workday_follows
            if isinstance(follows, Weekday):
                found.append((_DAY_KIND, weekly.on(follows), weekly.notes.on(follows)))
        if self._first_special <= day <= self._last_special:
            for rank, entry in self._special:
                spans_or_none = entry.of(mode)
                if spans_or_none is not None and entry.covers(day):
                    found.append((rank, spans_or_none, entry.note))
        return found

    def spans(self, day: date, mode: Mode, *, report: bool = True) -> DayHours:
        """The spans of the source `day` belongs to for `mode` (they may run past midnight)."""
        return self.sources(day, mode, report=report)[-1][1]

    def note(self, day: date, mode: Mode) -> str:
        """The note of the source `day` belongs to for `mode` ("" if it has none)."""
        return self.sources(day, mode, report=False)[-1][2]

    def minutes(self, day: date, mode: Mode, *, report: bool = True) -> Minutes:
        """The minutes (0..1440) of `day` that `mode` is open, before closures."""
        before = self.sources(day - timedelta(days=1), mode, report=False)
        return open_minutes_of(self.sources(day, mode, report=report), before)


def open_minutes_of(today: list[Source], yesterday: list[Source]) -> Minutes:
    """A date's open minutes from its sources and the sources of the date before."""
    owner, spans, _ = today[-1]
    ranges = [(s.start, min(s.end, MINUTES_PER_DAY)) for s in spans]
    for rank, earlier, _ in yesterday:
        if rank >= owner:
            ranges += [(0, s.end - MINUTES_PER_DAY) for s in earlier if s.end > MINUTES_PER_DAY]
    return merge_minutes(ranges)
