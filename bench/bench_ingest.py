"""Benchmark: broker delivery vs the controller's durable ingest, latency, backlog drain.

    .venv/bin/python bench/bench_ingest.py [--events 50000] [--backlog 100000]

All on this machine, one run, real Mosquitto and SQLite (synchronous=FULL):

1. raw     — a bare paho subscriber that only counts drains a queued stream of N events
             (visits: application submitted, receipt printed, visit ended).
2. durable — the controller (ack after commit, dedupe, gaps, application records made
             in the same commit) drains the same stream.
3. latency — four real headless kiosks submit applications at 250/s each (1,000/s in all);
             for each event the time from the kiosk's commit to the controller's (p50, p99).
4. drain   — a backlog of M events queued while the controller was away, then drained.

Targets (issue): durable ≥ 0.5 × raw and ≥ 3,000/s; p99 ≤ 250 ms at 1,000/s; drain ≥ 3,000/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from harness import Network, wait_for  # noqa: E402

from controller.service import ControllerService  # noqa: E402
from sync.envelope import Envelope  # noqa: E402
from sync.mqtt import BrokerEndpoint, MqttLink  # noqa: E402
from sync.topics import KioskChannel, kiosk_topic  # noqa: E402

KIOSKS = [(f"k-bench-{i}", "hz-xihu-wensan") for i in range(4)]


def visit_events(n: int) -> tuple[str, dict[str, object]]:
    """Return the type and body of event ``n`` of a realistic stream.

    A visit leaves three events: the application, its receipt, and the visit's end.
    """
    tracking_no = f"T261125-BENCH-{n // 3:07d}"
    kind = n % 3
    if kind == 0:
        return "application.submitted", {
            "tracking_no": tracking_no, "service": "dl-renewal-expiry", "lang": "zh",
            "station": "hz-xihu-wensan", "mode": "self_service", "applicant": "李**",
            "fields": {"phone": "139****5678", "delivery": "pickup"}}
    if kind == 1:
        return "receipt.printed", {"tracking_no": tracking_no, "printer": "ok"}
    return "visit.ended", {"outcome": "finished", "last_step": "result", "duration_s": 74.2,
                           "service": "dl-renewal-expiry", "tracking_no": tracking_no}


def publish_stream(port: int, count: int, first_seq: int = 1) -> None:
    """Publish ``count`` realistic envelopes round-robin over the bench kiosks, QoS 1."""
    link = MqttLink(f"bench-publisher-{os.getpid()}", BrokerEndpoint(port=port),
                    clean_start=True, max_inflight=1000)
    link.start()
    assert link.wait_connected(10)
    topics = [kiosk_topic(k, KioskChannel.EVENTS) for k, _ in KIOSKS]
    handles = []
    for n in range(count):
        kiosk = n % len(KIOSKS)
        event_type, body = visit_events(first_seq + n)
        envelope = Envelope(kiosk=KIOSKS[kiosk][0], seq=first_seq + n // len(KIOSKS),
                            type=event_type, body=body)
        handles.append(link.publish(topics[kiosk], envelope.encode(), qos=1))
        if len(handles) >= 2000:  # keep paho's queue bounded
            oldest = handles[-1000]
            wait_for(oldest.is_acknowledged, 60, "publisher acks", 0.001)
            handles = handles[-1000:]
    wait_for(lambda: all(h.is_acknowledged() for h in handles), 120, "final acks", 0.01)
    link.stop()


class RawSubscriber:
    """A bare paho subscriber with a persistent session that only counts (auto-ack)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received = 0
        self.first = 0.0
        self.last = 0.0

    def _on_message(self, _c: object, _u: object, _m: object) -> None:
        self.received += 1
        self.last = time.perf_counter()
        if self.received == 1:
            self.first = self.last

    def session(self, then: float = 0.0, count: int = 0) -> None:
        """Connect (persistent session), subscribe, stay until ``count`` arrived, leave."""
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 3600
        client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-raw",
                             protocol=MQTTProtocolVersion.MQTTv5)
        client.on_message = self._on_message
        client.connect("127.0.0.1", self.port, clean_start=False, properties=props)
        client.subscribe("stationnet/v1/kiosk/+/up/events", qos=1)
        client.loop_start()
        if count:
            wait_for(lambda: self.received >= count, 300, "raw subscriber drain", 0.01)
        time.sleep(then)
        client.disconnect()
        client.loop_stop()


class CommitClock:
    """Counts committed events and keeps per-event commit latency."""

    def __init__(self) -> None:
        self.count = 0
        self.first: float | None = None
        self.last = 0.0
        self.latencies: list[float] = []
        self.measure_latency = False

    def __call__(self, events: list[Envelope]) -> None:
        now = time.perf_counter()
        self.first = self.first if self.first is not None else now
        self.last = now
        self.count += len(events)
        if self.measure_latency:
            wall = time.time()
            self.latencies.extend(wall - e.ts.timestamp() for e in events)


def _controller(net: Network, clock: CommitClock) -> ControllerService:
    service = ControllerService(net.settings, http=False)
    service.ingest.on_committed.append(clock)
    service.start()
    assert service.link.wait_connected(10)
    time.sleep(0.5)
    return service


def latency(net: Network, seconds: int) -> tuple[float, float, float]:
    clock = CommitClock()
    clock.measure_latency = True
    service = _controller(net, clock)
    per_kiosk = 1000 * seconds // len(KIOSKS)
    count = per_kiosk * len(KIOSKS)
    kiosks = [net.kiosk(k, rate=1000 / len(KIOSKS), count=per_kiosk) for k, _ in KIOSKS]
    started = time.monotonic()
    wait_for(lambda: clock.count >= count, 120, "latency run", 0.05)
    elapsed = time.monotonic() - started
    for kiosk in kiosks:
        kiosk.terminate()
    service.stop()
    ordered = sorted(clock.latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    return p50, p99, count / elapsed


def queued_stream(net: Network, count: int, first_seq: int) -> tuple[float, float]:
    """Queue one stream for both a bare subscriber and the controller; drain each alone.

    Returns (raw events/s, durable events/s): the same bytes from the same broker queue,
    first to last message, so only the receiving side differs.
    """
    raw = RawSubscriber(net.port)
    raw.session(then=0.2)  # register the persistent sessions, then both go away
    _controller(net, CommitClock()).stop()
    publish_stream(net.port, count, first_seq)
    raw.session(count=count)
    clock = CommitClock()
    service = _controller(net, clock)
    wait_for(lambda: clock.count >= count, 900, f"{count} durable events", 0.05)
    service.stop()
    assert clock.first is not None
    return count / (raw.last - raw.first), count / (clock.last - clock.first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--latency-seconds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        net = Network(Path(tmp), KIOSKS)
        net.start_broker()
        try:
            raw, durable = queued_stream(net, args.events, 1)
            p50, p99, achieved = latency(net, args.latency_seconds)
            _, drain = queued_stream(net, args.backlog, 1_000_000)
        finally:
            net.close()
    print(f"raw broker delivery      {raw:10,.0f} events/s   ({args.events:,} events)")
    print(f"durable controller ingest{durable:10,.0f} events/s   = {durable / raw:.2f} × raw"
          f"   (target ≥ 0.5 × raw and ≥ 3,000/s)")
    print(f"kiosk commit → controller commit at {achieved:,.0f}/s: p50 {p50:.1f} ms, "
          f"p99 {p99:.1f} ms   (target p99 ≤ 250 ms)")
    print(f"backlog drain            {drain:10,.0f} events/s   ({args.backlog:,} events queued "
          "while the controller was away; target ≥ 3,000/s)")
    ok = durable >= 0.5 * raw and durable >= 3000 and p99 <= 250 and drain >= 3000
    print("all targets met" if ok else "TARGETS MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
