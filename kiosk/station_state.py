"""What the kiosk's screens show about opening hours, from the documents the kiosk holds.

:class:`StationState` follows every station's ``schedule`` document, the network's
``calendar/all`` holiday calendar and ``stations/all`` directory, all kept on disk by the
agent's :class:`~sync.documents.DocumentCache`, so it keeps answering with the last good
copies while the controller is away. It imports no Kivy: the touch UI polls it and
subscribes with :meth:`StationState.on_change`.

Calendar document body (``calendar/all``)::

    {"snapshot": <CalendarSnapshot JSON>, "missing_years": [2027, ...]}

Without it the chinesecalendar package is used directly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from pydantic import ValidationError

from sync.documents import DocumentCache, StoredDocument
from sync.geo import great_circle_km
from sync.messages import ALL_STATIONS, DocumentKind, VersionedDocument
from sync.schedule import (
    CalendarSnapshot,
    HolidayCalendar,
    Mode,
    ScheduleEvaluator,
    StationSchedule,
    closes_at,
    compile_schedule,
    next_opening,
)
from sync.settings import StationConfig
from sync.topics import document_subscription

if TYPE_CHECKING:
    from .agent import KioskAgent

__all__ = ["StationState", "NearbyStation", "HoursRange"]

log = logging.getLogger(__name__)


class HoursRange(NamedTuple):
    """One open stretch of today, as aware datetimes in the station's zone."""

    start: datetime
    end: datetime

    @property
    def text(self) -> str:
        """Return "HH:MM-HH:MM"; a stretch running to midnight ends "24:00"."""
        midnight = self.end.date() > self.start.date() and self.end.time() == time()
        return f"{self.start:%H:%M}-{'24:00' if midnight else format(self.end, '%H:%M')}"


class NearbyStation(NamedTuple):
    """Another station that is open now, for "try the nearest open station"."""

    id: str
    name: str
    name_en: str
    address: str
    distance_km: float
    mode: Mode
    closes_at: datetime | None  # station time; None: stays open beyond 400 days


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StationState:
    """This kiosk's station: mode now, today's hours, next change, nearest open stations."""

    def __init__(self, agent: KioskAgent, *, now: Callable[[], datetime] = _utc_now) -> None:
        self._agent = agent
        self._cache: DocumentCache = agent.documents
        self._now = now
        self.station_id = agent.config.station
        self._lock = threading.RLock()
        self._listeners: list[Callable[[], None]] = []
        self._evaluators: dict[str, tuple[int, int, ScheduleEvaluator]] = {}
        self._calendar: tuple[int, HolidayCalendar] | None = None
        agent.on_document(self._on_document)
        agent.follow_documents(document_subscription(DocumentKind.SCHEDULE))

    # -- documents ----------------------------------------------------------------------
    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` (on the network thread) when this station's hours change."""
        self._listeners.append(callback)

    def _on_document(self, document: VersionedDocument) -> None:
        own = (document.kind == DocumentKind.SCHEDULE and document.scope == self.station_id)
        if not own and document.kind != DocumentKind.CALENDAR:
            return
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:
                log.exception("station-state listener %s failed", callback)

    def _holiday_calendar(self) -> tuple[int, HolidayCalendar]:
        stored = self._cache.get(DocumentKind.CALENDAR, ALL_STATIONS)
        version = stored.document.version if stored else 0
        if self._calendar is not None and self._calendar[0] == version:
            return self._calendar
        calendar = HolidayCalendar()
        if stored is not None:
            try:
                snapshot = CalendarSnapshot.model_validate(stored.document.body["snapshot"])
                # Controller years win; the package fills any year the snapshot leaves out.
                calendar = HolidayCalendar(snapshot.years, accept_placeholders=True)
            except (KeyError, ValidationError, ValueError) as exc:
                log.warning("calendar document v%d unusable (%s); using the package",
                            version, exc)
        self._calendar = (version, calendar)
        return self._calendar

    def _evaluator(self, station_id: str) -> ScheduleEvaluator | None:
        stored = self._cache.get(DocumentKind.SCHEDULE, station_id)
        if stored is None:
            return None
        calendar_version, calendar = self._holiday_calendar()
        held = self._evaluators.get(station_id)
        if held and held[:2] == (stored.document.version, calendar_version):
            return held[2]
        try:
            document = StationSchedule.model_validate(stored.document.body)
        except ValidationError as exc:
            log.warning("schedule of %s v%d unusable: %s", station_id,
                        stored.document.version, exc.error_count())
            return None
        evaluator = compile_schedule(document, calendar)
        self._evaluators[station_id] = (stored.document.version, calendar_version, evaluator)
        return evaluator

    # -- this station ---------------------------------------------------------------------
    def _stored(self) -> StoredDocument | None:
        return self._cache.get(DocumentKind.SCHEDULE, self.station_id)

    @property
    def schedule_known(self) -> bool:
        """Return True once a usable schedule for this station is held."""
        with self._lock:
            return self._evaluator(self.station_id) is not None

    @property
    def schedule_version(self) -> int | None:
        """Return the version of the held schedule, or None when there is none yet."""
        stored = self._stored()
        return stored.document.version if stored else None

    @property
    def schedule_age_s(self) -> float | None:
        """Return how many seconds ago the held schedule was received (None: none held)."""
        stored = self._stored()
        return stored.age_s(self._now()) if stored else None

    def mode_now(self) -> Mode:
        """Return the station's mode now; CLOSED while no schedule is known."""
        with self._lock:
            evaluator = self._evaluator(self.station_id)
            return evaluator.mode_at(self._now()) if evaluator else Mode.CLOSED

    def today_hours(self) -> dict[Mode, list[HoursRange]]:
        """Return today's open stretches per open mode, in station time (empty if unknown)."""
        result: dict[Mode, list[HoursRange]] = {Mode.STAFFED: [], Mode.SELF_SERVICE: []}
        with self._lock:
            evaluator = self._evaluator(self.station_id)
            if evaluator is None:
                return result
            local = self._now().astimezone(evaluator.document.zone)
            start = local.replace(hour=0, minute=0, second=0, microsecond=0)
            end = start + timedelta(days=1)  # wall-clock arithmetic: the next local midnight
            for interval in evaluator.open_intervals(start, end):
                result[interval.mode].append(HoursRange(interval.start, interval.end))
        return result

    def today_notes(self) -> dict[Mode, str]:
        """Return the notes that go with today's hours ("by appointment"), per open mode
        that has one; empty without a schedule."""
        with self._lock:
            evaluator = self._evaluator(self.station_id)
            if evaluator is None:
                return {}
            today = self._now().astimezone(evaluator.document.zone).date()
            notes = {mode: evaluator.note_on(today, mode) for mode in (Mode.STAFFED,
                                                                      Mode.SELF_SERVICE)}
        return {mode: note for mode, note in notes.items() if note}

    def next_change(self) -> tuple[datetime, Mode] | None:
        """Return when the mode next changes and to what (station time); None if unknown."""
        with self._lock:
            evaluator = self._evaluator(self.station_id)
            return evaluator.next_change(self._now()) if evaluator else None

    def next_opening(self) -> datetime | None:
        """Return when the station next goes from closed to open (after the current
        opening if open now); None without a schedule or within 400 days."""
        with self._lock:
            evaluator = self._evaluator(self.station_id)
            return next_opening(evaluator, self._now()) if evaluator else None

    # -- other stations -------------------------------------------------------------------
    def _stations(self) -> list[StationConfig]:
        stored = self._cache.get(DocumentKind.STATIONS, ALL_STATIONS)
        if stored is not None:
            try:
                return [StationConfig.model_validate(s) for s in stored.document.body["stations"]]
            except (KeyError, TypeError, ValidationError) as exc:
                log.warning("stations document unusable (%s); using local configuration", exc)
        return list(self._agent.settings.stations)

    def nearest_open(self, limit: int = 3) -> list[NearbyStation]:
        """Return up to ``limit`` other stations open now, nearest first."""
        stations = {s.id: s for s in self._stations()}
        here = stations.get(self.station_id)
        if here is None:
            return []
        now = self._now()
        found: list[NearbyStation] = []
        with self._lock:
            for station in stations.values():
                evaluator = self._evaluator(station.id) if station.id != here.id else None
                mode = evaluator.mode_at(now) if evaluator else Mode.CLOSED
                if evaluator is None or mode is Mode.CLOSED:
                    continue
                found.append(NearbyStation(
                    station.id, station.name, station.name_en, station.address,
                    round(great_circle_km(here.lat, here.lon, station.lat, station.lon), 2),
                    mode, closes_at(evaluator, now)))
        return sorted(found, key=lambda s: (s.distance_km, s.id))[:max(0, limit)]

