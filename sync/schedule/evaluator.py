"""A compiled schedule: mode at an instant, next change, open intervals.

The document is compiled lazily, one local calendar month at a time, into a step function
(sorted boundaries in epoch seconds and the mode from each boundary on), so a query is a
binary search over the compiled months and then within one. Years the holiday calendar
does not cover fall back to weekly hours and are recorded in `uncovered_years` (and
passed to `on_uncovered_year`) instead of failing.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .calendar import CalendarSnapshot, HolidayCalendar
from .errors import ScheduleError
from .intervals import Interval, clip, subtract, union
from .localtime import day_bases, local_midnight, require_aware, to_local, wall_to_epoch
from .model import OPEN_MODES, Mode, StationSchedule
from .resolve import DayResolver
from .stats import OpenTimeStats, open_time_stats

__all__ = ["DEFAULT_HORIZON", "OpenInterval", "ScheduleEvaluator", "compile_schedule"]

DEFAULT_HORIZON = timedelta(days=400)
# datetime stops at year 9999, and a month's block looks at the day before it.
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


@dataclass(frozen=True, slots=True)
class _Block:
    low: int  # epoch seconds [low, high) of one local month
    high: int
    bounds: list[int]  # bounds[0] == low; modes[i] holds from bounds[i] on
    modes: list[Mode]

    def index(self, epoch: float) -> int:
        return bisect_right(self.bounds, epoch) - 1


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
        self._blocks: dict[tuple[int, int], _Block] = {}
        self._lows: list[int] = []  # sorted `low` of every compiled block, for bisect
        self._by_low: dict[int, _Block] = {}
        self._last: _Block | None = None
        self._years: set[int] = set()
        self._bases_key: tuple[int, int] | None = None  # the month _bases was made for
        self._bases: list[int | None] = []

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
        block = self._last
        if block is None or not block.low <= epoch < block.high:
            block = self._block_at(epoch)
        return block.modes[bisect_right(block.bounds, epoch) - 1]

    def next_change(
        self, instant: datetime, horizon: timedelta = DEFAULT_HORIZON
    ) -> tuple[datetime, Mode] | None:
        """When the mode next changes after `instant`, and to what; None if not within horizon."""
        if instant.tzinfo is None:
            require_aware("instant", instant)
        epoch = instant.timestamp()
        limit = epoch + horizon.total_seconds()
        block = self._last
        if block is None or not block.low <= epoch < block.high:
            block = self._block_at(epoch)
        bounds, modes = block.bounds, block.modes
        i = bisect_right(bounds, epoch)
        current = modes[i - 1]
        while True:
            # Within a block consecutive modes differ; a block's first may repeat the last.
            if i < len(bounds):
                if bounds[i] > limit:
                    return None
                if modes[i] is not current:
                    return to_local(bounds[i], self._zone), modes[i]
                i += 1
                continue
            if block.high > limit:
                return None
            block = self._block_at(block.high)
            bounds, modes, i = block.bounds, block.modes, 0

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
        pending: tuple[float, float, Mode] | None = None
        cursor = low
        while cursor < high:
            block = self._block_at(cursor)
            i = block.index(cursor)
            for j in range(i, len(block.bounds)):
                seg_low = max(block.bounds[j], cursor)
                seg_high = min(
                    block.bounds[j + 1] if j + 1 < len(block.bounds) else block.high, high
                )
                if seg_low >= high:
                    break
                if pending is not None and pending[2] is block.modes[j]:
                    pending = (pending[0], seg_high, pending[2])
                    continue
                if pending is not None:
                    yield pending
                pending = (seg_low, seg_high, block.modes[j])
            cursor = block.high
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

    def _block_at(self, epoch: float) -> _Block:
        at = bisect_right(self._lows, epoch) - 1
        if at >= 0:
            block = self._by_low[self._lows[at]]
            if epoch < block.high:
                self._last = block
                return block
        local = to_local(epoch, self._zone)
        if not _FIRST_YEAR <= local.year <= _LAST_YEAR:
            raise ScheduleError(
                f"{local} is outside the years {_FIRST_YEAR}-{_LAST_YEAR} "
                "a schedule can be evaluated for; check the instant"
            )
        block = self._compile_month(local.year, local.month)
        self._blocks[(local.year, local.month)] = self._by_low[block.low] = block
        insort(self._lows, block.low)
        self._last = block
        return block

    def _compile_month(self, year: int, month: int) -> _Block:
        first = date(year, month, 1)
        after = date(year + month // 12, month % 12 + 1, 1)
        low, high = local_midnight(first, self._zone), local_midnight(after, self._zone)
        floor = max(low, self._effective)
        self._years.update((year, (first - timedelta(days=1)).year))
        staffed, kiosk = (
            clip(subtract(union(self._month_intervals(first, after, mode)), self._closures[mode]),
                 floor, high)
            for mode in OPEN_MODES
        )  # fmt: skip
        return _step_function(low, high, staffed, kiosk)

    def _month_intervals(self, first: date, after: date, mode: Mode) -> list[Interval]:
        found: list[Interval] = []
        zone, count = self._zone, (after - first).days
        bases = self._day_bases(first, after)
        days = self._resolver.minutes_of_days(
            first, count, mode, report_from=self.document.effective_from
        )
        for i, ranges in enumerate(days):
            base = bases[i]
            if base is None:  # a DST change within reach: convert each end exactly
                day = first + timedelta(days=i)
                for start, end in ranges:
                    found.append((wall_to_epoch(day, start, zone), wall_to_epoch(day, end, zone)))
            else:
                found.extend((base + start * 60, base + end * 60) for start, end in ranges)
        return found

    def _day_bases(self, first: date, after: date) -> list[int | None]:
        key = (first.year, first.month)
        if self._bases_key != key:
            self._bases_key = key
            self._bases = day_bases(first, (after - first).days, self._zone)
        return self._bases


def _step_function(low: int, high: int, staffed: list[Interval], kiosk: list[Interval]) -> _Block:
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
    return _Block(low, high, bounds, modes)


def compile_schedule(
    document: StationSchedule,
    calendar: HolidayCalendar | None = None,
    *,
    on_uncovered_year: Callable[[int], None] | None = None,
) -> ScheduleEvaluator:
    """An evaluator for `document`; holidays from `calendar` (the package by default)."""
    return ScheduleEvaluator(document, calendar, on_uncovered_year=on_uncovered_year)
