"""Applications as staff and kiosks see them: list, show, move through the workflow, progress."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sync.envelope import format_utc, utc_now

from .adapter import LoggingNationalSystem, NationalSystem
from .models import ApplicationHistory, ApplicationRecord
from .workflow import CLOSED, Status, check_transition

__all__ = ["Applications", "ApplicationNotFound", "PROGRESS_LIMIT"]

PROGRESS_LIMIT = 10


class ApplicationNotFound(LookupError):
    """No application has this tracking number."""

    def __init__(self, tracking_no: str) -> None:
        super().__init__(f"no application {tracking_no!r}; check the tracking number on the "
                         "receipt (stationctl app list shows recent ones)")


def summary(record: ApplicationRecord) -> dict[str, Any]:
    """Return what staff lists show: no ID number, masked applicant only."""
    return {"tracking_no": record.tracking_no, "service": record.service_id,
            "station": record.station_id, "kiosk": record.kiosk_id,
            "status": record.status, "status_at": record.status_at,
            "submitted_at": record.submitted_at, "mode": record.mode,
            "delivery": record.delivery, "applicant": record.applicant_masked,
            "reason": record.reason, "visits": record.visits}


def progress_view(record: ApplicationRecord) -> dict[str, Any]:
    """Return what a kiosk may show anyone holding the receipt or the card."""
    return {"tracking_no": record.tracking_no, "service": record.service_id,
            "status": record.status, "updated_at": record.status_at,
            "reason": record.reason, "delivery": record.delivery}


class Applications:
    """The application records in the controller's database."""

    def __init__(self, engine: Engine, national: NationalSystem | None = None) -> None:
        self.engine = engine
        self.national = national or LoggingNationalSystem()

    def find(self, *, status: str | None = None, station: str | None = None,
             service: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Return the newest applications matching the filters."""
        query = select(ApplicationRecord).order_by(ApplicationRecord.submitted_at.desc())
        for column, value in ((ApplicationRecord.status, status),
                              (ApplicationRecord.station_id, station),
                              (ApplicationRecord.service_id, service)):
            if value:
                query = query.where(column == value)
        with Session(self.engine) as session:
            return [summary(r) for r in session.scalars(query.limit(limit))]

    def show(self, tracking_no: str) -> dict[str, Any]:
        """Return one application with its history and the details staff need."""
        with Session(self.engine) as session:
            record = self._get(session, tracking_no)
            history = session.scalars(select(ApplicationHistory).where(
                ApplicationHistory.tracking_no == tracking_no).order_by(ApplicationHistory.id))
            return {**summary(record), "details": json.loads(record.details),
                    "id_number_held": record.id_number is not None,
                    "history": [{"at": h.at, "status": h.status, "note": h.note,
                                 "actor": h.actor} for h in history]}

    def move(self, tracking_no: str, target: str, *, reason: str = "", actor: str = "",
             visited: bool = False, mailed: bool = False) -> dict[str, Any]:
        """Move an application to ``target``; raise TransitionError or ApplicationNotFound."""
        with Session(self.engine) as session, session.begin():
            record = self._get(session, tracking_no)
            status = check_transition(record.status, target, reason)
            now = format_utc(utc_now())
            record.status, record.status_at = status.value, now
            record.reason = reason.strip() if status is Status.REJECTED else record.reason
            record.visits += 1 if visited else 0
            if mailed:
                record.delivery = "mail"
            self.national.status_changed(record.tracking_no, record.service_id, status.value,
                                         record.id_number)
            if status in CLOSED:  # keep personal data only while the application is open
                record.id_number = None
                record.details = json.dumps({"delivery": record.delivery})
            session.add(ApplicationHistory(tracking_no=tracking_no, at=now,
                                           status=status.value, note=reason.strip(),
                                           actor=actor[:100]))
            return summary(record)

    def progress(self, tracking_no: str | None = None, applicant_ref: str | None = None
                 ) -> list[dict[str, Any]]:
        """Return the progress of one application, or of an applicant's recent ones."""
        query = select(ApplicationRecord)
        if tracking_no:
            query = query.where(ApplicationRecord.tracking_no == tracking_no.upper())
        elif applicant_ref:
            query = query.where(ApplicationRecord.applicant_ref == applicant_ref)
        else:
            raise ValueError("give a tracking number or an applicant reference")
        query = query.order_by(ApplicationRecord.submitted_at.desc()).limit(PROGRESS_LIMIT)
        with Session(self.engine) as session:
            return [progress_view(r) for r in session.scalars(query)]

    @staticmethod
    def _get(session: Session, tracking_no: str) -> ApplicationRecord:
        record = session.get(ApplicationRecord, tracking_no.upper())
        if record is None:
            raise ApplicationNotFound(tracking_no)
        return record
