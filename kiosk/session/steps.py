"""The kiosk's screens as session steps, and how a visit can end."""

from __future__ import annotations

from enum import StrEnum

from sync.events import VisitOutcome

__all__ = ["Step", "EndReason", "HOME_STEPS"]


class Step(StrEnum):
    """Where a session is; each value names the screen that shows it."""

    ATTRACT = "attract"
    CATALOGUE = "catalogue"
    NOTICE = "notice"
    IDENTIFY = "identify"
    FORM = "form"
    CONFIRM = "confirm"
    RESULT = "result"
    PROGRESS = "progress"
    APPOINTMENT = "appointment"
    CLOSED = "closed"
    OUT_OF_SERVICE = "out_of_service"
    TECHNICIAN = "technician"


# Steps shown between visits: no personal data, no idle timeout.
HOME_STEPS = frozenset({Step.ATTRACT, Step.CLOSED, Step.OUT_OF_SERVICE})


# Why a visit ended: the ``outcome`` of the ``visit.ended`` event, defined with it.
EndReason = VisitOutcome
