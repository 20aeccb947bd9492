"""Routes and kiosk request handlers for the station directory and appointments.

Kiosk requests (MQTT 5 request/response, :mod:`sync.requests`):

- ``appointment.slots`` ``{"service", "station"?, "days"?}`` →
  ``{"station", "service", "slot_minutes", "capacity", "slots": [{"start", "end", "remaining"}]}``
- ``appointment.book`` ``{"service", "start", "name", "phone"?, "station"?}`` →
  ``{"reference", "station", "service", "start", "end", "masked_name"}``
- ``appointment.cancel`` ``{"reference"}`` → ``{"reference", "status": "cancelled"}``

``station`` defaults to the asking kiosk's station; refusals carry a reason to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from controller.requests import HandlerRefusal, RequestRouter

from .api import guarded
from .appointments import AppointmentBook, AppointmentError
from .directory import directory
from .service import Schedules, UnknownStation

__all__ = ["booking_router", "register_requests"]


class BookingBody(BaseModel):
    """A booking made at the counter or by an operator."""

    station: str
    service: str
    start: str
    name: str = Field(min_length=1, max_length=100)
    phone: str | None = None


def _slots(book: AppointmentBook, station: str, service: str,
           days: int | None) -> dict[str, Any]:
    config = book.config.services.get(service)
    slots = book.slots(station, service, days=days)
    return {"station": station, "service": service,
            "slot_minutes": config.slot_minutes if config else None,
            "capacity": config.capacity if config else None,
            "slots": [s.as_dict() for s in slots]}


def _refusing(call: Callable[[], dict[str, Any]], status: int = 409) -> dict[str, Any]:
    try:
        return guarded(call)
    except AppointmentError as exc:
        raise HTTPException(status, str(exc)) from None


def booking_router(schedules: Schedules, book: AppointmentBook) -> APIRouter:
    """Return the ``/api/v1`` routes of the station directory and appointments."""
    router = APIRouter(prefix="/api/v1")

    @router.get("/stations")
    def stations(open: bool = False, near: str | None = None) -> list[dict[str, Any]]:
        return guarded(lambda: directory(schedules, open_only=open, near=near))

    @router.get("/appointments")
    def appointments(station: str | None = None, service: str | None = None,
                     day: date | None = None) -> list[dict[str, Any]]:
        return guarded(lambda: book.listing(station_id=station, service_id=service, day=day))

    @router.get("/appointments/slots")
    def slots(station: str, service: str, days: int | None = None) -> dict[str, Any]:
        return _refusing(lambda: _slots(book, station, service, days), 422)

    @router.post("/appointments")
    def make(body: BookingBody) -> dict[str, Any]:
        return _refusing(lambda: book.book(kiosk_id="api", station_id=body.station,
                                           service_id=body.service, start=body.start,
                                           name=body.name, phone=body.phone))

    @router.delete("/appointments/{reference}")
    def cancel(reference: str) -> dict[str, Any]:
        return _refusing(lambda: book.cancel(reference))

    return router


def _text(body: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise HandlerRefusal(f"the request needs {key!r} as text")
    return value


def register_requests(router: RequestRouter, book: AppointmentBook,
                      station_of: Callable[[str], str | None]) -> None:
    """Answer the kiosks' ``appointment.*`` requests."""

    def station(kiosk_id: str, body: dict[str, Any]) -> str:
        chosen = _text(body, "station", required=False) or station_of(kiosk_id)
        if chosen is None:
            raise HandlerRefusal(f"kiosk {kiosk_id} has no station; name one")
        return chosen

    def answer(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return call()
        except (AppointmentError, UnknownStation) as exc:
            raise HandlerRefusal(str(exc)) from None

    def slots(kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
        days = body.get("days")
        return answer(lambda: _slots(book, station(kiosk_id, body), str(_text(body, "service")),
                                     days if isinstance(days, int) else None))

    def make(kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return answer(lambda: book.book(
            kiosk_id=kiosk_id, station_id=station(kiosk_id, body),
            service_id=str(_text(body, "service")), start=str(_text(body, "start")),
            name=str(_text(body, "name")), phone=_text(body, "phone", required=False)))

    def cancel(_kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return answer(lambda: book.cancel(str(_text(body, "reference"))))

    router.register("appointment.slots", slots)
    router.register("appointment.book", make)
    router.register("appointment.cancel", cancel)
