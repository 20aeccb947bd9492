"""A client in another language speaks the contract: Debian's mosquitto_pub plays a kiosk,
mosquitto_sub watches every topic, and everything that crosses the real broker (from it,
from a Python kiosk and from the controller) fits the exported JSON Schema."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from contract_samples import BY_APPOINTMENT, EVENTS, QUERIES, presence, telemetry
from harness import Network, wait_for
from jsonschema import Draft202012Validator
from remote_support import keyed, send, wait_state

from sync.contract import MESSAGES, message_schema
from sync.envelope import Envelope
from sync.request_bodies import BookQuery, CancelQuery, Query, RequestType, SlotsQuery
from sync.topics import ROOT, KioskChannel, kiosk_topic

pytestmark = pytest.mark.skipif(shutil.which("mosquitto_pub") is None,
                                reason="needs mosquitto-clients (scripts/bootstrap.sh)")

KIOSK, STATION = "k-wensan-1", "hz-xihu-wensan"  # played by mosquitto_pub
PYTHON_KIOSK = "k-daguan-1"
_SCHEMA_OF = [  # topic pattern → message schema
    (re.compile(rf"^{ROOT}/kiosk/[^/]+/up/events$"), "event"),
    (re.compile(rf"^{ROOT}/kiosk/[^/]+/up/presence$"), "kiosk-presence"),
    (re.compile(rf"^{ROOT}/kiosk/[^/]+/up/telemetry$"), "kiosk-telemetry"),
    (re.compile(rf"^{ROOT}/kiosk/[^/]+/up/request$"), "request"),
    (re.compile(rf"^{ROOT}/kiosk/[^/]+/down/reply$"), "reply"),
    (re.compile(rf"^{ROOT}/doc/[^/]+/[^/]+$"), "document"),
    (re.compile(rf"^{ROOT}/controller/presence$"), "controller-presence"),
    (re.compile(rf"^{ROOT}/kiosk/[^/]+/down/command$"), "command"),
    (re.compile(rf"^{ROOT}/kiosk/[^/]+/up/response$"), "command-response"),
]


class Watcher:
    """mosquitto_sub on every stationnet topic, writing 'topic hex-payload' lines."""

    def __init__(self, port: int, out: Path) -> None:
        self.out = out
        self._file = open(out, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-V", "mqttv5",
             "-i", "contract-watcher", "-t", f"{ROOT}/#", "-F", "%t %x"],
            stdout=self._file, stderr=subprocess.STDOUT)

    def messages(self) -> list[tuple[str, bytes]]:
        lines = self.out.read_text(errors="replace").splitlines()
        return [(topic, bytes.fromhex(payload)) for topic, _, payload in
                (line.partition(" ") for line in lines) if topic.startswith(ROOT)]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self._file.close()


def _publish(port: int, topic: str, payloads: list[bytes], *extra: str) -> None:
    """Publish each payload on ``topic`` with mosquitto_pub (QoS 1, MQTT 5)."""
    for payload in payloads:
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-V", "mqttv5",
                        "-q", "1", "-i", f"{KIOSK}-pub", "-t", topic, "-s", *extra],
                       input=payload, check=True, timeout=10)


def _schema_name(topic: str) -> str | None:
    return next((name for pattern, name in _SCHEMA_OF if pattern.match(topic)), None)


def _validators() -> dict[str, Draft202012Validator]:
    return {name: Draft202012Validator(message_schema(name)) for name in MESSAGES}


class Asker:
    """Sends requests as the other-language kiosk and waits for each reply in turn."""

    def __init__(self, network: Network, watcher: Watcher) -> None:
        self.network, self.watcher = network, watcher
        self.reply_topic = kiosk_topic(KIOSK, KioskChannel.REPLY)
        self.answered: list[tuple[Query, dict[str, Any]]] = []

    def ask(self, query: Query) -> dict[str, Any]:
        request = {"type": query.request_type.value,
                   "body": query.model_dump(mode="json", exclude_none=True)}
        _publish(self.network.port, kiosk_topic(KIOSK, KioskChannel.REQUEST),
                 [json.dumps(request, ensure_ascii=False).encode()],
                 "-D", "publish", "response-topic", self.reply_topic,
                 "-D", "publish", "correlation-data", f"question-{len(self.answered)}",
                 "-D", "publish", "message-expiry-interval", "10")
        n = len(self.answered)
        replies = wait_for(lambda: (found := [p for t, p in self.watcher.messages()
                                              if t == self.reply_topic])[n:] and found,
                           10, f"the controller's answer to {query.request_type}")
        reply: dict[str, Any] = json.loads(replies[n])
        assert reply["ok"], f"{query.request_type}: {reply}"
        self.answered.append((query, reply))
        return reply

    def ask_every_kind(self) -> None:
        """Ask each request type once; book the first free slot and cancel that booking."""
        for query in QUERIES:
            if not isinstance(query, (BookQuery, CancelQuery)):
                self.ask(query)
        slots = self.ask(SlotsQuery(service=BY_APPOINTMENT, days=30))["body"]["slots"]
        assert slots, f"no free slot for {BY_APPOINTMENT} in 30 days"
        booked = self.ask(BookQuery(service=BY_APPOINTMENT, start=slots[0]["start"],
                                    name="李*"))["body"]
        self.ask(CancelQuery(reference=booked["reference"]))


def test_every_kind_of_message_through_mosquitto_clients_fits_the_exported_schema(
        network: Network, tmp_path: Path) -> None:
    keyed(network)  # the controller signs commands, the Python kiosk checks them
    watcher = Watcher(network.port, tmp_path / "watched.txt")
    try:
        network.controller()
        network.kiosk(PYTHON_KIOSK, rate=10, count=3)
        lock = send(network, PYTHON_KIOSK, "lock", {"message": "维护中 Under maintenance"})
        wait_state(network, lock["id"], {"SUCCEEDED"})
        _publish(network.port, kiosk_topic(KIOSK, KioskChannel.PRESENCE),
                 [presence(KIOSK, STATION).encode()], "-r")
        _publish(network.port, kiosk_topic(KIOSK, KioskChannel.TELEMETRY),
                 [telemetry(KIOSK, STATION).encode()])
        envelopes = [Envelope(kiosk=KIOSK, seq=n, type=body.event_type, body=body.wire())
                     for n, body in enumerate(EVENTS, start=1)]
        _publish(network.port, kiosk_topic(KIOSK, KioskChannel.EVENTS),
                 [e.encode() for e in envelopes])
        asker = Asker(network, watcher)
        asker.ask_every_kind()
        wait_for(lambda: len(network.controller_event_ids(KIOSK)) == len(EVENTS), 20,
                 "the controller to store every event mosquitto_pub sent")
        wait_for(lambda: {_schema_name(t) for t, _ in watcher.messages()} >= set(MESSAGES),
                 20, f"a message of every kind: {sorted(MESSAGES)}")
        time.sleep(0.5)  # let the last lines land
    finally:
        watcher.stop()

    assert network.quarantine() == []  # nothing the other-language kiosk sent was refused
    validators = _validators()
    seen: dict[str, int] = {}
    for topic, payload in watcher.messages():
        name = _schema_name(topic)
        if name is None:
            continue
        errors = [e.message for e in validators[name].iter_errors(json.loads(payload))]
        assert not errors, f"{topic} does not fit {name}.schema.json: {errors[:3]}"
        seen[name] = seen.get(name, 0) + 1
    assert set(seen) == set(MESSAGES)
    assert {q.request_type for q, _ in asker.answered} == set(RequestType)
    for query, reply in asker.answered:
        answer_schema = Draft202012Validator(query.answer.model_json_schema())
        assert list(answer_schema.iter_errors(reply["body"])) == [], query.request_type
