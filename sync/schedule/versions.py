"""Choosing between versions of a station's schedule document."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .errors import ScheduleError, VersionConflictError
from .model import StationSchedule

__all__ = ["applicable_version", "supersedes"]


def supersedes(candidate: StationSchedule, current: StationSchedule | None) -> bool:
    """True if `candidate` should replace `current` (a higher version of the same station).

    A re-delivery of the same version is not newer. The same version with different
    content means two publishers disagree: VersionConflictError, never a silent pick.
    """
    if current is None:
        return True
    if candidate.station_id != current.station_id:
        raise ScheduleError(
            f"schedule for {candidate.station_id!r} offered in place of {current.station_id!r}; "
            "check the topic it arrived on"
        )
    if candidate.version == current.version and candidate != current:
        raise VersionConflictError(
            f"{candidate.station_id}: two different documents claim version {candidate.version}; "
            "republish the intended one with a higher version"
        )
    return candidate.version > current.version


def applicable_version(documents: Iterable[StationSchedule], day: date) -> StationSchedule | None:
    """The highest version already in effect on `day`, or None if none is yet."""
    best: StationSchedule | None = None
    for document in documents:
        if document.effective_from <= day and supersedes(document, best):
            best = document
    return best
