"""The controller's application tables (migration 0003_applications)."""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from controller.db import Base

__all__ = ["ApplicationRecord", "ApplicationHistory"]


class ApplicationRecord(Base):
    """One application; personal fields are kept only while it is open."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_applicant", "applicant_ref"),
                      Index("ix_applications_day", "submitted_day", "station_id"))
    tracking_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    station_id: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="kiosk")
    mode: Mapped[str] = mapped_column(String(16), default="")
    submitted_at: Mapped[str] = mapped_column(String(32))
    submitted_day: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    status_at: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    delivery: Mapped[str] = mapped_column(String(16), default="")
    applicant_masked: Mapped[str] = mapped_column(String(40), default="")
    applicant_ref: Mapped[str] = mapped_column(String(64), default="")
    id_number: Mapped[str | None] = mapped_column(String(32), default=None)
    details: Mapped[str] = mapped_column(Text, default="{}")
    visits: Mapped[int] = mapped_column(Integer, default=1)


class ApplicationHistory(Base):
    """Each status an application went through, who moved it and why."""

    __tablename__ = "application_history"
    __table_args__ = (Index("ix_application_history_tracking", "tracking_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracking_no: Mapped[str] = mapped_column(String(40))
    at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100), default="")
