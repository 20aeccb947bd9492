"""Appointment booking for the session, over ``kiosk.appointments`` when it is installed.

Staffed-only services are booked for a staffed slot. The request helpers live in
``kiosk.appointments`` (another feature); until that module exists the kiosk says
plainly that booking is not possible here and when the station is next staffed.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType
from typing import TYPE_CHECKING

from .session import ProgressUnavailable, Slot

if TYPE_CHECKING:
    from .agent import KioskAgent

__all__ = ["AppointmentsPort"]

log = logging.getLogger(__name__)


def _helpers() -> ModuleType | None:
    try:
        return importlib.import_module("kiosk.appointments")
    except ImportError:
        return None


class AppointmentsPort:
    """Slots and bookings for staffed-only services."""

    def __init__(self, agent: KioskAgent) -> None:
        self.agent = agent

    def slots(self, service_id: str) -> list[Slot]:
        """Return bookable slots; raise ProgressUnavailable when booking is not possible."""
        helpers = _helpers()
        if helpers is None:
            raise ProgressUnavailable("appointment booking is not installed on this kiosk")
        raise ProgressUnavailable("appointment booking is not wired to this screen yet")

    def book(self, service_id: str, slot_id: str, applicant_ref: str) -> str:
        """Book ``slot_id``; return the booking reference."""
        raise ProgressUnavailable("appointment booking is not possible on this kiosk yet")
