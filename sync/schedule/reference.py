"""A direct, uncompiled mode lookup: slow and plain, for cross-checks and benchmarks."""

from __future__ import annotations

from datetime import datetime

from .calendar import HolidayCalendar
from .localtime import require_aware, wall_to_epoch
from .model import Mode, StationSchedule
from .resolve import DayResolver

__all__ = ["reference_mode_at"]


def reference_mode_at(
    document: StationSchedule, instant: datetime, calendar: HolidayCalendar | None = None
) -> Mode:
    """The mode at `instant`, found by checking every span that could reach it."""
    epoch = require_aware("instant", instant).timestamp()
    zone = document.zone
    if epoch < wall_to_epoch(document.effective_from, 0, zone):
        return Mode.CLOSED
    resolver = DayResolver(document, calendar or HolidayCalendar(), lambda _year: None)
    today = datetime.fromtimestamp(epoch, zone).date()
    for mode in (Mode.STAFFED, Mode.SELF_SERVICE):
        if any(
            mode in closure.modes and closure.start.timestamp() <= epoch < closure.end.timestamp()
            for closure in document.closures
        ):
            continue
        for start, end in resolver.minutes(today, mode):  # the date's own and spilled minutes
            if wall_to_epoch(today, start, zone) <= epoch < wall_to_epoch(today, end, zone):
                return mode
    return Mode.CLOSED
