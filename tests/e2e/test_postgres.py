"""The controller on PostgreSQL: every feature migrates, and nothing is lost or doubled."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from harness import Network, wait_for


def test_controller_on_postgres_stores_every_event_once_across_a_crash(
        network_factory: Callable[..., Network], postgres_url: str) -> None:
    network = network_factory([("k-wensan-1", "hz-xihu-wensan"),
                               ("k-daguan-1", "hz-gongshu-daguan")], database_url=postgres_url)
    controller = network.controller()
    for kiosk_id in network.kiosk_ids:
        network.kiosk(kiosk_id, rate=150, count=900)
    wait_for(lambda: len(network.controller_event_ids()) >= 500, 60, "500 events in PostgreSQL")
    controller.kill()
    time.sleep(1.0)
    network.controller()
    assert network.assert_all_delivered_once(timeout=90) == 1800
    fleet = httpx.get(f"{network.api}/api/v1/fleet").json()
    assert fleet["kiosks_total"] == 2
    assert httpx.get(f"{network.api}/api/v1/gaps?open=true").json() == []
