"""HTTP routes of the schedules feature: schedules, history, diffs, calendar, status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from sync.messages import ALL_STATIONS, DocumentKind
from sync.schedule import CalendarLoadError

from . import calendar as cal
from . import store
from .service import Schedules, UnknownStation
from .store import ScheduleInput, ScheduleInputError, ScheduleNotFound
from .view import describe, diff_lines

__all__ = ["schedule_router", "ScheduleBody", "ApplyBody", "guarded"]

_T = TypeVar("_T")


class ScheduleBody(BaseModel):
    """A schedule to store: a TOML document, or opening_hours strings per mode."""

    toml: str | None = None
    opening_hours: dict[str, str] | None = None
    effective_from: date | None = None
    author: str = Field("api", max_length=100)
    note: str = Field("", max_length=500)
    source: str = Field("<api>", max_length=200)

    def as_input(self) -> ScheduleInput:
        """Return the submission for the store."""
        return ScheduleInput(self.toml, self.opening_hours, self.effective_from, self.source)


class ApplyBody(ScheduleBody):
    """A schedule applied to several stations at once."""

    stations: list[str] | None = None
    district: str | None = None
    all: bool = False


class CalendarBody(BaseModel):
    """An administrator's calendar year file (TOML text) and who loads it."""

    toml: str
    source: str = Field("<api>", max_length=200)
    author: str = Field("api", max_length=100)


def guarded(call: Callable[[], _T]) -> _T:
    """Return ``call()``, turning the feature's errors into HTTP errors with their message."""
    try:
        return call()
    except (UnknownStation, ScheduleNotFound) as exc:
        raise HTTPException(404, str(exc)) from None
    except (ScheduleInputError, CalendarLoadError) as exc:
        raise HTTPException(422, str(exc)) from None


def _now() -> datetime:
    return datetime.now(UTC)


def _show(schedules: Schedules, station_id: str, number: int | None) -> dict[str, Any]:
    schedules.station(station_id)
    stored = (store.version(schedules.engine, station_id, number) if number
              else store.newest(schedules.engine, station_id))
    if stored is None:
        raise ScheduleNotFound(f"{station_id} has no schedule yet; set one with "
                               f"`stationctl schedule set {station_id} FILE`")
    return {**stored.summary(), **describe(stored.document, schedules.calendar(), _now())}


def _diff(schedules: Schedules, station_id: str, old: int | None,
          new: int | None) -> dict[str, Any]:
    schedules.station(station_id)
    newest = store.newest(schedules.engine, station_id)
    if newest is None:
        raise ScheduleNotFound(f"{station_id} has no schedule yet")
    to_version = new or newest.version
    from_version = old or max(1, to_version - 1)
    a = store.version(schedules.engine, station_id, from_version)
    b = store.version(schedules.engine, station_id, to_version)
    return {"station": station_id, "from": from_version, "to": to_version,
            "diff": diff_lines(a.document, b.document)}


def _status(schedules: Schedules) -> dict[str, Any]:
    without = [s.id for s in schedules.stations()
               if store.newest(schedules.engine, s.id) is None]
    missing = cal.uncovered_years(schedules.engine)
    outdated = schedules.outdated()
    return {"status": "warning" if missing or without else "ok",
            "stations_without_schedule": without, "calendar_missing_years": missing,
            "outdated_kiosks": len(outdated),
            "documents": {k: v for k, v in (schedules.documents.versions().items()
                                            if schedules.documents else [])
                          if k.split("/")[0] in (DocumentKind.SCHEDULE, DocumentKind.CALENDAR)}}


def _register_reads(router: APIRouter, schedules: Schedules) -> None:
    @router.get("/schedules")
    def list_schedules() -> list[dict[str, Any]]:
        result = []
        for station in schedules.stations():
            newest = store.newest(schedules.engine, station.id)
            evaluator = schedules.evaluator(station.id)
            result.append({"station": station.id, "name": station.name,
                           "version": newest.version if newest else None,
                           "mode_now": evaluator.mode_at(_now()).value if evaluator else None})
        return result

    @router.get("/schedules/status")
    def status() -> dict[str, Any]:
        return _status(schedules)

    @router.get("/schedules/outdated")
    def outdated() -> list[dict[str, Any]]:
        return schedules.outdated()

    @router.get("/schedules/{station_id}")
    def show(station_id: str, version: int | None = None) -> dict[str, Any]:
        return guarded(lambda: _show(schedules, station_id, version))

    @router.get("/schedules/{station_id}/history")
    def history(station_id: str) -> list[dict[str, Any]]:
        guarded(lambda: schedules.station(station_id))
        return [s.summary() for s in store.history(schedules.engine, station_id)]

    @router.get("/schedules/{station_id}/diff")
    def diff(station_id: str, from_version: int | None = None,
             to_version: int | None = None) -> dict[str, Any]:
        return guarded(lambda: _diff(schedules, station_id, from_version, to_version))


def _register_writes(router: APIRouter, schedules: Schedules) -> None:
    @router.put("/schedules/{station_id}")
    def set_schedule(station_id: str, body: ScheduleBody) -> dict[str, Any]:
        results = guarded(lambda: schedules.set([station_id], body.as_input(),
                                                author=body.author, note=body.note))
        return results[0].as_dict()

    @router.post("/schedules/apply")
    def apply(body: ApplyBody) -> list[dict[str, Any]]:
        def run() -> list[dict[str, Any]]:
            ids = schedules.select_stations(body.stations, body.district, body.all)
            return [r.as_dict() for r in schedules.set(ids, body.as_input(),
                                                       author=body.author, note=body.note)]
        return guarded(run)

    @router.get("/calendar")
    def calendar_status() -> dict[str, Any]:
        status = cal.calendar_status(schedules.engine).as_dict()
        versions = schedules.documents.versions() if schedules.documents else {}
        return {**status,
                "document_version": versions.get(f"{DocumentKind.CALENDAR}/{ALL_STATIONS}")}

    @router.post("/calendar/years")
    def load_year(body: CalendarBody) -> dict[str, Any]:
        year = guarded(lambda: schedules.load_calendar_year(body.toml, body.source,
                                                            body.author))
        return {"year": year, **cal.calendar_status(schedules.engine).as_dict()}


def schedule_router(schedules: Schedules) -> APIRouter:
    """Return the ``/api/v1`` routes for schedules and the holiday calendar."""
    router = APIRouter(prefix="/api/v1")
    _register_reads(router, schedules)
    _register_writes(router, schedules)
    return router
