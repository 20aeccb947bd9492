"""Tables of the schedules feature (migration ``0002_schedules``)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from controller.db import Base

__all__ = ["ScheduleVersion", "CalendarFile", "CalendarSnapshotRecord", "Appointment",
           "AppointmentSeat"]


class ScheduleVersion(Base):
    """One version of a station's schedule: the document, who made it and when."""

    __tablename__ = "schedule_versions"
    __table_args__ = (UniqueConstraint("station_id", "version", name="ux_schedule_versions"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(String(32))  # seed | toml | opening_hours
    note: Mapped[str] = mapped_column(Text, default="")
    calendar_fingerprint: Mapped[str] = mapped_column(String(80), default="")
    body: Mapped[str] = mapped_column(Text)  # the StationSchedule JSON


class CalendarFile(Base):
    """A holiday-calendar year an administrator loaded, with the notice it came from."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    official: Mapped[bool] = mapped_column(Boolean)
    loaded_at: Mapped[str] = mapped_column(String(32))
    loaded_by: Mapped[str] = mapped_column(String(100))  # "config" for config/calendar files
    body: Mapped[str] = mapped_column(Text)  # the CalendarYear JSON


class CalendarSnapshotRecord(Base):
    """A calendar snapshot the controller published, kept by fingerprint."""

    __tablename__ = "calendar_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))
    years: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class Appointment(Base):
    """A booked visit for a staffed-only service: only what the visit needs."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_slot", "station_id", "service_id", "slot_start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    station_id: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str] = mapped_column(String(64))
    slot_start: Mapped[str] = mapped_column(String(32))  # wire UTC
    slot_end: Mapped[str] = mapped_column(String(32))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    masked_name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20), default=None)  # for the SMS reminder
    status: Mapped[str] = mapped_column(String(12), default="booked")
    created_at: Mapped[str] = mapped_column(String(32))
    cancelled_at: Mapped[str | None] = mapped_column(String(32), default=None)


class AppointmentSeat(Base):
    """One of a slot's places, held by one booking; the primary key makes races lose."""

    __tablename__ = "appointment_seats"
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot_start: Mapped[str] = mapped_column(String(32), primary_key=True)
    seat: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(Integer, ForeignKey("appointments.id"),
                                                unique=True)
