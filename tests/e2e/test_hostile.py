"""A hostile or buggy client cannot stop ingest or grow the controller without bound.

Each case runs against the real broker and controller processes: poison in a batch,
messages the old decoder let through to freeze the writer, floods of oversized telemetry
and presence, twenty thousand malformed messages, and SIGTERM under a steady load.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from harness import Network, wait_for

from sync.envelope import Envelope
from sync.mqtt import BrokerEndpoint, MqttLink, PublishHandle
from sync.topics import KioskChannel, kiosk_topic

pytestmark = pytest.mark.slow


def _intruder(network: Network, name: str = "intruder") -> MqttLink:
    link = MqttLink(name, BrokerEndpoint(port=network.port), clean_start=True,
                    max_inflight=1000)
    link.start()
    assert link.wait_connected(10)
    return link


def _wait_acked(handles: list[PublishHandle], timeout: float = 60) -> None:
    wait_for(lambda: all(h.is_acknowledged() for h in handles), timeout,
             f"the broker to take {len(handles)} message(s)")


def _count(network: Network, sql: str) -> int:
    rows = network._controller_query(sql)
    return int(rows[0][0] or 0) if rows else 0


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


def _latencies_s(network: Network, kiosk_id: str) -> list[float]:
    rows = network._controller_query(
        "SELECT ts, received_at FROM events WHERE kiosk_id = :k", k=kiosk_id)
    return [(datetime.fromisoformat(r[1]) - datetime.fromisoformat(r[0])).total_seconds()
            for r in rows]


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def test_one_message_the_database_refuses_is_quarantined_and_the_other_999_acked(
        network: Network) -> None:
    controller = network.controller()
    with sqlite3.connect(network.controller_db()) as db:  # the store refuses one event type
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.type = 'poison.x' "
                   "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END")
    link = _intruder(network)
    topic = kiosk_topic("k-bad-1", KioskChannel.EVENTS)
    handles = [link.publish(topic, Envelope(kiosk="k-bad-1", seq=n, type=(
        "poison.x" if n == 500 else "visit.ended"), body={"n": n}).encode())
        for n in range(1, 1001)]
    _wait_acked(handles)
    wait_for(lambda: _count(network, "SELECT count(*) FROM events") == 999, 30,
             "999 events stored")
    wait_for(lambda: network.quarantine(), 10, "the refused event quarantined")
    [(reason, detail, _topic)] = network.quarantine()
    assert reason == "unstorable" and "refused by the database" in detail
    health = httpx.get(f"{network.api}/api/v1/health").json()["ingest"]
    assert health["acked"] >= 1000 and health["unstorable"] == 1
    # Acked means gone from the broker: a restarted controller is not handed them again.
    controller.terminate()
    network.controller()
    time.sleep(2)
    assert _count(network, "SELECT sum(repeats) FROM quarantine") == 1
    assert _count(network, "SELECT count(*) FROM events") == 999
    link.stop()


def test_deep_bodies_and_huge_sequence_numbers_never_freeze_ingest(network: Network) -> None:
    controller = network.controller()
    link = _intruder(network)
    topic = kiosk_topic("k-bad-1", KioskChannel.EVENTS)
    deep = json.loads('{"a":' * 300 + "1" + "}" * 300)
    base = json.loads(Envelope(kiosk="k-bad-1", seq=1, type="visit.ended", body={}).encode())
    _wait_acked([link.publish(topic, json.dumps({**base, "body": deep}).encode()),
                 link.publish(topic, json.dumps({**base, "seq": 2**64 - 1}).encode()),
                 link.publish(topic, json.dumps({**base, "seq": 2**31 + 5}).encode())])
    network.kiosk("k-wensan-1", rate=50, count=100)
    network.kiosk_ids = ["k-wensan-1"]
    network.assert_all_delivered_once(timeout=60)
    assert network.controller_event_ids("k-bad-1") == [base["id"]]  # the 2^31+5 one: stored
    assert _count(network, "SELECT max_seq FROM kiosks WHERE id = 'k-bad-1'") == 2**31 + 5
    controller.terminate()  # nothing of them is left with the broker to freeze a restart
    network.controller()
    network.kiosk("k-daguan-1", rate=50, count=50)
    network.kiosk_ids = ["k-wensan-1", "k-daguan-1"]
    network.assert_all_delivered_once(timeout=60)
    link.stop()


def _flood(link: MqttLink, stop: threading.Event, count: int) -> None:
    telemetry = kiosk_topic("k-noisy-1", KioskChannel.TELEMETRY)
    presence = kiosk_topic("k-noisy-1", KioskChannel.PRESENCE)
    # 780 KB is over the controller's MQTT 5 maximum packet size: the broker drops it
    # before it costs the controller anything. 100 KB passes the broker and is cut and
    # quarantined on arrival.
    huge, big = (json.dumps({"kiosk": "k-noisy-1", "uptime_s": 1, "outbox_depth": 0,
                             "pad": "x" * size}).encode() for size in (780_000, 100_000))
    small = json.dumps({"kiosk": "k-noisy-1", "state": "online",
                        "devices": [{"name": "printer", "kind": "printer", "state": "ok"}]
                        }).encode()
    for _ in range(count):
        if stop.is_set():
            return
        link.publish(telemetry, huge, qos=0)
        link.publish(telemetry, big, qos=0)
        for _ in range(5):
            link.publish(presence, small, qos=1)
        time.sleep(0.01)


def test_telemetry_and_presence_floods_keep_memory_bounded_and_latency_low(
        network: Network) -> None:
    controller = network.controller()
    network.kiosk("k-wensan-1", rate=20, count=60)
    network.kiosk_ids = ["k-wensan-1"]
    network.assert_all_delivered_once(timeout=60)
    quiet = _latencies_s(network, "k-wensan-1")
    link = _intruder(network)
    stop = threading.Event()
    flooder = threading.Thread(target=_flood, args=(link, stop, 300), daemon=True)
    flooder.start()
    network.kiosk("k-daguan-1", rate=20, count=100)
    network.kiosk_ids = ["k-wensan-1", "k-daguan-1"]
    network.assert_all_delivered_once(timeout=90)
    flooder.join(120)
    stop.set()
    loud = _latencies_s(network, "k-daguan-1")
    peak = _peak_rss_mb(controller.popen.pid)
    print(f"controller peak RSS {peak:.0f} MB; valid-event p99 latency quiet "
          f"{_p99(quiet):.3f} s, under the flood {_p99(loud):.3f} s")
    assert peak < 400, f"controller peak RSS {peak:.0f} MB under a telemetry flood"
    assert _p99(loud) < 2.0
    health = httpx.get(f"{network.api}/api/v1/health").json()["ingest"]
    noisy = {k["kiosk"]: k for k in health["top_kiosks"]}
    assert "k-noisy-1" in noisy and health["telemetry_dropped"] + health["quarantined"] >= 1
    oversized = _count(network, "SELECT sum(repeats) FROM quarantine WHERE reason='oversized'")
    assert oversized >= 1 and _count(network, "SELECT max(size) FROM quarantine") > 100_000
    link.stop()


def test_twenty_thousand_malformed_messages_leave_a_few_rows_and_log_lines(
        network: Network) -> None:
    controller = network.controller()
    link = _intruder(network)
    topic = kiosk_topic("k-bad-1", KioskChannel.EVENTS)
    handles = [link.publish(topic, b"\xff not json %d" % n) for n in range(20_000)]
    _wait_acked(handles, 120)
    wait_for(lambda: _count(network, "SELECT sum(repeats) FROM quarantine") == 20_000, 60,
             "20,000 refusals counted")
    assert _count(network, "SELECT count(*) FROM quarantine") <= 5
    lines = [line for line in controller.log.read_text(errors="replace").splitlines()
             if "quarantined" in line]
    assert 1 <= len(lines) <= 5, lines[:10]
    link.stop()


@contextmanager
def _steady_load(network: Network, rate: float, kiosks: int) -> Iterator[list[str]]:
    """Publish valid events from ``kiosks`` made-up kiosks at ``rate`` a second in total."""
    sent: list[str] = []
    stop = threading.Event()
    link = _intruder(network, "load")

    def run() -> None:
        seqs = [0] * kiosks
        started = time.monotonic()
        while not stop.is_set():
            due = int((time.monotonic() - started) * rate)
            while len(sent) < due:
                n = len(sent) % kiosks
                seqs[n] += 1
                event = Envelope(kiosk=f"k-load-{n}", seq=seqs[n], type="visit.ended",
                                 body={"n": len(sent)})
                link.publish(kiosk_topic(event.kiosk, KioskChannel.EVENTS), event.encode())
                sent.append(event.id)
            time.sleep(0.005)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield sent
    finally:
        stop.set()
        thread.join(5)
        link.stop(timeout=10)


def test_sigterm_under_a_steady_load_exits_promptly_and_loses_nothing(
        network: Network) -> None:
    controller = network.controller()
    with _steady_load(network, rate=1000, kiosks=4) as sent:
        time.sleep(3)
        started = time.monotonic()
        controller.terminate()
        took = time.monotonic() - started
        time.sleep(1)
        network.controller()
        time.sleep(1)
    print(f"controller stopped {took:.2f} s after SIGTERM under 1,000 events/s")
    assert took < 2.0, controller.tail()
    wait_for(lambda: _count(network, "SELECT count(*) FROM events") >= len(sent), 60,
             f"all {len(sent)} events stored")
    stored = network.controller_event_ids()
    assert sorted(stored) == sorted(sent)  # none lost, none twice
