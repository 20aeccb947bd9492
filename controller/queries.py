"""The fleet registry's read side: plain dicts for the HTTP API and stationctl."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.logs import mask_personal_data

from .db import Event, Kiosk, QuarantinedMessage, SequenceGap, Station

__all__ = ["fleet", "kiosk_detail", "events", "quarantine", "gaps", "KioskNotFound"]


class KioskNotFound(LookupError):
    """No kiosk with that id has ever spoken to this controller."""


def _kiosk_summary(kiosk: Kiosk, open_gaps: int) -> dict[str, Any]:
    telemetry = json.loads(kiosk.telemetry) if kiosk.telemetry else {}
    return {
        "id": kiosk.id, "station": kiosk.station_id, "online": kiosk.online,
        "last_seen": kiosk.last_seen, "presence_changed": kiosk.presence_changed,
        "software": kiosk.software, "events": kiosk.events_total, "max_seq": kiosk.max_seq,
        "open_gaps": open_gaps, "outbox_depth": telemetry.get("outbox_depth"),
        "clock_offset_ms": telemetry.get("clock_offset_ms"),
        "devices": {d["name"]: d["state"] for d in json.loads(kiosk.devices or "[]")},
    }


def _open_gap_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(SequenceGap.kiosk_id, func.count())
                           .where(SequenceGap.closed_at.is_(None))
                           .group_by(SequenceGap.kiosk_id)).all()
    return {kiosk_id: int(count) for kiosk_id, count in rows}


def fleet(session: Session) -> dict[str, Any]:
    """Return every station with its kiosks, plus kiosks at no configured station."""
    gaps_by_kiosk = _open_gap_counts(session)
    kiosks = [_kiosk_summary(k, gaps_by_kiosk.get(k.id, 0))
              for k in session.scalars(select(Kiosk).order_by(Kiosk.id))]
    stations = []
    for station in session.scalars(select(Station).order_by(Station.id)):
        mine = [k for k in kiosks if k["station"] == station.id]
        stations.append({"id": station.id, "name": station.name, "name_en": station.name_en,
                         "district": station.district, "kiosks": mine,
                         "online": sum(1 for k in mine if k["online"])})
    known = {s["id"] for s in stations}
    return {"stations": stations,
            "unassigned": [k for k in kiosks if k["station"] not in known],
            "kiosks_total": len(kiosks), "kiosks_online": sum(1 for k in kiosks if k["online"])}


def kiosk_detail(session: Session, kiosk_id: str) -> dict[str, Any]:
    """Return everything known about one kiosk, or raise KioskNotFound."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise KioskNotFound(f"no kiosk {kiosk_id!r} has connected to this controller")
    detail = _kiosk_summary(kiosk, _open_gap_counts(session).get(kiosk_id, 0))
    detail.update(first_seen=kiosk.first_seen, devices=json.loads(kiosk.devices or "[]"),
                  documents=json.loads(kiosk.documents or "{}"),
                  telemetry=json.loads(kiosk.telemetry) if kiosk.telemetry else None,
                  gaps=gaps(session, kiosk_id=kiosk_id))
    return detail


def events(session: Session, *, kiosk_id: str | None = None, event_type: str | None = None,
           after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Return stored events in arrival order after cursor ``after`` (the event's ``pk``)."""
    query = select(Event).where(Event.pk > after).order_by(Event.pk).limit(max(1, min(limit, 5000)))
    if kiosk_id:
        query = query.where(Event.kiosk_id == kiosk_id)
    if event_type:
        query = query.where(Event.type == event_type)
    return [{"pk": e.pk, "id": e.event_id, "kiosk": e.kiosk_id, "seq": e.seq, "type": e.type,
             "ts": e.ts, "received_at": e.received_at, "body": json.loads(e.body)}
            for e in session.scalars(query)]


def quarantine(session: Session, *, limit: int = 100) -> list[dict[str, Any]]:
    """Return the newest quarantine rows: reason, masked excerpt, how many times since when.

    ``repeats`` counts identical refusals (same kiosk and reason) folded into the row
    between ``received_at`` and ``last_at``; payloads themselves are never kept.
    """
    rows = session.scalars(select(QuarantinedMessage)
                           .order_by(QuarantinedMessage.id.desc()).limit(limit))
    return [{"id": q.id, "received_at": q.received_at, "last_at": q.last_at,
             "repeats": q.repeats, "topic": q.topic, "kiosk": q.kiosk_id, "reason": q.reason,
             "detail": mask_personal_data(q.detail), "size": q.size, "excerpt": q.excerpt}
            for q in rows]


def gaps(session: Session, *, kiosk_id: str | None = None,
         open_only: bool = False) -> list[dict[str, Any]]:
    """Return sequence gaps, newest first."""
    query = select(SequenceGap).order_by(SequenceGap.id.desc())
    if kiosk_id:
        query = query.where(SequenceGap.kiosk_id == kiosk_id)
    if open_only:
        query = query.where(SequenceGap.closed_at.is_(None))
    return [{"kiosk": g.kiosk_id, "first_missing": g.first_missing,
             "last_missing": g.last_missing, "detected_at": g.detected_at,
             "closed_at": g.closed_at} for g in session.scalars(query)]
