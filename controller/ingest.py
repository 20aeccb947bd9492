"""Durable ingest: validate kiosk messages, commit them in batches, then acknowledge.

paho runs with manual acknowledgement: a QoS 1 message is acked to the broker only after
the transaction holding it has committed, so a controller killed between receipt and
commit loses nothing (the broker delivers the message again). Events are deduplicated by
their id, so redelivery and replays are harmless.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from sync.envelope import Envelope, EnvelopeError, RejectReason, decode_envelope
from sync.messages import KioskPresence, KioskTelemetry, MessageSchemaError, parse_message
from sync.mqtt import ReceivedMessage
from sync.topics import KioskChannel, TopicError, parse_kiosk_topic

from .registry import FleetWriter, Rejected

__all__ = ["Ingest", "IngestStats", "Projector"]

log = logging.getLogger(__name__)

Projector = Callable[[Session, list[Envelope]], None]


@dataclass(slots=True)
class IngestStats:
    """Counters since start, for the API and benchmarks."""

    received: int = 0
    events_committed: int = 0
    duplicates: int = 0
    quarantined: int = 0
    batches: int = 0
    acked: int = 0
    last_commit_ms: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Return the counters as a plain dict."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class _Batch:
    events: list[Envelope] = field(default_factory=list)
    presences: list[KioskPresence] = field(default_factory=list)
    telemetry: list[KioskTelemetry] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def _classify(message: ReceivedMessage, batch: _Batch, max_bytes: int) -> None:
    try:
        where = parse_kiosk_topic(message.topic)
    except TopicError as exc:
        batch.rejected.append(Rejected(message, None, RejectReason.WRONG_TOPIC, str(exc)))
        return
    kiosk = where.kiosk_id
    try:
        if where.channel is KioskChannel.EVENTS:
            batch.events.append(decode_envelope(message.payload, topic_kiosk=kiosk,
                                                max_bytes=max_bytes))
        elif where.channel is KioskChannel.PRESENCE:
            presence = parse_message(KioskPresence, message.payload)
            _same_kiosk(presence.kiosk, kiosk)
            batch.presences.append(presence)
        elif where.channel is KioskChannel.TELEMETRY:
            telemetry = parse_message(KioskTelemetry, message.payload)
            _same_kiosk(telemetry.kiosk, kiosk)
            batch.telemetry.append(telemetry)
        else:
            raise EnvelopeError(RejectReason.WRONG_TOPIC, f"ingest does not take {where.channel}")
    except EnvelopeError as exc:
        batch.rejected.append(Rejected(message, kiosk, exc.reason, exc.detail))
    except MessageSchemaError as exc:
        batch.rejected.append(Rejected(message, kiosk, RejectReason.INVALID_VALUE, str(exc)))


def _same_kiosk(claimed: str, topic_kiosk: str) -> None:
    if claimed != topic_kiosk:
        raise EnvelopeError(RejectReason.TOPIC_MISMATCH,
                            f"message says kiosk {claimed[:64]!r} but arrived on "
                            f"{topic_kiosk!r}'s topic")


class Ingest:
    """A writer thread that turns received messages into committed, acknowledged rows."""

    def __init__(
        self,
        engine: Engine,
        ack: Callable[[ReceivedMessage], bool],
        *,
        batch_size: int = 1000,
        batch_wait_ms: int = 20,
        max_payload_bytes: int = 64 * 1024,
        on_committed: Callable[[list[Envelope]], None] | None = None,
        projectors: list[Projector] | None = None,
    ) -> None:
        self._engine = engine
        self._ack = ack
        self._batch_size = batch_size
        self._batch_wait_s = batch_wait_ms / 1000
        self._max_bytes = max_payload_bytes
        # Called after each commit with the newly stored events (benchmarks, live feeds).
        self.on_committed: list[Callable[[list[Envelope]], None]] = (
            [on_committed] if on_committed else [])
        # Called inside the batch's transaction with the newly stored events, so what a
        # feature derives from events (applications, alarms) commits atomically with them.
        self.projectors: list[Projector] = projectors if projectors is not None else []
        self._queue: queue.SimpleQueue[ReceivedMessage] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
        self.stats = IngestStats()

    def submit(self, message: ReceivedMessage) -> None:
        """Queue a received message (called on paho's network thread)."""
        self._queue.put(message)

    def start(self) -> None:
        """Start the writer thread."""
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Commit and acknowledge what is queued, then stop."""
        self._stop.set()
        self._thread.join(timeout)

    def _take_batch(self) -> list[ReceivedMessage]:
        try:
            first = self._queue.get(timeout=0.2)
        except queue.Empty:
            return []
        taken = [first]
        deadline = time.monotonic() + self._batch_wait_s
        while len(taken) < self._batch_size:
            try:
                taken.append(self._queue.get_nowait())
                continue
            except queue.Empty:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                taken.append(self._queue.get(timeout=remaining))
            except queue.Empty:
                break
        return taken

    def _run(self) -> None:
        while True:
            taken = self._take_batch()
            if not taken:
                if self._stop.is_set():
                    return
                continue
            self._process(taken)

    def _process(self, taken: list[ReceivedMessage]) -> None:
        batch = _Batch()
        for message in taken:
            _classify(message, batch, self._max_bytes)
        started = time.perf_counter()
        while True:
            try:
                with Session(self._engine) as session, session.begin():
                    outcome = FleetWriter(session).write(
                        batch.events, batch.presences, batch.telemetry, batch.rejected)
                    for project in self.projectors:
                        project(session, outcome.inserted)
                break
            except Exception:  # the DB is away or locked: keep the batch, unacked, and retry
                log.exception("committing a batch of %d messages failed; retrying", len(taken))
                if self._stop.wait(1.0):
                    return
        self._account(taken, batch, outcome.inserted, started)
        for message in taken:  # only now: the rows are on disk
            if self._ack(message):
                self.stats.acked += 1
        if outcome.inserted:
            for listener in self.on_committed:
                listener(outcome.inserted)

    def _account(self, taken: list[ReceivedMessage], batch: _Batch, inserted: list[Envelope],
                 started: float) -> None:
        stats = self.stats
        stats.received += len(taken)
        stats.batches += 1
        stats.events_committed += len(inserted)
        duplicates = len(batch.events) - len(inserted)
        stats.duplicates += duplicates
        stats.quarantined += len(batch.rejected)
        stats.last_commit_ms = (time.perf_counter() - started) * 1000
        if duplicates:
            log.info("ignored %d already-stored event(s): redelivery or replay", duplicates)
        for rejected in batch.rejected:
            log.warning("quarantined a message on %s: %s: %s", rejected.message.topic,
                        rejected.reason.value, rejected.detail[:200])
