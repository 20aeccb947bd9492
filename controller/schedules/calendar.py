"""The controller's holiday calendar: package years, administrator years, the published snapshot.

Precedence: years loaded with ``stationctl calendar load`` or from ``config/calendar``
(stored in ``calendar_years``) win over the chinesecalendar package; placeholder files
(``official = false``) are ignored, as the core does.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sync.envelope import format_utc, utc_now
from sync.messages import ALL_STATIONS
from sync.schedule import (
    DEFAULT_HORIZON,
    CalendarLoadError,
    CalendarYear,
    HolidayCalendar,
    load_calendar_year,
    parse_calendar_year,
)

from .models import CalendarFile, CalendarSnapshotRecord, ScheduleVersion

__all__ = ["CalendarStatus", "build_calendar", "calendar_status", "uncovered_years",
           "store_calendar_year", "parse_calendar_text", "load_config_calendars",
           "snapshot_body", "window_years", "CALENDAR_SCOPE"]

log = logging.getLogger(__name__)
CALENDAR_SCOPE = ALL_STATIONS


@dataclass(frozen=True, slots=True)
class CalendarStatus:
    """What the calendar covers around today and what is missing."""

    window: tuple[int, int]
    covered: list[dict[str, Any]]
    missing: list[int]
    ignored_placeholders: list[int]
    fingerprint: str

    def as_dict(self) -> dict[str, Any]:
        """Return the status as JSON-ready data."""
        return {"window": list(self.window), "covered": self.covered, "missing": self.missing,
                "ignored_placeholders": self.ignored_placeholders,
                "fingerprint": self.fingerprint}


def _stored_years(session: Session) -> list[CalendarYear]:
    return [CalendarYear.model_validate_json(row.body)
            for row in session.scalars(select(CalendarFile).order_by(CalendarFile.year))]


def build_calendar(engine: Engine) -> HolidayCalendar:
    """Return the calendar kiosks and evaluations use: stored official years + package."""
    with Session(engine) as session:
        return HolidayCalendar(_stored_years(session))


def _window(today: date) -> tuple[int, int]:
    return today.year - 1, max(today.year + 1, (today + DEFAULT_HORIZON).year)


def window_years(today: date | None = None) -> range:
    """Return the years the published snapshot covers: last year to 400 days ahead."""
    first, last = _window(today or date.today())
    return range(first, last + 1)


def _reached_years(engine: Engine, today: date) -> list[int]:
    """Years any stored schedule reaches within the next 400 days."""
    with Session(engine) as session:
        has_schedule = session.scalar(select(ScheduleVersion.id).limit(1)) is not None
    if not has_schedule:
        return []
    return list(range(today.year, (today + DEFAULT_HORIZON).year + 1))


def uncovered_years(engine: Engine, today: date | None = None) -> list[int]:
    """Return the years schedules reach within 400 days that have no holiday data.

    The remote-management feature turns a non-empty answer into an alarm: an administrator
    loads the State Council notice with ``stationctl calendar load FILE``.
    """
    today = today or date.today()
    calendar = build_calendar(engine)
    return [year for year in _reached_years(engine, today) if not calendar.covers(year)]


def calendar_status(engine: Engine, today: date | None = None) -> CalendarStatus:
    """Return covered years (with their sources), missing years and the fingerprint."""
    today = today or date.today()
    with Session(engine) as session:
        rows = {row.year: row for row in session.scalars(select(CalendarFile))}
    calendar = build_calendar(engine)
    first, last = _window(today)
    covered = []
    for year in range(first, last + 1):
        data = calendar.year(year)
        if data is not None:
            row = rows.get(year)
            covered.append({"year": year, "source": data.source, "origin": data.origin,
                            "loaded_by": row.loaded_by if row else None,
                            "loaded_at": row.loaded_at if row else None})
    ignored = sorted(y for y, row in rows.items() if not row.official)
    return CalendarStatus((first, last), covered, uncovered_years(engine, today), ignored,
                          calendar.fingerprint(range(first, last + 1)))


def parse_calendar_text(text: str, source: str) -> CalendarYear:
    """Return the calendar year in TOML ``text``; CalendarLoadError says what to fix."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarLoadError(source, [f"not valid TOML: {exc}; fix the syntax there"]) from None
    year = parse_calendar_year(data, source)
    if not year.official:
        raise CalendarLoadError(source, [
            "official = false marks a placeholder, which is ignored; transcribe the State "
            "Council notice's dates and set official = true"])
    return year


def store_calendar_year(engine: Engine, year: CalendarYear, loaded_by: str) -> None:
    """Store (or replace) an administrator's year; it wins over the package from now on."""
    with Session(engine) as session, session.begin():
        session.merge(CalendarFile(year=year.year, source=year.source, official=year.official,
                                   loaded_at=format_utc(utc_now()), loaded_by=loaded_by,
                                   body=year.model_dump_json()))


def load_config_calendars(engine: Engine, folder: Path) -> list[int]:
    """Store config/calendar files not overridden by stationctl; return the years stored."""
    with Session(engine) as session:
        by_hand = {row.year for row in session.scalars(select(CalendarFile))
                   if row.loaded_by != "config"}
    stored = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            year = load_calendar_year(path)
        except CalendarLoadError as exc:
            log.error("calendar file ignored: %s", exc)
            continue
        if year.year in by_hand:
            continue
        if not year.official:
            log.warning("calendar %s is a placeholder (official = false): year %d stays "
                        "uncovered until the real notice is loaded", path.name, year.year)
        store_calendar_year(engine, year, "config")
        stored.append(year.year)
    return stored


def snapshot_body(engine: Engine, today: date | None = None) -> dict[str, Any]:
    """Return the ``calendar/all`` document body and remember the snapshot by fingerprint."""
    today = today or date.today()
    first, last = _window(today)
    snapshot = build_calendar(engine).snapshot(range(first, last + 1))
    body = {"snapshot": snapshot.model_dump(mode="json"),
            "missing_years": uncovered_years(engine, today)}
    with Session(engine) as session, session.begin():
        known = session.scalar(select(CalendarSnapshotRecord.id).where(
            CalendarSnapshotRecord.fingerprint == snapshot.fingerprint))
        if known is None:
            session.add(CalendarSnapshotRecord(
                fingerprint=snapshot.fingerprint, created_at=format_utc(utc_now()),
                years=",".join(str(y.year) for y in snapshot.years),
                body=json.dumps(body["snapshot"], ensure_ascii=False)))
    return body

