"""A compiled schedule: mode at an instant, next change, open intervals.

The document is compiled lazily, one local calendar year at a time, into a step function
(sorted boundaries in epoch seconds and the mode from each boundary on), so a query is a
binary search. Years the holiday calendar does not cover fall back to weekly hours and
are recorded in `uncovered_years` (and passed to `on_uncovered_year`) instead of failing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .calendar import CalendarSnapshot, HolidayCalendar
from .errors import ScheduleError
from .intervals import Interval, clip, contains, subtract, union
from .localtime import fixed_offset_base, local_midnight, require_aware, to_local, wall_to_epoch
from .model import OPEN_MODES, Mode, StationSchedule
from .resolve import DayResolver
from .stats import OpenTimeStats, open_time_stats

__all__ = ["DEFAULT_HORIZON", "OpenInterval", "ScheduleEvaluator", "compile_schedule"]

DEFAULT_HORIZON = timedelta(days=400)
# A merged span may reach 48:00, so the two days before a year can still reach into it.
_SPILL_DAYS = 2
# datetime stops at year 9999 and a year's block reaches into the next and the previous.
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
    low: int
    high: int
    bounds: list[int]
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
        self._blocks: dict[int, _Block] = {}
        self._last: _Block | None = None

    @property
    def uncovered_years(self) -> frozenset[int]:
        """Years evaluated so far whose holidays were unknown (weekly hours were used)."""
        return frozenset(self._uncovered)

    def calendar_snapshot(self) -> CalendarSnapshot:
        """The calendar data of every year evaluated so far, with its fingerprint."""
        years = {y + d for y in self._blocks for d in (-1, 0)}
        return self.calendar.snapshot(years)

    def mode_at(self, instant: datetime) -> Mode:
        """The station's mode at an aware instant (staffed beats self-service)."""
        if instant.tzinfo is None:
            require_aware("instant", instant)
        epoch = instant.timestamp()
        block = self._last
        if block is None or not block.low <= epoch < block.high:
            block = self._block_at(epoch)
        return block.modes[block.index(epoch)]

    def next_change(
        self, instant: datetime, horizon: timedelta = DEFAULT_HORIZON
    ) -> tuple[datetime, Mode] | None:
        """When the mode next changes after `instant`, and to what; None if not within horizon."""
        epoch = require_aware("instant", instant).timestamp()
        limit = epoch + horizon.total_seconds()
        block = self._block_at(epoch)
        start = block.index(epoch)
        current = block.modes[start]
        while True:
            for bound, mode in zip(
                block.bounds[start + 1 :], block.modes[start + 1 :], strict=True
            ):
                if bound > limit:
                    return None
                if mode is not current:
                    return to_local(bound, self._zone), mode
            if block.high > limit:
                return None
            block, start = self._block_at(block.high), -1

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
        year = to_local(epoch, self._zone).year
        if not _FIRST_YEAR <= year <= _LAST_YEAR:
            raise ScheduleError(
                f"{to_local(epoch, self._zone)} is outside the years {_FIRST_YEAR}-{_LAST_YEAR} "
                "a schedule can be evaluated for; check the instant"
            )
        block = self._blocks.get(year)
        if block is None:
            block = self._blocks[year] = self._compile_year(year)
        self._last = block
        return block

    def _compile_year(self, year: int) -> _Block:
        low = local_midnight(date(year, 1, 1), self._zone)
        high = local_midnight(date(year + 1, 1, 1), self._zone)
        floor = max(low, self._effective)
        raw = self._year_intervals(year)
        staffed, kiosk = (
            clip(subtract(union(raw[mode]), self._closures[mode]), floor, high)
            for mode in OPEN_MODES
        )
        return _step_function(low, high, staffed, kiosk)

    def _year_intervals(self, year: int) -> dict[Mode, list[Interval]]:
        found: dict[Mode, list[Interval]] = {mode: [] for mode in OPEN_MODES}
        day = date(year, 1, 1) - timedelta(days=_SPILL_DAYS)
        first_reported = max(date(year, 1, 1), self.document.effective_from)
        while day.year <= year:
            base = fixed_offset_base(day, self._zone)
            for mode in OPEN_MODES:
                for span in self._resolver.spans(day, mode, report=day >= first_reported):
                    if base is None:  # a DST change within reach: convert each end exactly
                        found[mode].append(
                            (
                                wall_to_epoch(day, span.start, self._zone),
                                wall_to_epoch(day, span.end, self._zone),
                            )
                        )
                    else:
                        found[mode].append((base + span.start * 60, base + span.end * 60))
            day += timedelta(days=1)
        return found


def _step_function(low: int, high: int, staffed: list[Interval], kiosk: list[Interval]) -> _Block:
    points = sorted({low, *(p for i in staffed + kiosk for p in i if low <= p < high)})
    bounds: list[int] = []
    modes: list[Mode] = []
    for point in points:
        if contains(staffed, point):
            mode = Mode.STAFFED
        elif contains(kiosk, point):
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
