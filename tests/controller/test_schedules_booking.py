"""Appointments from staffed hours with capacity, races, cancellation; the station directory."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from harness import REPO, in_process_controller

from controller.schedules.appointments import AppointmentBook, AppointmentError
from controller.schedules.directory import directory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)  # a Wednesday
SERVICE = "plate-replacement"  # staffed only; capacity 1 in the shipped appointments.toml


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    config = tmp_path / "config"
    shutil.copytree(REPO / "config" / "schedules", config / "schedules")
    (config / "appointments.toml").write_text(
        "horizon_days = 3\n[services.plate-replacement]\nslot_minutes = 30\ncapacity = 2\n"
        "[services.dl-renewal-expiry]\nslot_minutes = 30\ncapacity = 2\n", encoding="utf-8")
    monkeypatch.setenv("STATIONNET_CONFIG_DIR", str(config))
    made = in_process_controller(tmp_path)
    yield made
    made.engine.dispose()


def _book(service: Any) -> AppointmentBook:
    book: AppointmentBook = service.app.state.appointments
    return book


def test_slots_are_cut_from_staffed_hours_with_capacity(service: Any) -> None:
    book = _book(service)
    assert set(book.config.services) == {SERVICE}  # dl-renewal-expiry is not staffed-only
    slots = book.slots("hz-xihu-wensan", SERVICE, days=1, now=NOW)
    assert [s.start.strftime("%H:%M") for s in slots] == [
        "17:30", "18:00", "18:30", "19:00", "19:30", "20:00", "20:30"]
    assert all(s.remaining == 2 for s in slots)
    assert len(book.slots("hz-xihu-wensan", SERVICE, now=NOW)) == 7 * 3
    later = book.slots("hz-xihu-wensan", SERVICE, days=1,
                       now=datetime(2026, 11, 25, 19, 10, tzinfo=SHANGHAI))
    assert later[0].start.strftime("%H:%M") == "19:30"  # past and started slots are gone


def test_racing_bookings_fill_a_slot_exactly_to_capacity(service: Any) -> None:
    book = _book(service)
    slot = book.slots("hz-xihu-wensan", SERVICE, days=1, now=NOW)[0]
    barrier = threading.Barrier(6)
    won: list[str] = []
    refused: list[str] = []

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            won.append(book.book(kiosk_id=f"k-{n}", station_id="hz-xihu-wensan",
                                 service_id=SERVICE, start=slot.start.isoformat(),
                                 name="张三丰", now=NOW)["reference"])
        except AppointmentError as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(won) == 2 and len(set(won)) == 2
    assert len(refused) == 4 and all("fully booked" in r for r in refused)
    assert book.slots("hz-xihu-wensan", SERVICE, days=1, now=NOW)[0].remaining == 0
    listed = book.listing(station_id="hz-xihu-wensan")
    assert {a["name"] for a in listed} == {"张**"}
    book.cancel(won[0].lower())
    assert book.slots("hz-xihu-wensan", SERVICE, days=1, now=NOW)[0].remaining == 1
    with pytest.raises(AppointmentError, match="already cancelled"):
        book.cancel(won[0])


@pytest.mark.parametrize(("start", "message"), [
    ("2026-11-25T17:45:00+08:00", "is not a bookable slot"),
    ("2026-11-25T09:00:00+08:00", "is not a bookable slot"),
    ("2026-11-25T17:30:00", "needs a UTC offset"),
    ("tomorrow", "not an ISO date-time"),
])
def test_a_start_that_is_not_a_slot_is_refused(service: Any, start: str, message: str) -> None:
    with pytest.raises(AppointmentError, match=message):
        _book(service).book(kiosk_id="k", station_id="hz-xihu-wensan", service_id=SERVICE,
                            start=start, name="李四", now=NOW)


def test_unknown_service_and_bad_phone_are_refused_with_what_to_do(service: Any) -> None:
    book = _book(service)
    with pytest.raises(AppointmentError, match="bookable: plate-replacement"):
        book.slots("hz-xihu-wensan", "dl-renewal-expiry", now=NOW)
    with pytest.raises(AppointmentError, match="11-digit mainland mobile"):
        book.book(kiosk_id="k", station_id="hz-xihu-wensan", service_id=SERVICE,
                  start="2026-11-25T17:30:00+08:00", name="李四", phone="12345", now=NOW)


def test_directory_says_who_is_open_when_each_opens_and_who_is_near(service: Any) -> None:
    evening = datetime(2026, 11, 25, 18, 0, tzinfo=SHANGHAI)
    schedules = service.app.state.schedules
    everyone = {s["id"]: s for s in directory(schedules, now=evening)}
    assert everyone["hz-xihu-wensan"]["mode"] == "staffed"
    assert everyone["hz-xihu-wensan"]["closes_at"].startswith("2026-11-25T22:30")
    night = {s["id"]: s for s in directory(
        schedules, now=datetime(2026, 11, 25, 23, 0, tzinfo=SHANGHAI))}
    assert night["hz-xihu-wensan"]["open"] is False
    assert night["hz-xihu-wensan"]["next_opening"].startswith("2026-11-26T07:00")
    near = directory(schedules, near="hz-xihu-wensan", now=evening)
    assert [s["id"] for s in near] == ["hz-gongshu-daguan"]
    assert near[0]["distance_km"] == pytest.approx(3.87, abs=0.05)


def test_the_api_books_lists_and_cancels(service: Any) -> None:
    api = TestClient(service.app)
    slots = api.get("/api/v1/appointments/slots",
                    params={"station": "hz-xihu-wensan", "service": SERVICE}).json()["slots"]
    made = api.post("/api/v1/appointments", json={
        "station": "hz-xihu-wensan", "service": SERVICE, "start": slots[0]["start"],
        "name": "王五", "phone": "13912345678"})
    assert made.status_code == 200, made.text
    listed = api.get("/api/v1/appointments").json()
    assert [(a["reference"], a["name"], a["has_phone"]) for a in listed] == [
        (made.json()["reference"], "王*", True)]
    assert "phone" not in listed[0]
    gone = api.delete(f"/api/v1/appointments/{made.json()['reference']}")
    assert gone.status_code == 200
    assert api.delete("/api/v1/appointments/ANOPE").status_code == 409
    assert api.get("/api/v1/stations", params={"near": "hz-nowhere"}).status_code == 404
