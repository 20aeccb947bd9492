"""When a station next opens or closes, from its compiled schedule (both ends use this)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .evaluator import ScheduleEvaluator
from .model import Mode

__all__ = ["next_opening", "closes_at"]

# Walking the mode changes one by one: a year of a busy schedule is well below this.
_MAX_STEPS = 4000


def _walk(evaluator: ScheduleEvaluator, now: datetime,
          stop: Callable[[Mode, Mode], bool]) -> datetime | None:
    current = evaluator.mode_at(now)
    moment = now
    for _ in range(_MAX_STEPS):
        change = evaluator.next_change(moment)
        if change is None:
            return None
        moment, mode = change
        if stop(current, mode):
            return moment
        current = mode
    return None


def next_opening(evaluator: ScheduleEvaluator, now: datetime) -> datetime | None:
    """Return when the station next goes from closed to open (after the current opening
    if it is open now), in station time; None if not within 400 days."""
    return _walk(evaluator, now, lambda old, new: old is Mode.CLOSED and new is not Mode.CLOSED)


def closes_at(evaluator: ScheduleEvaluator, now: datetime) -> datetime | None:
    """Return when the station next becomes closed, in station time; None beyond 400 days."""
    return _walk(evaluator, now, lambda _old, new: new is Mode.CLOSED)
