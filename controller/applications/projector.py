"""Turns ``application.submitted`` events into application records, in the ingest commit."""

from __future__ import annotations

import json
import logging
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from controller.db import Kiosk, Station
from controller.registry import execute_many
from sync.envelope import Envelope
from sync.events import ApplicationSubmitted, EventType

from .models import ApplicationHistory, ApplicationRecord
from .workflow import Status

__all__ = ["project_applications", "SUBMITTED"]

log = logging.getLogger(__name__)

SUBMITTED = EventType.APPLICATION_SUBMITTED
_DEFAULT_ZONE = "Asia/Shanghai"


def project_applications(session: Session, inserted: list[Envelope]) -> None:
    """Add a record (and its first history entry) for each newly stored submission.

    Batched: one lookup for the batch's tracking numbers and two executemany inserts, so
    projecting costs little beside storing the events (thousands a second while a
    backlog drains).
    """
    fresh: dict[str, tuple[Envelope, ApplicationSubmitted]] = {}
    for event in inserted:
        if event.type != SUBMITTED:
            continue
        # Ingest refused every submission whose body breaks the model, so this reads.
        body = ApplicationSubmitted.model_validate(event.body)
        fresh.setdefault(body.tracking_no, (event, body))
    if not fresh:
        return
    # A replay under a new event id must not make a second record.
    for known in _existing(session, list(fresh)):
        del fresh[known]
    if not fresh:
        return
    zones = _ZoneCache(session)
    records = [_record(zones, event, body) for event, body in fresh.values()]
    execute_many(session, insert(_RECORDS), records)
    execute_many(session, insert(_HISTORY), [
        {"tracking_no": r["tracking_no"], "at": r["submitted_at"],
         "status": Status.SUBMITTED.value, "note": "", "actor": "kiosk"} for r in records])


_RECORDS = cast(Table, ApplicationRecord.__table__)
_HISTORY = cast(Table, ApplicationHistory.__table__)


def _existing(session: Session, tracking_nos: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(tracking_nos), 500):
        chunk = tracking_nos[start:start + 500]
        found.update(session.scalars(select(ApplicationRecord.tracking_no)
                                     .where(ApplicationRecord.tracking_no.in_(chunk))))
    return found


class _ZoneCache:
    """Each kiosk's station and each station's zone, looked up once per batch."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._stations: dict[str, str] = {}
        self._zones: dict[str, ZoneInfo] = {}

    def station_of(self, kiosk_id: str) -> str:
        if kiosk_id not in self._stations:
            kiosk = self._session.get(Kiosk, kiosk_id)
            self._stations[kiosk_id] = (kiosk.station_id or "") if kiosk else ""
        return self._stations[kiosk_id]

    def zone(self, station_id: str) -> ZoneInfo:
        if station_id not in self._zones:
            station = self._session.get(Station, station_id)
            self._zones[station_id] = ZoneInfo(station.timezone if station else _DEFAULT_ZONE)
        return self._zones[station_id]


def _record(zones: _ZoneCache, event: Envelope, body: ApplicationSubmitted) -> dict[str, Any]:
    station_id = body.station or zones.station_of(event.kiosk)
    submitted = event.ts_text
    return {
        "tracking_no": body.tracking_no, "event_id": event.id, "kiosk_id": event.kiosk,
        "station_id": station_id, "service_id": body.service, "channel": body.channel,
        "mode": body.mode, "submitted_at": submitted,
        "submitted_day": event.ts.astimezone(zones.zone(station_id)).date().isoformat(),
        "status": Status.SUBMITTED.value, "status_at": submitted, "reason": "",
        "delivery": body.fields.get("delivery", "")[:16],
        "applicant_masked": body.applicant, "applicant_ref": body.applicant_ref,
        "id_number": body.id_number or None,
        "details": json.dumps(body.fields, ensure_ascii=False), "visits": 1}
