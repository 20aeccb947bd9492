"""Schedules end to end: stationctl against a real controller, kiosks on a real broker."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
from harness import REPO, Network, wait_for
from PIL import Image
from typer.testing import CliRunner

from controller.cli import app as stationctl
from controller.schedules.chart import CHART_SIZE
from kiosk.agent import KioskAgent
from kiosk.station_state import StationState
from sync.schedule import Mode


def _ctl(network: Network, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(stationctl, ["--api", network.api, *args])
    return result.exit_code, result.output


def test_stationctl_sets_shows_diffs_applies_and_refuses_bad_input(
        network: Network, tmp_path: Path) -> None:
    network.controller()
    code, out = _ctl(network, "schedule", "show", "hz-xihu-wensan")
    assert code == 0 and "17:30-21:00" in out and "Kiosk maintenance" in out
    code, out = _ctl(network, "schedule", "set", "hz-xihu-wensan",
                     "--staffed", "Mo-Fr 18:00-21:00; Sa,Su 09:00-17:00")
    assert code == 0 and "hz-xihu-wensan" in out
    code, out = _ctl(network, "schedule", "diff", "hz-xihu-wensan")
    assert "+staffed: Mo-Fr 18:00-21:00" in out
    code, out = _ctl(network, "schedule", "history", "hz-xihu-wensan")
    assert code == 0 and "opening_hours" in out and "seed" in out
    template = tmp_path / "template.toml"
    template.write_text((REPO / "config" / "schedules" / "hz-gongshu-daguan.toml")
                        .read_text("utf-8"), encoding="utf-8")
    code, out = _ctl(network, "--json", "schedule", "apply", "--file", str(template), "--all")
    assert code == 0, out
    applied = {r["station"]: (r["version"], r["created"]) for r in json.loads(out)}
    # Daguan already runs exactly this file (seeded): no new version for an equal document.
    assert applied == {"hz-xihu-wensan": (3, True), "hz-gongshu-daguan": (1, False)}
    code, out = _ctl(network, "schedule", "set", "hz-xihu-wensan", "--staffed", "Mo-Fx 09:00")
    assert code == 5
    assert "opening_hours column 4: expected a weekday" in out
    code, out = _ctl(network, "calendar", "status")
    assert code == 0 and "2027" in out and "stationctl calendar load" in out
    code, out = _ctl(network, "stations", "--near", "hz-xihu-wensan")
    assert code == 0 and "hz-gongshu-daguan" in out and "3.9" in out
    chart, table = tmp_path / "hours.png", tmp_path / "hours.csv"
    code, out = _ctl(network, "report", "hours", "--from", "2026-11-02", "--to", "2026-11-08",
                     "--csv", str(table), "--png", str(chart))
    assert code == 0 and "network" in out, out
    assert table.read_text("utf-8").startswith("station,name,days,staffed_h_per_day")
    assert Image.open(chart).size == CHART_SIZE


def _agent(network: Network, kiosk_id: str) -> KioskAgent:
    return KioskAgent(network.settings, kiosk_id)


def test_kiosk_takes_a_new_schedule_within_a_second_and_keeps_it_without_controller(
        network: Network) -> None:
    network.controller()
    agent = _agent(network, "k-wensan-1")
    state = StationState(agent)
    changed = threading.Event()
    state.on_change(changed.set)
    agent.start()
    try:
        wait_for(lambda: state.schedule_version == 1, 10, "the seeded schedule at the kiosk")
        changed.clear()
        started = time.monotonic()
        answer = httpx.put(f"{network.api}/api/v1/schedules/hz-xihu-wensan", json={
            "opening_hours": {"self_service": "00:00-24:00"}})
        assert answer.status_code == 200 and answer.json()["version"] == 2
        wait_for(lambda: state.schedule_version == 2, 1.0, "version 2 at the kiosk", 0.01)
        assert time.monotonic() - started < 1.0
        assert changed.wait(1)
        assert state.mode_now() in (Mode.SELF_SERVICE, Mode.STAFFED)
        wait_for(lambda: httpx.get(f"{network.api}/api/v1/kiosks/k-wensan-1").json()
                 .get("documents", {}).get("schedule/hz-xihu-wensan") == 2, 10,
                 "the kiosk reporting version 2")
        assert httpx.get(f"{network.api}/api/v1/schedules/outdated").json() == []
    finally:
        agent.stop()
    network.procs[0].kill()  # the controller is gone for good
    network.broker.stop(kill=True)
    restarted = _agent(network, "k-wensan-1")  # a kiosk restart with nothing to talk to
    try:
        restarted.start()
        offline = StationState(restarted)
        assert offline.schedule_version == 2
        assert offline.mode_now() in (Mode.SELF_SERVICE, Mode.STAFFED)
        assert offline.today_hours()[Mode.SELF_SERVICE]
        assert offline.schedule_age_s is not None and offline.schedule_age_s >= 0
    finally:
        restarted.stop()


def test_a_stopped_kiosk_is_listed_as_outdated_until_it_catches_up(network: Network) -> None:
    network.controller()
    kiosk = network.kiosk("k-daguan-1")

    def held() -> int | None:
        documents = httpx.get(f"{network.api}/api/v1/kiosks/k-daguan-1").json()
        return documents.get("documents", {}).get("schedule/hz-gongshu-daguan")

    wait_for(lambda: held() == 1, 10, "the kiosk reporting the seeded schedule")
    kiosk.terminate()
    httpx.put(f"{network.api}/api/v1/schedules/hz-gongshu-daguan",
              json={"opening_hours": {"staffed": "Sa 09:00-12:00"}})
    outdated = httpx.get(f"{network.api}/api/v1/schedules/outdated").json()
    assert [(k["kiosk"], k["held_version"], k["newest_version"]) for k in outdated] == [
        ("k-daguan-1", 1, 2)]
    network.kiosk("k-daguan-1")
    wait_for(lambda: httpx.get(f"{network.api}/api/v1/schedules/outdated").json() == [], 10,
             "the restarted kiosk catching up")
