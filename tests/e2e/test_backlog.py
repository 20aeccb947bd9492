"""A controller that was away gets every event queued for it, even tens of thousands."""

from __future__ import annotations

import time
from collections.abc import Callable

from harness import Network, wait_for

KIOSKS = [("k-wensan-1", "hz-xihu-wensan"), ("k-daguan-1", "hz-gongshu-daguan")]


def _backlog_while_controller_away(network: Network, per_kiosk: int) -> int:
    controller = network.controller()  # creates the persistent session and subscriptions
    controller.terminate()
    kiosks = [network.kiosk(k, rate=2000, count=per_kiosk) for k in network.kiosk_ids]
    wait_for(lambda: all(len(network.kiosk_event_ids(k)) == per_kiosk
                         and network.kiosk_pending(k) == 0 for k in network.kiosk_ids),
             120, "kiosks to hand every event to the broker", interval=0.5)
    for kiosk in kiosks:
        kiosk.terminate()
    network.controller()
    return per_kiosk * len(network.kiosk_ids)


def test_controller_away_for_twelve_thousand_events_gets_them_all(
        network_factory: Callable[..., Network]) -> None:
    network = network_factory(KIOSKS)
    produced = _backlog_while_controller_away(network, 6000)
    assert network.assert_all_delivered_once(timeout=120) == produced


def test_mosquitto_default_queue_limit_would_have_lost_events(
        network_factory: Callable[..., Network]) -> None:
    """The control experiment: with Mosquitto's default of 1000 queued messages, loss."""
    network = network_factory(KIOSKS, broker_overrides={"max_queued_messages": 1000})
    produced = _backlog_while_controller_away(network, 1500)
    wait_for(lambda: len(network.controller_event_ids()) >= 900, 60, "the queued ones")
    time.sleep(2)  # let anything else that was queued arrive
    stored = len(network.controller_event_ids())
    assert 900 <= stored <= 1100 < produced, f"stored {stored} of {produced}"
