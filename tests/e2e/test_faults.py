"""Nothing is lost when processes die: controller, broker and kiosk faults mid-stream."""

from __future__ import annotations

import time

from harness import Network, wait_for


def _stored(network: Network) -> int:
    return len(network.controller_event_ids())


def test_controller_killed_twice_mid_stream_loses_nothing(network: Network) -> None:
    controller = network.controller()
    for kiosk_id in network.kiosk_ids:
        network.kiosk(kiosk_id, rate=150, count=1500)
    for threshold in (300, 1200):
        wait_for(lambda t=threshold: _stored(network) >= t, 60, f"{threshold} events stored")
        controller.kill()
        time.sleep(1.0)  # kiosks keep committing while the controller is dead
        controller = network.controller()
    assert network.assert_all_delivered_once(timeout=90) == 3000


def test_broker_restarted_mid_stream_loses_nothing(network: Network) -> None:
    network.controller()
    for kiosk_id in network.kiosk_ids:
        network.kiosk(kiosk_id, rate=150, count=1200)
    wait_for(lambda: _stored(network) >= 500, 60, "500 events stored")
    network.broker.stop()  # SIGTERM: Mosquitto writes its persistence file
    time.sleep(1.5)
    network.broker.start()
    assert network.assert_all_delivered_once(timeout=90) == 2400


def test_kiosk_killed_mid_burst_delivers_everything_it_committed_after_restart(
        network: Network) -> None:
    network.controller()
    kiosk = network.kiosk("k-wensan-1", rate=400, count=100_000)
    wait_for(lambda: len(network.kiosk_event_ids("k-wensan-1")) >= 800, 60, "800 committed")
    kiosk.kill()
    committed = set(network.kiosk_event_ids("k-wensan-1"))
    network.kiosk_ids = ["k-wensan-1"]
    restarted = network.kiosk("k-wensan-1")  # no generation now: it only drains its outbox
    network.assert_all_delivered_once(timeout=60)
    assert committed <= set(network.controller_event_ids("k-wensan-1"))
    restarted.terminate()
