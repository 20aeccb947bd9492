"""stationctl against a live controller: tables, --json, and errors an operator can act on."""

from __future__ import annotations

import json
import subprocess
import sys

from harness import Network, free_port, wait_for


def _ctl(api: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "controller.cli", "--api", api, *args],
                          capture_output=True, text=True, timeout=60)


def test_fleet_kiosk_and_events_as_tables_and_json(network: Network) -> None:
    network.controller()
    network.kiosk("k-wensan-1", rate=50, count=20)
    network.kiosk_ids = ["k-wensan-1"]
    network.assert_all_delivered_once(timeout=30)
    wait_for(lambda: network.kiosk_online("k-wensan-1"), 10, "kiosk online")

    table = _ctl(network.api, "fleet")
    assert table.returncode == 0, table.stderr
    line = next(row for row in table.stdout.splitlines() if "k-wensan-1" in row)
    assert "hz-xihu-wensan" in line and "online" in line
    assert "1 of 1 kiosks online" in table.stdout

    fleet = json.loads(_ctl(network.api, "--json", "fleet").stdout)
    assert fleet["kiosks_online"] == 1

    detail = _ctl(network.api, "kiosk", "k-wensan-1")
    assert detail.returncode == 0 and "events stored" in detail.stdout
    assert "20" in next(r for r in detail.stdout.splitlines() if r.startswith("events stored"))

    events = json.loads(_ctl(network.api, "--json", "events", "--kiosk", "k-wensan-1",
                             "--limit", "5").stdout)
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert _ctl(network.api, "quarantine").stdout.strip().endswith("(none)")


def test_unknown_kiosk_and_unreachable_controller_say_what_to_do(network: Network) -> None:
    network.controller()
    missing = _ctl(network.api, "kiosk", "k-nobody")
    assert missing.returncode == 4 and "k-nobody" in missing.stderr
    away = _ctl(f"http://127.0.0.1:{free_port()}", "fleet")
    assert away.returncode == 3
    assert "stationnet controller" in away.stderr and "STATIONCTL_API" in away.stderr
