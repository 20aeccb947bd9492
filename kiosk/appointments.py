"""Booking appointments from the kiosk for staffed-only services (no Kivy here).

Thin helpers over ``agent.requests`` (MQTT 5 request/response to the controller). Each
raises :class:`~sync.requests.ControllerUnavailable` when the controller cannot be
reached — the screen then says plainly that booking is not possible right now
(:data:`UNAVAILABLE`) — or :class:`~sync.requests.RequestRefused` with a reason to show
(slot just taken, unknown reference …). The citizen's name is masked before it leaves
the kiosk; the phone number is sent only if the citizen gives it, for the SMS reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sync.logs import mask_name
from sync.request_bodies import (
    BookAnswer,
    BookQuery,
    CancelAnswer,
    CancelQuery,
    SlotsAnswer,
    SlotsQuery,
)
from sync.requests import ControllerUnavailable, RequestRefused

if TYPE_CHECKING:
    from .agent import KioskAgent

__all__ = ["AppointmentSlot", "Booking", "available_slots", "book", "cancel", "UNAVAILABLE",
           "ControllerUnavailable", "RequestRefused"]

UNAVAILABLE = {
    "zh": "暂时无法预约：与管理中心的连接中断。请稍后再试，或在民警值守时间到窗口办理。",
    "en": "Booking is not possible right now: the kiosk cannot reach the control centre. "
          "Please try again later, or come to the counter during staffed hours.",
}


@dataclass(frozen=True, slots=True)
class AppointmentSlot:
    """A slot with free places, in station time."""

    start: datetime
    end: datetime
    remaining: int


@dataclass(frozen=True, slots=True)
class Booking:
    """A confirmed booking: the reference to print and the slot."""

    reference: str
    station: str
    service: str
    start: datetime
    end: datetime
    masked_name: str


def available_slots(agent: KioskAgent, service_id: str, *, days: int | None = None,
                    station: str | None = None, timeout_s: float = 5.0
                    ) -> list[AppointmentSlot]:
    """Return the slots with free places for a service (this kiosk's station by default)."""
    answer = agent.requests.ask(SlotsQuery(service=service_id, days=days, station=station),
                                SlotsAnswer, timeout_s=timeout_s)
    return [AppointmentSlot(s.start, s.end, s.remaining) for s in answer.slots if s.remaining]


def book(agent: KioskAgent, service_id: str, start: datetime, name: str,
         phone: str | None = None, *, station: str | None = None,
         timeout_s: float = 5.0) -> Booking:
    """Book the slot starting at ``start``; return the booking to print."""
    query = BookQuery(service=service_id, start=start, name=mask_name(name),
                      phone=phone or None, station=station)
    answer = agent.requests.ask(query, BookAnswer, timeout_s=timeout_s)
    return Booking(answer.reference, answer.station, answer.service, answer.start, answer.end,
                   answer.masked_name)


def cancel(agent: KioskAgent, reference: str, *, timeout_s: float = 5.0) -> None:
    """Cancel a booking by its reference, freeing the place."""
    agent.requests.ask(CancelQuery(reference=reference), CancelAnswer, timeout_s=timeout_s)
