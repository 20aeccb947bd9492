"""The schedules feature's state: stored versions, compiled evaluators, publishing."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from controller.db import Kiosk, Station
from controller.documents import DocumentPublisher
from sync.messages import DocumentKind
from sync.schedule import (
    HolidayCalendar,
    ScheduleEvaluator,
    ScheduleLoadError,
    compile_schedule,
    load_schedule,
)

from . import calendar as cal
from . import store
from .store import ScheduleInput, ScheduleInputError, StoredSchedule

__all__ = ["Schedules", "SetResult", "UnknownStation", "ScheduleInputError"]

log = logging.getLogger(__name__)


class UnknownStation(LookupError):
    """A station id that is not in the configuration."""


@dataclass(frozen=True, slots=True)
class SetResult:
    """What storing a schedule for one station did."""

    station: str
    version: int
    created: bool
    published_version: int | None

    def as_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data."""
        return {"station": self.station, "version": self.version, "created": self.created,
                "published_version": self.published_version}


class Schedules:
    """Stores, validates, versions and publishes station schedules and the calendar."""

    def __init__(self, engine: Engine, documents: DocumentPublisher | None = None) -> None:
        self.engine = engine
        self.documents = documents
        self._lock = threading.RLock()
        self._calendar: HolidayCalendar | None = None
        self._evaluators: dict[str, tuple[int, ScheduleEvaluator]] = {}

    # -- stations -------------------------------------------------------------------------
    def stations(self) -> list[Station]:
        """Return the configured stations, by id."""
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(select(Station).order_by(Station.id)))

    def station(self, station_id: str) -> Station:
        """Return one station or raise UnknownStation."""
        for station in self.stations():
            if station.id == station_id:
                return station
        raise UnknownStation(f"no station {station_id!r} in the configuration; "
                             "see `stationctl stations`")

    def select_stations(self, ids: list[str] | None = None, district: str | None = None,
                        everyone: bool = False) -> list[str]:
        """Return the station ids named by ids, a district or all; raise if none match."""
        known = self.stations()
        if everyone:
            return [s.id for s in known]
        if district:
            chosen = [s.id for s in known if s.district == district]
            if not chosen:
                raise UnknownStation(f"no station in district {district!r}; districts: "
                                     + ", ".join(sorted({s.district for s in known})))
            return chosen
        for station_id in ids or []:
            self.station(station_id)
        if not ids:
            raise UnknownStation("name the stations (--stations a,b), a --district, or --all")
        return list(dict.fromkeys(ids))

    # -- calendar and evaluators ------------------------------------------------------------
    def calendar(self) -> HolidayCalendar:
        """Return the holiday calendar in use (rebuilt after a year is loaded)."""
        with self._lock:
            if self._calendar is None:
                self._calendar = cal.build_calendar(self.engine)
            return self._calendar

    def evaluator(self, station_id: str) -> ScheduleEvaluator | None:
        """Return the compiled newest schedule of a station, or None if it has none."""
        with self._lock:
            current = store.newest(self.engine, station_id)
            if current is None:
                return None
            held = self._evaluators.get(station_id)
            if held is None or held[0] != current.version:
                held = (current.version, compile_schedule(current.document, self.calendar()))
                self._evaluators[station_id] = held
            return held[1]

    def load_calendar_year(self, text: str, source: str, author: str) -> int:
        """Store an administrator's year from TOML text, republish; return the year."""
        year = cal.parse_calendar_text(text, source)
        cal.store_calendar_year(self.engine, year, author)
        with self._lock:
            self._calendar = None
            self._evaluators.clear()
        self.publish_calendar()
        return year.year

    # -- writing ----------------------------------------------------------------------------
    def set(self, station_ids: list[str], given: ScheduleInput, *, author: str,
            note: str = "", origin: str | None = None) -> list[SetResult]:
        """Validate ``given`` for every station first, then store and publish each."""
        origin = origin or ("toml" if given.toml is not None else "opening_hours")
        with self._lock:
            documents = [store.build_document(self.engine, sid, self.station(sid).timezone,
                                              given) for sid in station_ids]
            fingerprint = self.calendar().fingerprint(cal.window_years())
            results = []
            for document in documents:
                stored, created = store.save(self.engine, document, author=author,
                                             origin=origin, note=note,
                                             calendar_fingerprint=fingerprint)
                results.append(SetResult(stored.station_id, stored.version, created,
                                         self.publish_schedule(stored)))
        return results

    def seed(self, folder: Path) -> list[str]:
        """Store config/schedules files for stations that have no schedule; return them."""
        known = {s.id for s in self.stations()}
        seeded = []
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                document = load_schedule(path)
            except ScheduleLoadError as exc:
                log.error("seed schedule ignored: %s", exc)
                continue
            if document.station_id not in known:
                log.warning("seed %s names unknown station %s; ignored", path.name,
                            document.station_id)
                continue
            if store.newest(self.engine, document.station_id) is None:
                self.set([document.station_id], ScheduleInput(toml=path.read_text("utf-8"),
                                                              source=str(path)),
                         author="config", origin="seed", note=path.name)
                seeded.append(document.station_id)
        return seeded

    # -- publishing -------------------------------------------------------------------------
    def publish_schedule(self, stored: StoredSchedule) -> int | None:
        """Publish a stored version retained; return the document version (None offline)."""
        if self.documents is None:
            return None
        published = self.documents.put(DocumentKind.SCHEDULE, stored.station_id,
                                       store.as_json(stored.document), author=stored.author)
        if published != stored.version:
            log.warning("schedule %s: document version %d differs from schedule version %d",
                        stored.station_id, published, stored.version)
        return published

    def publish_calendar(self) -> int | None:
        """Publish the calendar snapshot (a new document version only when it changed)."""
        if self.documents is None:
            return None
        return self.documents.put(DocumentKind.CALENDAR, cal.CALENDAR_SCOPE,
                                  cal.snapshot_body(self.engine))

    def publish_all(self) -> None:
        """Publish every station's newest schedule and the calendar (after connecting)."""
        self.publish_calendar()
        for station in self.stations():
            current = store.newest(self.engine, station.id)
            if current is not None:
                self.publish_schedule(current)

    # -- kiosks ---------------------------------------------------------------------------
    def outdated(self) -> list[dict[str, Any]]:
        """Return kiosks whose reported schedule version is older than the newest one."""
        rows = []
        with Session(self.engine) as session:
            kiosks = list(session.scalars(select(Kiosk).order_by(Kiosk.id)))
        for kiosk in kiosks:
            if kiosk.station_id is None:
                continue
            current = store.newest(self.engine, kiosk.station_id)
            if current is None:
                continue
            held = json.loads(kiosk.documents or "{}").get(
                f"{DocumentKind.SCHEDULE}/{kiosk.station_id}")
            if held is None or held < current.version:
                rows.append({"kiosk": kiosk.id, "station": kiosk.station_id,
                             "online": kiosk.online, "held_version": held,
                             "newest_version": current.version,
                             "last_seen": kiosk.last_seen})
        return rows

