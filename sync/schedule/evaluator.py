"""A compiled schedule: mode at an instant, next change, open intervals.

The document is compiled lazily into one step function (sorted boundaries in epoch
seconds and the mode from each boundary on, steps.py), so a query is one binary search:
the first questions compile their day and the next, later ones a local week at a time
(Monday to Sunday, cut at New Year).
Years the holiday calendar does not cover fall back to weekly hours and are recorded in
`uncovered_years` (and passed to `on_uncovered_year`) instead of failing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .calendar import CalendarSnapshot, HolidayCalendar
from .errors import ScheduleError
from .intervals import Interval, clip, subtract, union
from .localtime import day_bases, local_midnight, require_aware, to_local, wall_to_epoch
from .model import OPEN_MODES, Mode, StationSchedule
from .resolve import DayResolver
from .stats import OpenTimeStats, open_time_stats
from .steps import StepFunction

__all__ = ["DEFAULT_HORIZON", "OpenInterval", "ScheduleEvaluator", "compile_schedule"]

DEFAULT_HORIZON = timedelta(days=400)
_HORIZON_SECONDS = DEFAULT_HORIZON.total_seconds()
# datetime stops at year 9999, and a week's block looks at the day before it.
_FIRST_YEAR, _LAST_YEAR = 2, 9998


class OpenInterval(NamedTuple):
    """A stretch [start, end) of one mode, as aware datetimes in the station's zone.

    Python subtracts two datetimes of the same zone as wall-clock times, which is wrong
    across a DST change; `duration` gives the real elapsed time.
    """

    start: datetime
    end: datetime
    mode: Mode

    @property
    def duration(self) -> timedelta:
        """The real time elapsed from start to end."""
        return timedelta(seconds=self.end.timestamp() - self.start.timestamp())


class ScheduleEvaluator:
    """Answers questions about one schedule document; build with compile_schedule()."""

    def __init__(
        self,
        document: StationSchedule,
        calendar: HolidayCalendar | None = None,
        *,
        on_uncovered_year: Callable[[int], None] | None = None,
    ) -> None:
        self.document = document
        self.calendar = calendar if calendar is not None else HolidayCalendar()
        self._zone = document.zone
        self._callback = on_uncovered_year
        self._uncovered: set[int] = set()
        self._resolver = DayResolver(document, self.calendar, self._record_uncovered)
        self._effective = local_midnight(document.effective_from, self._zone)
        self._closures = {
            mode: union(
                (int(c.start.timestamp()), int(c.end.timestamp()))
                for c in document.closures
                if mode in c.modes
            )
            for mode in OPEN_MODES
        }
        # From this instant on the mode never changes (None: no such instant known).
        self._steady = self._steady_from()
        self._steps = StepFunction()
        # The step function's own lists (filled in place), read directly on the hot paths.
        self._bounds, self._modes = self._steps.bounds, self._steps.modes
        # next_change's answer for each boundary it has given (a bound's mode never
        # changes once compiled), so its aware datetime is made once.
        self._changes: dict[float, tuple[datetime, Mode]] = {}
        self._compiled_days = 0
        self._years: set[int] = set()

    @property
    def uncovered_years(self) -> frozenset[int]:
        """Years evaluated so far whose holidays were unknown (weekly hours were used)."""
        return frozenset(self._uncovered)

    def calendar_snapshot(self) -> CalendarSnapshot:
        """The calendar data of every year evaluated so far, with its fingerprint."""
        return self.calendar.snapshot(self._years)

    def mode_at(self, instant: datetime) -> Mode:
        """The station's mode at an aware instant (staffed beats self-service)."""
        if instant.tzinfo is None:
            require_aware("instant", instant)
        epoch = instant.timestamp()
        mode = self._modes[bisect_right(self._bounds, epoch) - 1]
        if mode is None:
            self._compile_at(epoch)
            return self.mode_at(instant)
        return mode

    def next_change(
        self, instant: datetime, horizon: timedelta = DEFAULT_HORIZON
    ) -> tuple[datetime, Mode] | None:
        """When the mode next changes after `instant`, and to what; None if not within horizon."""
        if instant.tzinfo is None:
            require_aware("instant", instant)
        epoch = instant.timestamp()
        bounds, modes, steady = self._bounds, self._modes, self._steady
        i = bisect_right(bounds, epoch)
        current = modes[i - 1]
        if current is None:
            self._compile_at(epoch)
            i = bisect_right(bounds, epoch)
            current = modes[i - 1]
        limit = epoch + (
            _HORIZON_SECONDS if horizon is DEFAULT_HORIZON else horizon.total_seconds()
        )
        while True:
            bound, mode = bounds[i], modes[i]
            if bound > limit or (mode is None and steady is not None and bound > steady):
                return None  # past the steady instant nothing changes any more
            if mode is None:
                self._compile_at(bound)
            elif mode is not current:
                change = self._changes.get(bound)
                if change is None:
                    change = self._changes[bound] = (
                        datetime.fromtimestamp(bound, self._zone),
                        mode,
                    )
                return change
            else:
                i += 1  # the same mode again (only where weeks compiled apart later met)

    def note_on(self, day: date, mode: Mode) -> str:
        """The note shown with `mode`'s hours on a local date ("by appointment"); "" if none.

        It comes from what decides that date's hours: a special entry, the holiday rule,
        or the weekly hours of its weekday.
        """
        if mode is Mode.CLOSED:
            raise ScheduleError("choose Mode.STAFFED or Mode.SELF_SERVICE; closed has no notes")
        return self._resolver.note(day, mode)

    def open_intervals(
        self, start: datetime, end: datetime, mode: Mode | None = None
    ) -> list[OpenInterval]:
        """The stretches of [start, end) the station is open, each with its mode.

        With `mode`, only stretches in exactly that mode (Mode.CLOSED gives closed time).
        """
        low = require_aware("start", start).timestamp()
        high = require_aware("end", end).timestamp()
        if high < low:
            raise ScheduleError(f"end {end} is before start {start}; swap them")
        result: list[OpenInterval] = []
        for seg_low, seg_high, seg_mode in self.segments(low, high):
            wanted = seg_mode is not Mode.CLOSED if mode is None else seg_mode is mode
            if wanted:
                result.append(
                    OpenInterval(
                        start.astimezone(self._zone)
                        if seg_low == low
                        else to_local(seg_low, self._zone),
                        end.astimezone(self._zone)
                        if seg_high == high
                        else to_local(seg_high, self._zone),
                        seg_mode,
                    )
                )
        return result

    def segments(self, low: float, high: float) -> Iterator[tuple[float, float, Mode]]:
        """Epoch-second stretches covering [low, high), consecutive ones of different modes."""
        bounds, modes = self._bounds, self._modes
        pending: tuple[float, float, Mode] | None = None
        cursor = low
        i = bisect_right(bounds, cursor) - 1
        while cursor < high:
            mode = modes[i]
            if mode is None:
                self._compile_at(cursor)
                i = bisect_right(bounds, cursor) - 1
                continue
            end = min(bounds[i + 1], high)
            if pending is not None and pending[2] is mode:
                pending = (pending[0], end, mode)
            else:
                if pending is not None:
                    yield pending
                pending = (cursor, end, mode)
            cursor, i = end, i + 1
        if pending is not None:
            yield pending

    def open_hours_per_day(self, first: date, last: date) -> dict[Mode, float]:
        """Average hours a day in each mode over local dates first..last inclusive."""
        return open_time_stats(self, first, last).hours_per_day

    def open_time_stats(self, first: date, last: date) -> OpenTimeStats:
        """Hours per day by mode plus evening and weekend shares, dates inclusive."""
        return open_time_stats(self, first, last)

    def local_day_bounds(self, day: date) -> Interval:
        """Epoch seconds [start, end) of a local date in the station's zone."""
        return local_midnight(day, self._zone), local_midnight(day + timedelta(days=1), self._zone)

    def _record_uncovered(self, year: int) -> None:
        if year not in self._uncovered:
            self._uncovered.add(year)
            if self._callback is not None:
                self._callback(year)

    def _steady_from(self) -> float | None:
        day = self._resolver.steady_from()
        if day is None:
            return None
        ends = [int(c.end.timestamp()) for c in self.document.closures]
        since = local_midnight(max(day, date(_FIRST_YEAR, 1, 1)), self._zone)
        return float(max([since, self._effective, *ends]))

    def _compile_at(self, epoch: float) -> None:
        """Compile the stretch of local dates holding `epoch` into the step function."""
        local = to_local(epoch, self._zone)
        if not _FIRST_YEAR <= local.year <= _LAST_YEAR:
            raise ScheduleError(
                f"{local} is outside the years {_FIRST_YEAR}-{_LAST_YEAR} "
                "a schedule can be evaluated for; check the instant"
            )
        first, after = self._stretch_to_compile(epoch, local.date())
        bases = day_bases(first, (after - first).days, self._zone)
        # A date with a base keeps its offset to the next midnight: no zone lookups then.
        low = bases[0] if bases[0] is not None else local_midnight(first, self._zone)
        high = bases[-1] + 86400 if bases[-1] is not None else local_midnight(after, self._zone)
        floor = max(low, self._effective)
        last = after - timedelta(days=1)
        self._years.update(((first - timedelta(days=1)).year, last.year))
        reported = max(first, self.document.effective_from)
        if reported <= last:
            self._resolver.report_uncovered(reported, last)
        staffed, kiosk = (
            []
            if self._resolver.opens_never(mode)
            else clip(
                subtract(union(self._intervals(first, bases, mode)), self._closures[mode]),
                floor,
                high,
            )
            for mode in OPEN_MODES
        )
        self._steps.insert(low, high, *_step_function(low, high, staffed, kiosk))

    def _stretch_to_compile(self, epoch: float, day: date) -> tuple[date, date]:
        """The dates [first, after) to compile for a question about `epoch` on `day`.

        The first seven questions compile `day` and the day after (a kiosk asks about now
        and the next change, which is mostly within a day); later ones the rest of the
        week around `day`. Either is cut at New Year (so no question reaches into a year
        it did not ask about) and at the stretches already compiled.
        """
        if self._compiled_days < 7:
            self._compiled_days += 1
            first, after = day, day + timedelta(days=2)
        else:
            first = day - timedelta(days=day.weekday())
            after = first + timedelta(days=7)
        first = max(first, date(day.year, 1, 1))
        after = min(after, date(day.year + 1, 1, 1))
        bounds, i = self._steps.bounds, self._steps.index(epoch)
        if i > 0:
            first = max(first, to_local(bounds[i], self._zone).date())
        if i + 1 < len(bounds):
            after = min(after, to_local(bounds[i + 1], self._zone).date())
        return first, after

    def _intervals(self, first: date, bases: list[int | None], mode: Mode) -> list[Interval]:
        found: list[Interval] = []
        zone = self._zone
        days = self._resolver.minutes_of_days(first, len(bases), mode)
        for i, ranges in enumerate(days):
            base = bases[i]
            if base is None:  # a DST change within reach: convert each end exactly
                day = first + timedelta(days=i)
                for start, end in ranges:
                    found.append((wall_to_epoch(day, start, zone), wall_to_epoch(day, end, zone)))
            else:
                found += [(base + start * 60, base + end * 60) for start, end in ranges]
        return found


def _step_function(
    low: int, high: int, staffed: list[Interval], kiosk: list[Interval]
) -> tuple[list[int], list[Mode]]:
    """The modes over [low, high) from both modes' sorted disjoint intervals (a sweep)."""
    points = sorted({low, *(p for i in staffed for p in i), *(p for i in kiosk for p in i)})
    bounds: list[int] = []
    modes: list[Mode] = []
    s = k = 0
    for point in points:
        if not low <= point < high:
            continue
        while s < len(staffed) and staffed[s][1] <= point:
            s += 1
        while k < len(kiosk) and kiosk[k][1] <= point:
            k += 1
        if s < len(staffed) and staffed[s][0] <= point:
            mode = Mode.STAFFED
        elif k < len(kiosk) and kiosk[k][0] <= point:
            mode = Mode.SELF_SERVICE
        else:
            mode = Mode.CLOSED
        if not modes or modes[-1] is not mode:
            bounds.append(point)
            modes.append(mode)
    return bounds, modes


def compile_schedule(
    document: StationSchedule,
    calendar: HolidayCalendar | None = None,
    *,
    on_uncovered_year: Callable[[int], None] | None = None,
) -> ScheduleEvaluator:
    """An evaluator for `document`; holidays from `calendar` (the package by default)."""
    return ScheduleEvaluator(document, calendar, on_uncovered_year=on_uncovered_year)
