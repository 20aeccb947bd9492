"""Open-time figures over a date range: hours per day by mode, evening and weekend shares."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from .errors import ScheduleError
from .intervals import Interval, overlap_seconds
from .localtime import wall_to_epoch
from .model import Mode, StationSchedule

__all__ = ["EVENING_STARTS", "OpenTimeStats", "open_time_stats"]

EVENING_STARTS = 18 * 60  # minutes after midnight; evenings run to midnight, Mon-Fri


class Timeline(Protocol):
    """What the figures need of an evaluator (so this module need not import it)."""

    document: StationSchedule

    def local_day_bounds(self, day: date) -> Interval: ...

    def segments(self, low: float, high: float) -> Iterator[tuple[float, float, Mode]]: ...


@dataclass(frozen=True, slots=True)
class OpenTimeStats:
    """Open time over `days` local dates; shares are fractions (0..1) of the open time."""

    days: int
    hours_per_day: dict[Mode, float]
    evening_share: float  # open time on Mon-Fri after 18:00 local
    weekend_share: float  # open time on Saturdays and Sundays
    staffed_evening_share: float
    staffed_weekend_share: float

    @property
    def open_hours_per_day(self) -> float:
        """Average hours a day the station is open in either mode."""
        return self.hours_per_day[Mode.STAFFED] + self.hours_per_day[Mode.SELF_SERVICE]


def open_time_stats(evaluator: Timeline, first: date, last: date) -> OpenTimeStats:
    """Figures for local dates first..last inclusive of the evaluator's station."""
    if last < first:
        raise ScheduleError(f"last date {last} is before first date {first}; swap them")
    days = (last - first).days + 1
    low, _ = evaluator.local_day_bounds(first)
    _, high = evaluator.local_day_bounds(last)
    by_mode: dict[Mode, list[Interval]] = {mode: [] for mode in Mode}
    for seg_low, seg_high, mode in evaluator.segments(low, high):
        by_mode[mode].append((int(seg_low), int(seg_high)))
    opened = sorted(by_mode[Mode.STAFFED] + by_mode[Mode.SELF_SERVICE])
    evenings, weekends = _windows(evaluator, first, days)
    return OpenTimeStats(
        days=days,
        hours_per_day={mode: _length(ivs) / 3600 / days for mode, ivs in by_mode.items()},
        evening_share=_share(opened, evenings),
        weekend_share=_share(opened, weekends),
        staffed_evening_share=_share(by_mode[Mode.STAFFED], evenings),
        staffed_weekend_share=_share(by_mode[Mode.STAFFED], weekends),
    )


def _windows(
    evaluator: Timeline, first: date, days: int
) -> tuple[list[Interval], list[Interval]]:
    zone = evaluator.document.zone
    evenings: list[Interval] = []
    weekends: list[Interval] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        day_low, day_high = evaluator.local_day_bounds(day)
        if day.weekday() >= 5:
            weekends.append((day_low, day_high))
        else:
            evenings.append((wall_to_epoch(day, EVENING_STARTS, zone), day_high))
    return evenings, weekends


def _length(intervals: Sequence[Interval]) -> int:
    return sum(end - start for start, end in intervals)


def _share(intervals: Sequence[Interval], windows: Sequence[Interval]) -> float:
    total = _length(intervals)
    return overlap_seconds(intervals, windows) / total if total else 0.0
