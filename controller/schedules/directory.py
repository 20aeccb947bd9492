"""The station directory: which stations are open now, when each next opens, the nearest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sync.geo import great_circle_km
from sync.schedule import Mode, closes_at, next_opening

from .service import Schedules

__all__ = ["directory"]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _entry(schedules: Schedules, station: Any, now: datetime) -> dict[str, Any]:
    evaluator = schedules.evaluator(station.id)
    mode = evaluator.mode_at(now) if evaluator else None
    is_open = mode not in (None, Mode.CLOSED)
    change = evaluator.next_change(now) if evaluator else None
    return {
        "id": station.id, "name": station.name, "name_en": station.name_en,
        "district": station.district, "address": station.address,
        "lat": station.lat, "lon": station.lon,
        "schedule_known": evaluator is not None,
        "mode": mode.value if mode else None, "open": is_open,
        "next_change": {"at": change[0].isoformat(), "mode": change[1].value} if change else None,
        "next_opening": _iso(next_opening(evaluator, now)) if evaluator else None,
        "closes_at": _iso(closes_at(evaluator, now)) if evaluator and is_open else None,
    }


def directory(schedules: Schedules, *, open_only: bool = False, near: str | None = None,
              now: datetime | None = None) -> list[dict[str, Any]]:
    """Return every station with its mode now and next opening; with ``near``, the other
    stations by great-circle distance from that one (``distance_km``), nearest first."""
    now = now or datetime.now(UTC)
    origin = schedules.station(near) if near else None
    entries = []
    for station in schedules.stations():
        if origin is not None and station.id == origin.id:
            continue
        entry = _entry(schedules, station, now)
        if open_only and not entry["open"]:
            continue
        if origin is not None:
            entry["distance_km"] = round(great_circle_km(origin.lat, origin.lon,
                                                         station.lat, station.lon), 2)
        entries.append(entry)
    if origin is not None:
        entries.sort(key=lambda e: (e["distance_km"], e["id"]))
    return entries
