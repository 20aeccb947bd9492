"""Schedules over the HTTP API: set, history, diff, apply to many, bad input, calendar."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from fastapi.testclient import TestClient
from harness import REPO, in_process_controller
from sqlalchemy.orm import Session

from controller.db import Kiosk
from controller.schedules.calendar import uncovered_years

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAY_EVENINGS = {"staffed": "Mo-Fr 18:00-21:00; Sa,Su 09:00-17:00; PH off"}
CALENDAR_2027 = """
year = 2027
source = "test notice 2027"
official = true
[[holidays]]
name = "元旦"
date = 2027-01-01
"""


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    config = tmp_path / "config"
    (config / "schedules").mkdir(parents=True)
    shutil.copy(REPO / "config" / "schedules" / "hz-xihu-wensan.toml", config / "schedules")
    shutil.copytree(REPO / "config" / "calendar", config / "calendar")
    monkeypatch.setenv("STATIONNET_CONFIG_DIR", str(config))
    made = in_process_controller(tmp_path)
    yield made
    made.engine.dispose()


@pytest.fixture
def api(service: Any) -> TestClient:
    return TestClient(service.app)


def test_seeding_stores_config_schedules_for_stations_without_one(api: TestClient) -> None:
    listed = {s["station"]: s["version"] for s in api.get("/api/v1/schedules").json()}
    assert listed == {"hz-xihu-wensan": 1, "hz-gongshu-daguan": None}
    shown = api.get("/api/v1/schedules/hz-xihu-wensan").json()
    assert shown["origin"] == "seed" and shown["author"] == "config"
    assert shown["weekly"]["mo"] == {"staffed": "17:30-21:00", "self_service": "07:00-22:30"}
    assert shown["closures"][0]["reason"].startswith("Kiosk maintenance")


def test_set_keeps_history_and_diff_shows_what_changed(api: TestClient, service: Any) -> None:
    answer = api.put("/api/v1/schedules/hz-xihu-wensan",
                     json={"opening_hours": WEEKDAY_EVENINGS, "author": "wang", "note": "winter"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"station": "hz-xihu-wensan", "version": 2, "created": True,
                             "published_version": 2}
    again = api.put("/api/v1/schedules/hz-xihu-wensan", json={"opening_hours": WEEKDAY_EVENINGS})
    assert again.json()["version"] == 2 and again.json()["created"] is False
    history = api.get("/api/v1/schedules/hz-xihu-wensan/history").json()
    assert [(h["version"], h["author"], h["note"]) for h in history] == [
        (2, "wang", "winter"), (1, "config", "hz-xihu-wensan.toml")]
    diff = api.get("/api/v1/schedules/hz-xihu-wensan/diff").json()["diff"]
    assert "-staffed: Mo-Fr 17:30-21:00" in diff and "+staffed: Mo-Fr 18:00-21:00" in diff
    assert "+staffed: PH off" in diff
    assert not any(line.startswith(("+self_service", "-self_service")) for line in diff)
    published = service.documents.latest("schedule", "hz-xihu-wensan")
    assert published.version == 2 and published.body["version"] == 2
    assert published.body["weekly"]["staffed"]["mo"] == ["18:00-21:00"]
    old = api.get("/api/v1/schedules/hz-xihu-wensan", params={"version": 1}).json()
    assert old["weekly"]["mo"]["staffed"] == "17:30-21:00"


def test_set_from_toml_replaces_station_and_version_with_the_controllers(
        api: TestClient) -> None:
    toml = (REPO / "config" / "schedules" / "hz-gongshu-daguan.toml").read_text("utf-8")
    answer = api.put("/api/v1/schedules/hz-gongshu-daguan", json={"toml": toml})
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 1
    shown = api.get("/api/v1/schedules/hz-gongshu-daguan").json()
    assert shown["version"] == 1 and shown["station"] == "hz-gongshu-daguan"


def test_apply_validates_every_station_then_stores_each(api: TestClient) -> None:
    answer = api.post("/api/v1/schedules/apply", json={
        "stations": ["hz-xihu-wensan", "hz-gongshu-daguan"],
        "opening_hours": {"self_service": "06:30-23:00"}})
    assert answer.status_code == 200, answer.text
    assert [(r["station"], r["version"]) for r in answer.json()] == [
        ("hz-xihu-wensan", 2), ("hz-gongshu-daguan", 1)]
    by_district = api.post("/api/v1/schedules/apply", json={
        "district": "拱墅区", "opening_hours": {"self_service": "07:00-23:00"}})
    assert [r["station"] for r in by_district.json()] == ["hz-gongshu-daguan"]
    everyone = api.post("/api/v1/schedules/apply", json={
        "all": True, "opening_hours": {"staffed": "Sa 09:00-12:00"}})
    assert len(everyone.json()) == 2
    unknown = api.post("/api/v1/schedules/apply", json={
        "stations": ["hz-nowhere"], "opening_hours": {"staffed": "Sa 09:00-12:00"}})
    assert unknown.status_code == 404 and "hz-nowhere" in unknown.json()["detail"]


@pytest.mark.parametrize(("body", "message"), [
    ({"opening_hours": {"staffed": "Mo-Fx 17:00-21:00"}},
     "staffed: opening_hours column 4: expected a weekday (Mo Tu We Th Fr Sa Su) or PH"),
    ({"toml": "effective_from = 2026-01-01\n[weekly.staffed]\nmo = ['25:00-26:00']\n"},
     "weekly.staffed.mo[0]: '25:00' is out of range; hours run 00-23, minutes 00-59"),
    ({"toml": "effective_from = 2026-01-01\ncolour = 'blue'\n"},
     "colour: Extra inputs are not permitted: not a known field; check its spelling"),
    ({"toml": "effective_from = = 1"}, "not valid TOML"),
    ({"opening_hours": {"closed": "Mo 09:00-10:00"}}, "'closed' is not a mode with hours"),
    ({}, "give either a TOML schedule or opening_hours strings"),
])
def test_bad_input_is_refused_with_the_cores_message_and_nothing_stored(
        api: TestClient, body: dict[str, Any], message: str) -> None:
    answer = api.put("/api/v1/schedules/hz-xihu-wensan", json=body)
    assert answer.status_code == 422
    assert message in answer.json()["detail"]
    assert len(api.get("/api/v1/schedules/hz-xihu-wensan/history").json()) == 1


def test_apply_to_many_stores_nothing_when_one_station_fails(api: TestClient) -> None:
    toml = "effective_from = 2026-01-01\ntimezone = 'Mars/Olympus'\n"
    answer = api.post("/api/v1/schedules/apply", json={"all": True, "toml": toml})
    assert answer.status_code == 422 and "unknown time zone 'Mars/Olympus'" in answer.text
    assert api.get("/api/v1/schedules/hz-gongshu-daguan/history").json() == []


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2026, 12, 3)])
def test_calendar_load_clears_the_missing_year_and_is_published(
        api: TestClient, service: Any, today: date) -> None:
    # The look-ahead is 400 days: from June 2026 it reaches 2027, from December 2028 too.
    reached = [2027] if today.month < 12 else [2027, 2028]
    with time_machine.travel(datetime.combine(today, time(12), SHANGHAI), tick=False):
        _load_and_check(api, service, reached)


def _load_and_check(api: TestClient, service: Any, reached: list[int]) -> None:
    before = api.get("/api/v1/calendar").json()
    assert before["missing"] == reached and before["ignored_placeholders"] == [2027]
    assert uncovered_years(service.engine) == reached
    assert api.get("/api/v1/schedules/status").json()["calendar_missing_years"] == reached
    loaded = api.post("/api/v1/calendar/years", json={"toml": CALENDAR_2027, "author": "li"})
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["missing"] == reached[1:]
    covered = {c["year"]: c for c in loaded.json()["covered"]}
    assert covered[2027]["source"] == "test notice 2027" and covered[2027]["loaded_by"] == "li"
    assert uncovered_years(service.engine) == reached[1:]
    body = service.documents.latest("calendar", "all").body
    assert 2027 in [y["year"] for y in body["snapshot"]["years"]]
    assert body["missing_years"] == reached[1:]


def test_a_placeholder_or_broken_calendar_file_is_refused(api: TestClient) -> None:
    placeholder = (REPO / "config" / "calendar" / "2027.toml").read_text("utf-8")
    refused = api.post("/api/v1/calendar/years", json={"toml": placeholder})
    assert refused.status_code == 422 and "official = false" in refused.json()["detail"]
    broken = api.post("/api/v1/calendar/years", json={"toml": "year = 2027\nsource = 'x'\n"})
    assert broken.status_code == 422 and "official" in broken.json()["detail"]


def test_outdated_lists_kiosks_reporting_an_older_schedule(
        api: TestClient, service: Any) -> None:
    api.put("/api/v1/schedules/hz-xihu-wensan", json={"opening_hours": WEEKDAY_EVENINGS})
    with Session(service.engine) as session, session.begin():
        for kiosk_id, held in (("k-old", {"schedule/hz-xihu-wensan": 1}),
                               ("k-new", {"schedule/hz-xihu-wensan": 2}), ("k-none", {})):
            session.add(Kiosk(id=kiosk_id, station_id="hz-xihu-wensan", online=True,
                              first_seen="x", last_seen="x", devices="[]",
                              documents=json.dumps(held), max_seq=0, events_total=0))
    rows = api.get("/api/v1/schedules/outdated").json()
    assert [(r["kiosk"], r["held_version"], r["newest_version"]) for r in rows] == [
        ("k-none", None, 2), ("k-old", 1, 2)]
