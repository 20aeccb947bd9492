"""The ingest writer never stops on a message: poison is isolated by bisection and
quarantined, the rest is committed and acked; only the database's own failure retries."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from controller.db import Event, QuarantinedMessage, migrate
from controller.ingest import Ingest
from controller.ingest_buffer import IngestBuffer
from sync.envelope import Envelope
from sync.mqtt import ReceivedMessage
from sync.storage import make_engine, sqlite_url
from sync.topics import KioskChannel, kiosk_topic

EVENTS = kiosk_topic("k1", KioskChannel.EVENTS)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(sqlite_url(tmp_path / "c.db"))
    migrate(engine)
    return engine


class Acks:
    def __init__(self) -> None:
        self.mids: list[int] = []
        self.lock = threading.Lock()

    def __call__(self, message: ReceivedMessage) -> bool:
        with self.lock:
            self.mids.append(message.mid)
        return True

    def wait(self, count: int, timeout: float = 30) -> list[int]:
        deadline = time.monotonic() + timeout
        while len(self.mids) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return sorted(self.mids)


def _message(mid: int, payload: bytes, topic: str = EVENTS) -> ReceivedMessage:
    return ReceivedMessage(topic, payload, 1, False, mid, 0)


def _event(seq: int, event_type: str = "visit.ended") -> bytes:
    return Envelope(kiosk="k1", seq=seq, type=event_type, body={"n": seq}).encode()


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _run(engine: Engine, messages: list[ReceivedMessage], **kwargs: object) -> tuple[Ingest, Acks]:
    acks = Acks()
    ingest = Ingest(engine, acks, batch_size=1000, batch_wait_ms=200, **kwargs)  # type: ignore[arg-type]
    for message in messages:
        ingest.submit(message)
    ingest.start()
    return ingest, acks


def test_one_message_the_database_refuses_is_quarantined_and_999_are_stored(
        engine: Engine) -> None:
    # A value the database itself refuses (here a trigger, standing for any constraint
    # the decoder cannot know): the batch fails, bisection finds the one message.
    with engine.begin() as connection:
        connection.execute(text(
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON events WHEN NEW.type = 'poison.x' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"))
    messages = [_message(n, _event(n)) for n in range(1, 1001)]
    messages[500] = _message(501, _event(501, "poison.x"))
    ingest, acks = _run(engine, messages)
    assert acks.wait(1000) == list(range(1, 1001))
    ingest.stop()
    assert _count(engine, Event) == 999
    with Session(engine) as session:
        row = session.scalars(select(QuarantinedMessage)).one()
    assert row.reason == "unstorable" and "refused by the database" in row.detail
    assert ingest.stats.bisected_batches >= 1 and ingest.stats.unstorable == 1


def test_deep_bodies_and_huge_sequence_numbers_are_refused_at_decode(engine: Engine) -> None:
    deep: dict[str, object] = {}
    node = deep
    for _ in range(300):
        node["a"] = {}
        node = node["a"]  # type: ignore[assignment]
    doc = orjson.loads(_event(2))
    deep_doc = {**doc, "body": deep}
    huge_doc = {**orjson.loads(_event(3)), "seq": 2**64 - 1}
    import json  # orjson refuses to write 300 levels; the standard library does not

    messages = [_message(1, _event(1)), _message(2, json.dumps(deep_doc).encode()),
                _message(3, json.dumps(huge_doc).encode()), _message(4, _event(4))]
    ingest, acks = _run(engine, messages)
    assert acks.wait(4) == [1, 2, 3, 4]
    ingest.stop()
    assert _count(engine, Event) == 2
    with Session(engine) as session:
        row = session.scalars(select(QuarantinedMessage)).one()  # same kiosk, same reason
    assert (row.reason, row.repeats) == ("invalid_value", 2) and "nested deeper than" in row.detail
    assert ingest.stats.bisected_batches == 0  # caught before the database saw them


def test_a_locked_database_retries_the_whole_batch_and_acks_nothing_meanwhile(
        tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    engine = make_engine(sqlite_url(path))
    migrate(engine)
    engine.dispose()
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.2})
    event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=200"))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    ingest, acks = _run(engine, [_message(n, _event(n)) for n in range(1, 51)])
    deadline = time.monotonic() + 10
    while ingest.stats.database_failures < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ingest.stats.database_failures >= 2 and acks.mids == []
    assert ingest.status()["database_failing_since"] is not None
    blocker.execute("ROLLBACK")
    assert acks.wait(50) == list(range(1, 51))
    ingest.stop()
    assert _count(engine, Event) == 50 and _count(engine, QuarantinedMessage) == 0
    assert ingest.stats.database_failing_since is None


def test_stopping_leaves_new_messages_unacked_for_the_broker(engine: Engine) -> None:
    ingest, acks = _run(engine, [_message(n, _event(n)) for n in range(1, 11)])
    assert acks.wait(10) == list(range(1, 11))
    ingest.stop()
    ingest.submit(_message(11, _event(11)))
    time.sleep(0.3)
    assert 11 not in acks.mids and ingest.buffer.refused_while_closed == 1


def test_the_buffer_cuts_oversized_payloads_and_throttles_telemetry() -> None:
    now = [100.0]
    buffer = IngestBuffer(max_messages=10, telemetry_min_interval_s=1.0, clock=lambda: now[0])
    telemetry = kiosk_topic("k1", KioskChannel.TELEMETRY)
    assert buffer.put(_message(1, b"x" * 780_000, telemetry))
    assert not buffer.put(_message(2, b"{}", telemetry))  # within the interval: dropped
    now[0] += 1.5
    assert buffer.put(_message(3, b"{}", telemetry))
    [big, small] = buffer.take(10, 0)
    assert big.size == 780_000 and big.oversized and len(big.message.payload) == 512
    assert not small.oversized and buffer.telemetry_dropped == 1
    assert buffer.traffic["k1"].messages == 3


def test_a_full_buffer_drops_telemetry_and_blocks_events_until_there_is_room() -> None:
    buffer = IngestBuffer(max_messages=2, telemetry_min_interval_s=0)
    buffer.put(_message(1, _event(1)))
    buffer.put(_message(2, _event(2)))
    assert not buffer.put(_message(3, b"{}", kiosk_topic("k2", KioskChannel.TELEMETRY)))
    done = threading.Event()
    threading.Thread(target=lambda: (buffer.put(_message(4, _event(4))), done.set())).start()
    assert not done.wait(0.3)  # blocked: back-pressure on the network thread
    assert [i.message.mid for i in buffer.take(1, 0)] == [1]
    assert done.wait(2)
    assert [i.message.mid for i in buffer.take(10, 0)] == [2, 4]


def test_a_known_event_whose_body_breaks_its_model_is_quarantined_and_unknown_types_stored(
        engine: Engine) -> None:
    broken = Envelope(kiosk="k1", seq=2, type="application.submitted",
                      body={"service": "dl-renewal-expiry"}).encode()  # no tracking number
    future = Envelope(kiosk="k1", seq=3, type="kiosk.rebooted", body={"why": "update"}).encode()
    messages = [_message(1, _event(1)), _message(2, broken), _message(3, future)]
    ingest, acks = _run(engine, messages)
    assert acks.wait(3) == [1, 2, 3]
    ingest.stop()
    with Session(engine) as session:
        stored = sorted(session.scalars(select(Event.type)))
        row = session.scalars(select(QuarantinedMessage)).one()
    assert stored == ["kiosk.rebooted", "visit.ended"]
    assert row.reason == "invalid_body"
    assert row.detail.startswith("application.submitted body: tracking_no: Field required")
