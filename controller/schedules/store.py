"""Schedule versions with full history: validate, number, store, compare.

The controller numbers versions: a stored document's ``version`` is one more than the
station's newest, whatever the submitted file says, so the published document version
and the schedule version are the same number.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sync.envelope import format_utc, utc_now
from sync.schedule import (
    Mode,
    OpeningHoursSyntaxError,
    ScheduleLoadError,
    StationSchedule,
    apply_opening_hours,
    parse_opening_hours,
    parse_schedule,
)

from .models import ScheduleVersion

__all__ = ["ScheduleInputError", "ScheduleNotFound", "ScheduleInput", "StoredSchedule",
           "newest", "history", "version", "build_document", "save"]


class ScheduleInputError(ValueError):
    """A submitted schedule is invalid; the message is the core's, with the station."""


class ScheduleNotFound(LookupError):
    """The station or version has no stored schedule."""


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    """What an operator submits: a TOML document or opening_hours strings per mode."""

    toml: str | None = None
    opening_hours: dict[str, str] | None = None
    effective_from: date | None = None
    source: str = "<submitted>"


@dataclass(frozen=True, slots=True)
class StoredSchedule:
    """A stored version with its document and bookkeeping."""

    station_id: str
    version: int
    created_at: str
    author: str
    origin: str
    note: str
    calendar_fingerprint: str
    document: StationSchedule

    def summary(self) -> dict[str, Any]:
        """Return the bookkeeping as JSON-ready data (no document)."""
        return {"station": self.station_id, "version": self.version,
                "created_at": self.created_at, "author": self.author, "origin": self.origin,
                "note": self.note, "calendar_fingerprint": self.calendar_fingerprint,
                "effective_from": self.document.effective_from.isoformat()}


def _stored(row: ScheduleVersion) -> StoredSchedule:
    return StoredSchedule(row.station_id, row.version, row.created_at, row.author, row.origin,
                          row.note, row.calendar_fingerprint,
                          StationSchedule.from_json(row.body))


def _newest_row(session: Session, station_id: str) -> ScheduleVersion | None:
    return session.scalars(select(ScheduleVersion)
                           .where(ScheduleVersion.station_id == station_id)
                           .order_by(ScheduleVersion.version.desc()).limit(1)).first()


def newest(engine: Engine, station_id: str) -> StoredSchedule | None:
    """Return the station's newest stored schedule, or None."""
    with Session(engine) as session:
        row = _newest_row(session, station_id)
        return _stored(row) if row else None


def history(engine: Engine, station_id: str) -> list[StoredSchedule]:
    """Return every stored version of the station's schedule, newest first."""
    with Session(engine) as session:
        rows = session.scalars(select(ScheduleVersion)
                               .where(ScheduleVersion.station_id == station_id)
                               .order_by(ScheduleVersion.version.desc()))
        return [_stored(row) for row in rows]


def version(engine: Engine, station_id: str, number: int) -> StoredSchedule:
    """Return one stored version, or raise ScheduleNotFound."""
    with Session(engine) as session:
        row = session.scalars(select(ScheduleVersion).where(
            ScheduleVersion.station_id == station_id,
            ScheduleVersion.version == number)).first()
        if row is None:
            raise ScheduleNotFound(f"{station_id} has no schedule version {number}; "
                                   f"see `stationctl schedule history {station_id}`")
        return _stored(row)


def _from_toml(station_id: str, given: ScheduleInput, number: int) -> StationSchedule:
    assert given.toml is not None
    try:
        data = tomllib.loads(given.toml)
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleInputError(f"{given.source}: not valid TOML: {exc}; fix the syntax "
                                 "there") from None
    data.update(station_id=station_id, version=number)
    if given.effective_from is not None:
        data["effective_from"] = given.effective_from
    try:
        return parse_schedule(data, given.source)
    except ScheduleLoadError as exc:
        raise ScheduleInputError(str(exc)) from None


def _empty(station_id: str, timezone: str, start: date) -> StationSchedule:
    return StationSchedule(station_id=station_id, version=1, effective_from=start,
                           timezone=timezone)


def _from_opening_hours(base: StationSchedule, given: ScheduleInput,
                        number: int) -> StationSchedule:
    document = base
    for mode_name, text in (given.opening_hours or {}).items():
        try:
            mode = Mode(mode_name)
            if mode is Mode.CLOSED:
                raise ValueError
        except ValueError:
            raise ScheduleInputError(f"{mode_name!r} is not a mode with hours; use staffed "
                                     "or self_service") from None
        try:
            document = apply_opening_hours(document, mode, parse_opening_hours(text))
        except OpeningHoursSyntaxError as exc:
            raise ScheduleInputError(f"{mode.value}: {exc}") from None
    data = document.model_dump(mode="json")
    data["version"] = number
    if given.effective_from is not None:
        data["effective_from"] = given.effective_from.isoformat()
    try:
        return parse_schedule(data, given.source)
    except ScheduleLoadError as exc:
        raise ScheduleInputError(str(exc)) from None


def build_document(engine: Engine, station_id: str, timezone: str,
                   given: ScheduleInput) -> StationSchedule:
    """Return the validated document ``given`` makes for a station, numbered as its next."""
    if (given.toml is None) == (not given.opening_hours):
        raise ScheduleInputError("give either a TOML schedule or opening_hours strings "
                                 "(per mode), not both and not neither")
    current = newest(engine, station_id)
    number = current.version + 1 if current else 1
    if given.toml is not None:
        return _from_toml(station_id, given, number)
    base = current.document if current else _empty(
        station_id, timezone, given.effective_from or date.today())
    return _from_opening_hours(base, given, number)


def same_content(a: StationSchedule, b: StationSchedule) -> bool:
    """Return True when two documents differ at most in their version number."""
    return a.model_copy(update={"version": 0}) == b.model_copy(update={"version": 0})


def save(engine: Engine, document: StationSchedule, *, author: str, origin: str,
         note: str = "", calendar_fingerprint: str = "") -> tuple[StoredSchedule, bool]:
    """Store ``document`` as the station's next version unless it repeats the newest.

    Returns the stored version and whether it is new. Two writers racing for the same
    number collide on the unique (station, version) constraint: the loser's transaction
    fails and nothing half-written remains.
    """
    with Session(engine) as session, session.begin():
        current = _newest_row(session, document.station_id)
        if current is not None:
            held = _stored(current)
            if same_content(held.document, document):
                return held, False
        number = current.version + 1 if current else 1
        document = document.model_copy(update={"version": number})
        row = ScheduleVersion(
            station_id=document.station_id, version=number, created_at=format_utc(utc_now()),
            author=author[:100], origin=origin, note=note,
            calendar_fingerprint=calendar_fingerprint, body=document.to_json())
        session.add(row)
        session.flush()
        return _stored(row), True


def as_json(document: StationSchedule) -> dict[str, Any]:
    """Return the document as the JSON body published to kiosks."""
    body: dict[str, Any] = json.loads(document.to_json())
    return body

