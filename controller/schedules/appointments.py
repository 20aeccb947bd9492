"""Appointments for staffed-only services: slots from staffed hours, book, cancel.

A slot has ``capacity`` places; each booking takes one place as a row of
``appointment_seats`` whose primary key is (station, service, slot start, place). Two
kiosks racing for the last place both try to insert the same key: the database lets
exactly one commit (SQLite and PostgreSQL alike); the other is told the slot is full.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.envelope import format_utc, parse_utc, utc_now
from sync.logs import mask_name
from sync.schedule import Mode, ScheduleEvaluator

from .appointment_config import AppointmentConfig, ServiceSlots
from .models import Appointment, AppointmentSeat
from .service import Schedules

__all__ = ["AppointmentBook", "AppointmentError", "Slot"]

_PHONE = re.compile(r"^1[3-9]\d{9}$")
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes


class AppointmentError(ValueError):
    """A booking or cancellation that cannot be done; the message is for the citizen."""


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable stretch of staffed time, in station time."""

    start: datetime
    end: datetime
    remaining: int

    def as_dict(self) -> dict[str, Any]:
        """Return the slot as JSON-ready data."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "remaining": self.remaining}


def _day_slots(evaluator: ScheduleEvaluator, day: date,
               length: timedelta) -> list[tuple[datetime, datetime]]:
    zone = evaluator.document.zone
    start = datetime.combine(day, datetime.min.time(), zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
    slots = []
    for interval in evaluator.open_intervals(start, end, Mode.STAFFED):
        moment, stop = interval.start.astimezone(UTC), interval.end.astimezone(UTC)
        while moment + length <= stop:
            slots.append((moment.astimezone(zone), (moment + length).astimezone(zone)))
            moment += length
    return slots


class AppointmentBook:
    """Slots, bookings and cancellations over the schedules and the database."""

    def __init__(self, schedules: Schedules, config: AppointmentConfig) -> None:
        self._schedules = schedules
        self._engine: Engine = schedules.engine
        self.config = config

    def _service(self, service_id: str) -> ServiceSlots:
        slots = self.config.services.get(service_id)
        if slots is None:
            raise AppointmentError(f"service {service_id!r} is not booked by appointment; "
                                   "bookable: " + ", ".join(sorted(self.config.services)))
        return slots

    def _evaluator(self, station_id: str) -> ScheduleEvaluator:
        self._schedules.station(station_id)
        evaluator = self._schedules.evaluator(station_id)
        if evaluator is None:
            raise AppointmentError(f"station {station_id} has no opening hours yet; "
                                   "appointments cannot be offered")
        return evaluator

    def _taken(self, station_id: str, service_id: str) -> dict[str, int]:
        with Session(self._engine) as session:
            rows = session.execute(
                select(AppointmentSeat.slot_start, func.count())
                .where(AppointmentSeat.station_id == station_id,
                       AppointmentSeat.service_id == service_id)
                .group_by(AppointmentSeat.slot_start)).all()
        return {start: int(count) for start, count in rows}

    def slots(self, station_id: str, service_id: str, *, days: int | None = None,
              now: datetime | None = None) -> list[Slot]:
        """Return the future slots of the next ``days`` days with their free places."""
        service = self._service(service_id)
        evaluator = self._evaluator(station_id)
        now = now or utc_now()
        today = now.astimezone(evaluator.document.zone).date()
        taken = self._taken(station_id, service_id)
        found = []
        for offset in range(min(days or self.config.horizon_days, self.config.horizon_days)):
            for start, end in _day_slots(evaluator, today + timedelta(days=offset),
                                         timedelta(minutes=service.slot_minutes)):
                if start > now:
                    used = taken.get(format_utc(start), 0)
                    found.append(Slot(start, end, max(0, service.capacity - used)))
        return found

    def _slot_at(self, station_id: str, service: ServiceSlots, start: datetime,
                 now: datetime) -> tuple[datetime, datetime]:
        evaluator = self._evaluator(station_id)
        day = start.astimezone(evaluator.document.zone).date()
        for slot in _day_slots(evaluator, day, timedelta(minutes=service.slot_minutes)):
            if slot[0] == start and start > now:
                return slot
        raise AppointmentError(f"{start.isoformat()} is not a bookable slot at {station_id}; "
                               "ask for the slots again and choose one of them")

    def book(self, *, kiosk_id: str, station_id: str, service_id: str, start: str,
             name: str, phone: str | None = None, now: datetime | None = None
             ) -> dict[str, Any]:
        """Book a place in the slot starting at ``start`` (ISO with offset); return it.

        Raises AppointmentError when the slot is full or not bookable.
        """
        service = self._service(service_id)
        try:
            moment = datetime.fromisoformat(start)
        except (TypeError, ValueError):
            raise AppointmentError(f"start {start!r} is not an ISO date-time") from None
        if moment.tzinfo is None:
            raise AppointmentError("start needs a UTC offset, as the slots list gives it")
        if phone is not None and not _PHONE.match(phone):
            raise AppointmentError("the phone number must be an 11-digit mainland mobile")
        if not mask_name(name):
            raise AppointmentError("a name is needed to book")
        slot_start, slot_end = self._slot_at(station_id, service, moment, now or utc_now())
        for seat in range(1, service.capacity + 1):
            booked = self._try_seat(seat, kiosk_id, station_id, service_id,
                                    (slot_start, slot_end), mask_name(name), phone)
            if booked is not None:
                return booked
        raise AppointmentError(f"the {slot_start:%H:%M} slot on {slot_start:%Y-%m-%d} has just "
                               "been fully booked; choose another slot")

    def _try_seat(self, seat: int, kiosk_id: str, station_id: str, service_id: str,
                  slot: tuple[datetime, datetime], masked: str,
                  phone: str | None) -> dict[str, Any] | None:
        reference = "A" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        try:
            with Session(self._engine) as session, session.begin():
                appointment = Appointment(
                    reference=reference, station_id=station_id, service_id=service_id,
                    slot_start=format_utc(slot[0]), slot_end=format_utc(slot[1]),
                    kiosk_id=kiosk_id, masked_name=masked, phone=phone, status="booked",
                    created_at=format_utc(utc_now()))
                session.add(appointment)
                session.flush()
                session.add(AppointmentSeat(station_id=station_id, service_id=service_id,
                                            slot_start=format_utc(slot[0]), seat=seat,
                                            appointment_id=appointment.id))
        except IntegrityError:
            return None  # that place went to someone else: try the next one
        return {"reference": reference, "station": station_id, "service": service_id,
                "start": slot[0].isoformat(), "end": slot[1].isoformat(),
                "masked_name": masked}

    def cancel(self, reference: str) -> dict[str, Any]:
        """Cancel a booking and free its place; return its reference and new status."""
        with Session(self._engine) as session, session.begin():
            appointment = session.scalars(select(Appointment).where(
                Appointment.reference == reference.strip().upper())).first()
            if appointment is None:
                raise AppointmentError(f"no booking with reference {reference!r}; check the "
                                       "reference on the booking slip")
            if appointment.status == "cancelled":
                raise AppointmentError(f"booking {appointment.reference} is already cancelled")
            appointment.status = "cancelled"
            appointment.cancelled_at = format_utc(utc_now())
            seat = session.scalars(select(AppointmentSeat).where(
                AppointmentSeat.appointment_id == appointment.id)).first()
            if seat is not None:
                session.delete(seat)
            return {"reference": appointment.reference, "status": "cancelled"}

    def listing(self, *, station_id: str | None = None, service_id: str | None = None,
                day: date | None = None, include_cancelled: bool = False
                ) -> list[dict[str, Any]]:
        """Return bookings by slot time (masked names; phone numbers left out)."""
        query = select(Appointment).order_by(Appointment.slot_start, Appointment.id)
        if station_id:
            query = query.where(Appointment.station_id == station_id)
        if service_id:
            query = query.where(Appointment.service_id == service_id)
        if not include_cancelled:
            query = query.where(Appointment.status == "booked")
        with Session(self._engine) as session:
            rows = list(session.scalars(query))
        result = []
        for row in rows:
            start = parse_utc(row.slot_start)
            zone = ZoneInfo(self._schedules.station(row.station_id).timezone)
            if day is not None and start.astimezone(zone).date() != day:
                continue
            result.append({"reference": row.reference, "station": row.station_id,
                           "service": row.service_id, "start": start.astimezone(zone).isoformat(),
                           "end": parse_utc(row.slot_end).astimezone(zone).isoformat(),
                           "name": row.masked_name, "kiosk": row.kiosk_id,
                           "status": row.status, "has_phone": row.phone is not None})
        return result
