"""Turns ``application.submitted`` events into application records, in the ingest commit."""

from __future__ import annotations

import json
import logging
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from controller.db import Kiosk, Station
from sync.envelope import Envelope, format_utc

from .models import ApplicationHistory, ApplicationRecord
from .workflow import Status

__all__ = ["project_applications", "SUBMITTED"]

log = logging.getLogger(__name__)

SUBMITTED = "application.submitted"
_DEFAULT_ZONE = "Asia/Shanghai"


def project_applications(session: Session, inserted: list[Envelope]) -> None:
    """Add a record (and its first history entry) for each newly stored submission."""
    for event in inserted:
        if event.type != SUBMITTED:
            continue
        tracking_no = str(event.body.get("tracking_no", ""))[:40]
        if not tracking_no or session.get(ApplicationRecord, tracking_no) is not None:
            continue  # a replay under a new event id must not make a second record
        session.add(_record(session, event, tracking_no))
        session.add(ApplicationHistory(tracking_no=tracking_no, at=format_utc(event.ts),
                                       status=Status.SUBMITTED.value, note="", actor="kiosk"))


def _record(session: Session, event: Envelope, tracking_no: str) -> ApplicationRecord:
    body: dict[str, Any] = event.body
    station_id = str(body.get("station") or _kiosk_station(session, event.kiosk))
    station = session.get(Station, station_id)
    zone = ZoneInfo(station.timezone if station else _DEFAULT_ZONE)
    raw_fields = body.get("fields")
    fields: dict[str, Any] = raw_fields if isinstance(raw_fields, dict) else {}
    submitted = format_utc(event.ts)
    return ApplicationRecord(
        tracking_no=tracking_no, event_id=event.id, kiosk_id=event.kiosk,
        station_id=station_id, service_id=str(body.get("service", ""))[:64],
        channel=str(body.get("channel", "kiosk"))[:16], mode=str(body.get("mode", ""))[:16],
        submitted_at=submitted, submitted_day=event.ts.astimezone(zone).date().isoformat(),
        status=Status.SUBMITTED.value, status_at=submitted, reason="",
        delivery=str(fields.get("delivery", ""))[:16],
        applicant_masked=str(body.get("applicant", ""))[:40],
        applicant_ref=str(body.get("applicant_ref", ""))[:64],
        id_number=str(body["id_number"])[:32] if body.get("id_number") else None,
        details=json.dumps(fields, ensure_ascii=False), visits=1)


def _kiosk_station(session: Session, kiosk_id: str) -> str:
    kiosk = session.get(Kiosk, kiosk_id)
    return kiosk.station_id or "" if kiosk else ""
