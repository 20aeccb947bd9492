"""Appointment booking for the session, over the request helpers in ``kiosk.appointments``.

Staffed-only services are booked for a staffed slot while no officer is on duty. Slot
ids are the slots' start times (ISO 8601, station time); labels are language-neutral
("11-26 Thu 17:30-18:00 · 3").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sync.requests import ControllerUnavailable, RequestRefused

from . import appointments
from .session import ProgressRefused, ProgressUnavailable, Slot

if TYPE_CHECKING:
    from .agent import KioskAgent

__all__ = ["AppointmentsPort", "controller_answers"]

SLOTS_SHOWN = 8


@contextmanager
def controller_answers() -> Iterator[None]:
    """Turn the request client's errors into the session's: unavailable, or refused."""
    try:
        yield
    except ControllerUnavailable as exc:
        raise ProgressUnavailable(str(exc)) from None
    except RequestRefused as exc:
        raise ProgressRefused(str(exc)) from None


class AppointmentsPort:
    """Slots and bookings for staffed-only services."""

    def __init__(self, agent: KioskAgent) -> None:
        self.agent = agent

    def slots(self, service_id: str) -> list[Slot]:
        """Return the next bookable slots; raise ProgressUnavailable/ProgressRefused."""
        with controller_answers():
            found = appointments.available_slots(self.agent, service_id, days=7)
        return [Slot(s.start.isoformat(), f"{s.start:%m-%d %a %H:%M}-{s.end:%H:%M} · {s.remaining}")
                for s in found[:SLOTS_SHOWN]]

    def book(self, service_id: str, slot_id: str, masked_name: str) -> str:
        """Book the slot starting at ``slot_id``; return the booking reference."""
        with controller_answers():
            booking = appointments.book(self.agent, service_id,
                                        datetime.fromisoformat(slot_id), masked_name)
        return booking.reference
