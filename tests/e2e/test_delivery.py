"""Events from several kiosks arrive exactly once; presence follows kiosks' lives."""

from __future__ import annotations

import time

import httpx
from harness import Network, wait_for


def test_events_from_several_kiosks_arrive_exactly_once(network: Network) -> None:
    network.controller()
    for kiosk_id in network.kiosk_ids:
        network.kiosk(kiosk_id, rate=200, count=600)
    stored = network.assert_all_delivered_once(timeout=90)
    assert stored == 1200
    for kiosk_id in network.kiosk_ids:
        seqs = sorted(e["seq"] for e in httpx.get(f"{network.api}/api/v1/events",
                                         params={"kiosk": kiosk_id, "limit": 5000}).json())
        assert seqs == list(range(1, 601))
    assert httpx.get(f"{network.api}/api/v1/gaps").json() == []


def test_presence_goes_offline_within_one_and_a_half_keepalives_and_back(
        network: Network) -> None:
    network.controller()
    kiosk = network.kiosk("k-wensan-1")
    wait_for(lambda: network.kiosk_online("k-wensan-1"), 10, "kiosk online")
    killed = time.monotonic()
    kiosk.kill()
    keepalive = network.settings.broker.keepalive_s
    wait_for(lambda: network.kiosk_online("k-wensan-1") is False, 1.5 * keepalive + 1.0,
             "kiosk marked offline after SIGKILL")
    assert time.monotonic() - killed <= 1.5 * keepalive + 1.0
    network.kiosk("k-wensan-1")
    wait_for(lambda: network.kiosk_online("k-wensan-1"), 10, "kiosk online again")
    fleet = httpx.get(f"{network.api}/api/v1/fleet").json()
    assert fleet["kiosks_online"] == 1
    assert {s["id"] for s in fleet["stations"]} == {"hz-xihu-wensan", "hz-gongshu-daguan"}


def test_clean_kiosk_stop_publishes_offline_at_once(network: Network) -> None:
    network.controller()
    kiosk = network.kiosk("k-daguan-1")
    wait_for(lambda: network.kiosk_online("k-daguan-1"), 10, "kiosk online")
    assert kiosk.terminate() == 0
    wait_for(lambda: network.kiosk_online("k-daguan-1") is False, 2, "offline on clean stop")
