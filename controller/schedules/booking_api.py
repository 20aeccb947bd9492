"""Routes and kiosk request handlers for the station directory and appointments.

Kiosk requests (MQTT 5 request/response): ``appointment.slots``, ``appointment.book`` and
``appointment.cancel``, whose queries and answers are the models in
:mod:`sync.request_bodies`. ``station`` defaults to the asking kiosk's station; refusals
carry a reason to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from controller.requests import HandlerRefusal, RequestHandler
from sync.request_bodies import (
    Answer,
    BookAnswer,
    BookQuery,
    CancelAnswer,
    CancelQuery,
    RequestType,
    SlotEntry,
    SlotsAnswer,
    SlotsQuery,
)

from .api import guarded
from .appointments import AppointmentBook, AppointmentError
from .directory import directory
from .service import Schedules, UnknownStation

__all__ = ["booking_router", "register_requests"]

_A = TypeVar("_A", bound=Answer)


class BookingBody(BaseModel):
    """A booking made at the counter or by an operator."""

    station: str
    service: str
    start: str
    name: str = Field(min_length=1, max_length=100)
    phone: str | None = None


def _slots(book: AppointmentBook, station: str, service: str,
           days: int | None) -> SlotsAnswer:
    config = book.config.services.get(service)
    slots = book.slots(station, service, days=days)
    return SlotsAnswer(station=station, service=service,
                       slot_minutes=config.slot_minutes if config else None,
                       capacity=config.capacity if config else None,
                       slots=[SlotEntry(start=s.start, end=s.end, remaining=s.remaining)
                              for s in slots])


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
        return _refusing(lambda: _slots(book, station, service, days).model_dump(mode="json"),
                         422)

    @router.post("/appointments")
    def make(body: BookingBody) -> dict[str, Any]:
        return _refusing(lambda: book.book(kiosk_id="api", station_id=body.station,
                                           service_id=body.service, start=body.start,
                                           name=body.name, phone=body.phone))

    @router.delete("/appointments/{reference}")
    def cancel(reference: str) -> dict[str, Any]:
        return _refusing(lambda: book.cancel(reference))

    return router


def register_requests(answer_with: Callable[[RequestType, RequestHandler], None],
                      book: AppointmentBook,
                      station_of: Callable[[str], str | None]) -> None:
    """Answer the kiosks' ``appointment.*`` requests (``answer_with(type, handler)``)."""

    def station(kiosk_id: str, chosen: str | None) -> str:
        found = chosen or station_of(kiosk_id)
        if found is None:
            raise HandlerRefusal(f"kiosk {kiosk_id} has no station; name one")
        return found

    def answer(call: Callable[[], _A]) -> _A:
        try:
            return call()
        except (AppointmentError, UnknownStation) as exc:
            raise HandlerRefusal(str(exc)) from None

    def slots(kiosk_id: str, query: SlotsQuery) -> SlotsAnswer:
        return answer(lambda: _slots(book, station(kiosk_id, query.station), query.service,
                                     query.days))

    def make(kiosk_id: str, query: BookQuery) -> BookAnswer:
        return answer(lambda: BookAnswer.model_validate(book.book(
            kiosk_id=kiosk_id, station_id=station(kiosk_id, query.station),
            service_id=query.service, start=query.start.isoformat(), name=query.name,
            phone=query.phone)))

    def cancel(_kiosk_id: str, query: CancelQuery) -> CancelAnswer:
        return answer(lambda: CancelAnswer.model_validate(book.cancel(query.reference)))

    answer_with(RequestType.APPOINTMENT_SLOTS, slots)
    answer_with(RequestType.APPOINTMENT_BOOK, make)
    answer_with(RequestType.APPOINTMENT_CANCEL, cancel)
