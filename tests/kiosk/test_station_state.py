"""StationState answers from the documents the kiosk holds, and plainly without any."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.agent import KioskAgent
from kiosk.station_state import StationState
from sync.messages import VersionedDocument
from sync.schedule import CalendarYear, HolidayCalendar, Mode, load_schedule
from sync.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
STATIONS = [
    {"id": "hz-xihu-wensan", "name": "文三", "name_en": "Wensan", "district": "西湖区",
     "address": "文三路", "lat": 30.2795, "lon": 120.1302},
    {"id": "hz-gongshu-daguan", "name": "大关", "name_en": "Daguan", "district": "拱墅区",
     "address": "大关路", "lat": 30.3107, "lon": 120.1480},
    {"id": "hz-binjiang-changhe", "name": "长河", "name_en": "Changhe", "district": "滨江区",
     "address": "长河路", "lat": 30.1903, "lon": 120.2030},
]


class Clock:
    """A settable clock for StationState."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)  # a Wednesday

    def set(self, text: str) -> None:
        self.now = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[KioskAgent]:
    settings = Settings.model_validate({
        "data_dir": str(tmp_path), "stations": STATIONS,
        "kiosks": [{"id": "k-wensan-1", "station": "hz-xihu-wensan"}]})
    made = KioskAgent(settings, "k-wensan-1")  # never started: no broker needed
    yield made
    made.store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _schedule_body(station: str, **changes: Any) -> dict[str, Any]:
    document = load_schedule(REPO / "config" / "schedules" / "hz-xihu-wensan.toml")
    body = document.model_dump(mode="json")
    body.update(station_id=station, **changes)
    return body


def _offer(agent: KioskAgent, kind: str, scope: str, body: dict[str, Any], version: int = 1
           ) -> None:
    assert agent.documents.offer(
        VersionedDocument(kind=kind, scope=scope, version=version, body=body))


def _at(clock: Clock, text: str) -> datetime:
    clock.set(text)
    return clock.now


def test_without_any_schedule_it_says_closed_and_unknown_and_never_crashes(
        agent: KioskAgent, clock: Clock) -> None:
    state = StationState(agent, now=clock)
    assert state.schedule_known is False
    assert state.mode_now() is Mode.CLOSED
    assert state.today_hours() == {Mode.STAFFED: [], Mode.SELF_SERVICE: []}
    assert state.next_change() is None
    assert state.next_opening() is None
    assert state.schedule_version is None
    assert state.schedule_age_s is None
    assert state.nearest_open() == []


def test_mode_today_hours_and_next_change_follow_the_held_schedule(
        agent: KioskAgent, clock: Clock) -> None:
    _offer(agent, "schedule", "hz-xihu-wensan", _schedule_body("hz-xihu-wensan"), version=4)
    state = StationState(agent, now=clock)
    assert state.schedule_known and state.schedule_version == 4
    assert state.mode_now() is Mode.SELF_SERVICE
    hours = state.today_hours()
    assert [r.text for r in hours[Mode.SELF_SERVICE]] == ["07:00-17:30", "21:00-22:30"]
    assert [r.text for r in hours[Mode.STAFFED]] == ["17:30-21:00"]
    assert state.next_change() == (_at(Clock(), "2026-11-25T17:30"), Mode.STAFFED)
    # Open now: the next opening is tomorrow morning, after tonight's closing.
    assert state.next_opening() == datetime(2026, 11, 26, 7, 0, tzinfo=SHANGHAI)
    _at(clock, "2026-11-25T23:15")
    assert state.mode_now() is Mode.CLOSED
    assert state.next_opening() == datetime(2026, 11, 26, 7, 0, tzinfo=SHANGHAI)


def test_the_note_of_todays_hours_is_there_to_show(agent: KioskAgent, clock: Clock) -> None:
    weekly = {"staffed": {"mo-fr": ["17:30-21:00"], "notes": {"we": "by appointment"}},
              "self_service": {"daily": ["07:00-22:30"]}}
    _offer(agent, "schedule", "hz-xihu-wensan", _schedule_body("hz-xihu-wensan", weekly=weekly))
    state = StationState(agent, now=clock)  # a Wednesday
    assert state.today_notes() == {Mode.STAFFED: "by appointment"}
    _at(clock, "2026-11-26T12:00")
    assert state.today_notes() == {}


def test_a_day_open_to_midnight_reads_24_00(agent: KioskAgent, clock: Clock) -> None:
    body = _schedule_body("hz-xihu-wensan", weekly={"self_service": {"daily": ["20:00-24:00"]}})
    _offer(agent, "schedule", "hz-xihu-wensan", body)
    state = StationState(agent, now=clock)
    assert [r.text for r in state.today_hours()[Mode.SELF_SERVICE]] == ["20:00-24:00"]


def test_schedule_age_counts_from_when_the_copy_was_received(
        agent: KioskAgent, clock: Clock) -> None:
    _offer(agent, "schedule", "hz-xihu-wensan", _schedule_body("hz-xihu-wensan"))
    state = StationState(agent, now=clock)
    received = agent.documents.get("schedule", "hz-xihu-wensan")
    assert received is not None
    clock.now = received.received + timedelta(hours=3)
    assert state.schedule_age_s == pytest.approx(3 * 3600)


def test_nearest_open_lists_other_open_stations_nearest_first_with_closing_time(
        agent: KioskAgent, clock: Clock) -> None:
    _offer(agent, "schedule", "hz-xihu-wensan", _schedule_body("hz-xihu-wensan"))
    _offer(agent, "schedule", "hz-gongshu-daguan", _schedule_body(
        "hz-gongshu-daguan", weekly={"self_service": {"daily": ["08:00-20:00"]}}))
    _offer(agent, "schedule", "hz-binjiang-changhe", _schedule_body(
        "hz-binjiang-changhe", weekly={"staffed": {"daily": ["09:00-18:00"]}}))
    state = StationState(agent, now=clock)
    nearby = state.nearest_open()
    assert [s.id for s in nearby] == ["hz-gongshu-daguan", "hz-binjiang-changhe"]
    assert nearby[0].distance_km == pytest.approx(3.87, abs=0.05)
    assert nearby[0].mode is Mode.SELF_SERVICE
    assert nearby[0].closes_at == datetime(2026, 11, 25, 20, 0, tzinfo=SHANGHAI)
    assert nearby[1].mode is Mode.STAFFED and nearby[1].name_en == "Changhe"
    assert state.nearest_open(limit=1) == nearby[:1]
    _at(clock, "2026-11-25T19:00")
    assert [s.id for s in state.nearest_open()] == ["hz-gongshu-daguan"]


def test_the_stations_document_replaces_the_local_directory(
        agent: KioskAgent, clock: Clock) -> None:
    moved = [dict(s) for s in STATIONS]
    moved[2]["lat"], moved[2]["lon"] = 30.2800, 120.1310  # next door to Wensan
    _offer(agent, "stations", "all", {"stations": moved})
    for station in ("hz-gongshu-daguan", "hz-binjiang-changhe"):
        _offer(agent, "schedule", station, _schedule_body(station))
    nearby = StationState(agent, now=clock).nearest_open()
    assert [s.id for s in nearby] == ["hz-binjiang-changhe", "hz-gongshu-daguan"]


def _calendar_body(year: CalendarYear) -> dict[str, Any]:
    snapshot = HolidayCalendar([year]).snapshot([year.year])
    return {"snapshot": snapshot.model_dump(mode="json"), "missing_years": []}


def test_the_calendar_document_supplies_years_the_package_lacks(
        agent: KioskAgent, clock: Clock) -> None:
    body = _schedule_body("hz-xihu-wensan", holidays={"staffed": "closed"})
    _offer(agent, "schedule", "hz-xihu-wensan", body)
    state = StationState(agent, now=clock)
    _at(clock, "2027-02-08T18:00")  # a Monday evening
    assert state.mode_now() is Mode.STAFFED  # 2027 unknown to the package: weekly hours
    spring = CalendarYear(year=2027, source="test notice", origin="file",
                          holidays={date(2027, 2, 5) + timedelta(days=i): "春节"
                                    for i in range(7)}, makeup_workdays={})
    _offer(agent, "calendar", "all", _calendar_body(spring))
    assert state.mode_now() is Mode.SELF_SERVICE  # a holiday now: officers off


def test_an_unusable_schedule_body_is_reported_as_unknown(
        agent: KioskAgent, clock: Clock) -> None:
    _offer(agent, "schedule", "hz-xihu-wensan", {"station_id": "hz-xihu-wensan"})
    state = StationState(agent, now=clock)
    assert state.schedule_known is False
    assert state.mode_now() is Mode.CLOSED
    assert state.schedule_version == 1
