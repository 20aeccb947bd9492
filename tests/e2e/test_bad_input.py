"""Bad input is quarantined or ignored with a reason while valid traffic keeps flowing."""

from __future__ import annotations

import json

import httpx
from harness import Network, wait_for

from sync.envelope import Envelope
from sync.mqtt import BrokerEndpoint, MqttLink
from sync.topics import KioskChannel, kiosk_topic


def _intruder(network: Network) -> MqttLink:
    link = MqttLink("intruder", BrokerEndpoint(port=network.port), clean_start=True)
    link.start()
    assert link.wait_connected(10)
    return link


def test_garbage_is_quarantined_with_reasons_and_valid_traffic_flows(network: Network) -> None:
    network.controller()
    network.kiosk("k-wensan-1", rate=100, count=400)
    link = _intruder(network)
    events = kiosk_topic("k-bad-1", KioskChannel.EVENTS)
    valid = Envelope(kiosk="k-bad-1", seq=1, type="visit.ended", body={"outcome": "finished"})
    # A well-formed envelope whose body breaks its type's model (no tracking number).
    bad_body = Envelope(kiosk="k-bad-1", seq=2, type="application.submitted", body={"n": 1})
    wrong_version = json.loads(valid.encode())
    wrong_version["v"] = 99
    missing = json.loads(valid.encode())
    del missing["seq"]
    sent = [
        link.publish(events, b"\xff\xfe not json at all"),
        link.publish(events, json.dumps(missing).encode()),
        link.publish(events, json.dumps(wrong_version).encode()),
        link.publish(events, b'{"v":1,"pad":"' + b"x" * 70_000 + b'"}'),
        link.publish(events, Envelope(kiosk="k-other", seq=1, type="a.b", body={}).encode()),
        link.publish(kiosk_topic("k-bad-1", KioskChannel.TELEMETRY), b'{"kiosk":"k-bad-1"}'),
        link.publish(events, bad_body.encode()),
        link.publish(events, valid.encode()),
        link.publish(events, valid.encode()),  # a replay: stored once, ignored after
    ]
    wait_for(lambda: all(h.is_acknowledged() for h in sent), 10, "the broker to take them")
    expected = {"not_json", "missing_field", "unknown_version", "oversized", "topic_mismatch",
                "invalid_value", "invalid_body"}
    wait_for(lambda: {r[0] for r in network.quarantine()} >= expected, 20,
             f"quarantine reasons {expected}")
    network.kiosk_ids = ["k-wensan-1"]
    network.assert_all_delivered_once(timeout=60)
    assert network.controller_event_ids("k-bad-1") == [valid.id]
    reasons = httpx.get(f"{network.api}/api/v1/quarantine").json()
    assert len(reasons) == 7
    assert all(q["detail"] and q["repeats"] == 1 for q in reasons)
    assert {q["excerpt"][:4] for q in reasons} >= {"\ufffd\ufffd n", '{"v"'}  # masked heads
    assert httpx.get(f"{network.api}/api/v1/health").json()["ingest"]["duplicates"] >= 1
    link.stop()
