"""Benchmark: valid traffic under a rogue client's flood, against the same traffic quiet.

    .venv/bin/python bench/bench_hostile.py [--seconds 20] [--rate 50] [--kiosks 2]

One run, all on this machine, real Mosquitto, a real controller process on SQLite and
real headless kiosks submitting visits at a steady rate. Two phases of equal length:

1. quiet — only the kiosks;
2. flood — the same kiosks while a rogue client (its own process) publishes as fast as it
           can, round-robin: malformed bytes, oversized events (70 KB), oversized telemetry
           (780 KB), bodies nested 300 levels deep, sequence numbers past 64 bits, and
           replays of valid events it sent before.

Prints valid events lost (must be 0) and duplicated (0), the rogue's message count, the
controller's peak RSS, and the p50/p99 latency of valid events (kiosk commit → stored)
in each phase with the flood's p99 as a ratio of the quiet p99.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from harness import Network, wait_for  # noqa: E402

from sync.envelope import Envelope, format_utc, utc_now  # noqa: E402
from sync.mqtt import BrokerEndpoint, MqttLink  # noqa: E402
from sync.topics import KioskChannel, kiosk_topic  # noqa: E402

ROGUE = "k-rogue-1"


def _hostile_payloads() -> list[tuple[str, bytes, int]]:
    """Return (topic, payload, qos) of each kind of hostile message, cycled by the rogue."""
    events = kiosk_topic(ROGUE, KioskChannel.EVENTS)
    base = json.loads(Envelope(kiosk=ROGUE, seq=1, type="visit.ended", body={}).encode())
    deep = json.loads('{"a":' * 300 + "1" + "}" * 300)
    return [
        (events, b"\xff\xfe not json at all", 1),
        (events, json.dumps({**base, "body": {"pad": "x" * 70_000}}).encode(), 1),
        (kiosk_topic(ROGUE, KioskChannel.TELEMETRY),
         json.dumps({"kiosk": ROGUE, "uptime_s": 1, "outbox_depth": 0,
                     "pad": "y" * 780_000}).encode(), 0),
        (events, json.dumps({**base, "body": deep}).encode(), 1),
        (events, json.dumps({**base, "seq": 2**64 - 1}).encode(), 1),
    ]


def rogue(port: int, seconds: float, sent: multiprocessing.Value) -> None:  # type: ignore[type-arg]
    """Flood the broker for ``seconds`` as fast as the broker takes it (a bounded loop)."""
    link = MqttLink("rogue", BrokerEndpoint(port=port), clean_start=True, max_inflight=1000)
    link.start()
    assert link.wait_connected(10)
    hostile = _hostile_payloads()
    replays = [Envelope(kiosk=ROGUE, seq=n, type="visit.ended", body={"n": n}).encode()
               for n in range(1, 51)]
    replay_topic = kiosk_topic(ROGUE, KioskChannel.EVENTS)
    deadline = time.monotonic() + seconds
    handles = []
    n = 0
    while time.monotonic() < deadline:
        if n % 6 == 5:
            handles.append(link.publish(replay_topic, replays[n % len(replays)]))
        else:
            topic, payload, qos = hostile[n % 6 % len(hostile)]
            handles.append(link.publish(topic, payload, qos=qos))
        n += 1
        if len(handles) >= 1000:  # stay within paho's in-flight window
            wait_for(handles[-500].is_acknowledged, 60, "broker acks", 0.001)
            handles = handles[-500:]
    sent.value = n
    link.stop()


def _latencies(net: Network, kiosks: list[str], since: str, until: str) -> list[float]:
    rows = net._controller_query(
        "SELECT ts, received_at, kiosk_id FROM events WHERE ts >= :a AND ts < :b",
        a=since, b=until)
    return [(datetime.fromisoformat(r[1]) - datetime.fromisoformat(r[0])).total_seconds()
            for r in rows if r[2] in kiosks]


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _quantiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100)
    return cuts[49], cuts[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=50, help="visits a second per kiosk")
    parser.add_argument("--kiosks", type=int, default=2)
    args = parser.parse_args()
    kiosks = [f"k-bench-{i}" for i in range(args.kiosks)]
    with tempfile.TemporaryDirectory(prefix="stationnet-hostile-") as tmp:
        net = Network(Path(tmp), [(k, "hz-xihu-wensan") for k in kiosks])
        net.start_broker()
        try:
            controller = net.controller()
            for kiosk in kiosks:  # steady for both phases, then idle
                net.kiosk(kiosk, rate=args.rate, count=int(args.rate * args.seconds * 2))
            started = format_utc(utc_now())
            time.sleep(args.seconds)
            middle = format_utc(utc_now())
            sent = multiprocessing.Value("q", 0)
            flooder = multiprocessing.Process(target=rogue, args=(net.port, args.seconds, sent))
            flooder.start()
            flooder.join(args.seconds + 120)
            quiet, loud = (started, middle), (middle, format_utc(utc_now()))
            net.kiosk_ids = kiosks
            net.assert_all_delivered_once(timeout=120)
            produced = {e for k in kiosks for e in net.kiosk_event_ids(k)}
            stored = [e for k in kiosks for e in net.controller_event_ids(k)]
            q50, q99 = _quantiles(_latencies(net, kiosks, *quiet))
            f50, f99 = _quantiles(_latencies(net, kiosks, *loud))
            rows = net._controller_query("SELECT count(*), sum(repeats) FROM quarantine")[0]
            print(f"valid events: {len(produced)} produced, lost {len(produced - set(stored))}, "
                  f"duplicated {len(stored) - len(set(stored))}")
            print(f"rogue messages sent: {sent.value:,} in {args.seconds:.0f} s; "
                  f"quarantine rows {rows[0]} counting {rows[1] or 0:,} refusals")
            print(f"controller peak RSS: {_peak_rss_mb(controller.popen.pid):.0f} MB")
            print(f"latency quiet: p50 {q50 * 1000:.0f} ms, p99 {q99 * 1000:.0f} ms")
            print(f"latency flood: p50 {f50 * 1000:.0f} ms, p99 {f99 * 1000:.0f} ms "
                  f"= {f99 / q99:.2f} × quiet p99")
        finally:
            net.close()


if __name__ == "__main__":
    main()
