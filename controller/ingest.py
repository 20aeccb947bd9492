"""Durable ingest: validate kiosk messages, commit them in batches, then acknowledge.

paho runs with manual acknowledgement: a QoS 1 message is acked to the broker only after
the transaction holding it has committed, so a controller killed between receipt and
commit loses nothing (the broker delivers the message again). Events are deduplicated by
their id, so redelivery and replays are harmless.

No message can stop ingest. Validation refuses what the store could not hold; if a batch
still fails to commit for a reason that is not the database's own, it is split in halves
until the message(s) that cannot be stored are found, and those are quarantined with the
database's error while the rest commit and are acked. Only a failure of the database
itself (locked, unreachable, disk full) retries the whole batch, with back-off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from sync.envelope import Envelope, EnvelopeError, RejectReason, decode_envelope, utc_now
from sync.events import EventBodyError, parse_event_body
from sync.limits import payload_limit
from sync.messages import KioskPresence, KioskTelemetry, MessageSchemaError, parse_message
from sync.mqtt import ReceivedMessage
from sync.topics import KioskChannel

from .ingest_buffer import Incoming, IngestBuffer
from .quarantine import QuarantinePolicy, Rejected, RejectionLog, store_rejections
from .registry import FleetWriter

__all__ = ["Ingest", "IngestStats", "Projector", "is_database_failure"]

log = logging.getLogger(__name__)

Projector = Callable[[Session, list[Envelope]], None]
_BACKOFF_FIRST_S, _BACKOFF_MAX_S = 0.5, 30.0


@dataclass(slots=True)
class IngestStats:
    """Counters since start, for the API and benchmarks."""

    received: int = 0
    events_committed: int = 0
    duplicates: int = 0
    quarantined: int = 0
    unstorable: int = 0
    batches: int = 0
    bisected_batches: int = 0
    acked: int = 0
    last_commit_ms: float = 0.0
    database_failures: int = 0
    database_failing_since: str | None = None

    def as_dict(self) -> dict[str, float | str | None]:
        """Return the counters as a plain dict."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class _Batch:
    events: list[Envelope] = field(default_factory=list)
    presences: list[KioskPresence] = field(default_factory=list)
    telemetry: list[KioskTelemetry] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def is_database_failure(error: BaseException) -> bool:
    """True when ``error`` is the database's own failure, not a message's fault.

    Locked, unreachable, out of space, connection lost: retrying the same batch later is
    right. Anything else (a value the database refuses, a projector that cannot handle an
    event) is a message's fault and is isolated by bisection.
    """
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError,
                              sa_exc.DisconnectionError, sa_exc.TimeoutError))


def _classify(item: Incoming, batch: _Batch) -> None:
    message, kiosk, channel = item.message, item.kiosk, item.channel
    if channel is None or kiosk is None:
        batch.rejected.append(Rejected(message, None, RejectReason.WRONG_TOPIC,
                                       f"topic {message.topic[:200]!r} is not a kiosk channel",
                                       item.size))
        return
    try:
        if item.oversized:
            raise EnvelopeError(RejectReason.OVERSIZED,
                                f"{item.size} bytes exceeds the {payload_limit(channel)}-byte "
                                f"limit of {channel.value}")
        if channel is KioskChannel.EVENTS:
            event = decode_envelope(message.payload, topic_kiosk=kiosk,
                                    max_bytes=payload_limit(channel))
            _check_body(event)
            batch.events.append(event)
        elif channel is KioskChannel.PRESENCE:
            presence = parse_message(KioskPresence, message.payload)
            _same_kiosk(presence.kiosk, kiosk)
            batch.presences.append(presence)
        elif channel is KioskChannel.TELEMETRY:
            telemetry = parse_message(KioskTelemetry, message.payload)
            _same_kiosk(telemetry.kiosk, kiosk)
            batch.telemetry.append(telemetry)
        else:
            raise EnvelopeError(RejectReason.WRONG_TOPIC, f"ingest does not take {channel}")
    except EnvelopeError as exc:
        batch.rejected.append(Rejected(message, kiosk, exc.reason, exc.detail, item.size))
    except MessageSchemaError as exc:
        batch.rejected.append(Rejected(message, kiosk, RejectReason.INVALID_VALUE, str(exc),
                                       item.size))


def _check_body(event: Envelope) -> None:
    """Refuse a known event type whose body breaks its model; unknown types pass as they
    are (a newer kiosk may send types this controller has no model for yet)."""
    try:
        parse_event_body(event.type, event.body)
    except EventBodyError as exc:
        raise EnvelopeError(RejectReason.INVALID_BODY, str(exc)) from None


def _same_kiosk(claimed: str, topic_kiosk: str) -> None:
    if claimed != topic_kiosk:
        raise EnvelopeError(RejectReason.TOPIC_MISMATCH,
                            f"message says kiosk {claimed[:64]!r} but arrived on "
                            f"{topic_kiosk!r}'s topic")


class _DatabaseDown(Exception):
    """The database failed on its own account; the whole batch is retried later."""


class Ingest:
    """A writer thread that turns received messages into committed, acknowledged rows."""

    def __init__(
        self,
        engine: Engine,
        ack: Callable[[ReceivedMessage], bool],
        *,
        batch_size: int = 1000,
        batch_wait_ms: int = 20,
        buffer: IngestBuffer | None = None,
        quarantine: QuarantinePolicy | None = None,
        on_committed: Callable[[list[Envelope]], None] | None = None,
        projectors: list[Projector] | None = None,
    ) -> None:
        self._engine = engine
        self._ack = ack
        self._batch_size = batch_size
        self._batch_wait_s = batch_wait_ms / 1000
        self.buffer = buffer or IngestBuffer()
        self._policy = quarantine or QuarantinePolicy()
        self._rejection_log = RejectionLog(self._policy.interval_s)
        # Called after each commit with the newly stored events (benchmarks, live feeds).
        self.on_committed: list[Callable[[list[Envelope]], None]] = (
            [on_committed] if on_committed else [])
        # Called inside the batch's transaction with the newly stored events, so what a
        # feature derives from events (applications, alarms) commits atomically with them.
        self.projectors: list[Projector] = projectors if projectors is not None else []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
        self.stats = IngestStats()

    def submit(self, message: ReceivedMessage) -> None:
        """Queue a received message (called on paho's network thread; blocks when full)."""
        self.buffer.put(message)

    def start(self) -> None:
        """Start the writer thread."""
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Take no more messages; commit and acknowledge what is queued, then stop."""
        self.buffer.close()
        self._stop.set()
        self._thread.join(timeout)
        self._rejection_log.flush(force=True)

    def status(self) -> dict[str, object]:
        """Return counters, queue depth and the busiest kiosks, for the health endpoint."""
        return {**self.stats.as_dict(), "queued": len(self.buffer),
                "queued_bytes": self.buffer.queued_bytes,
                "telemetry_dropped": self.buffer.telemetry_dropped,
                "blocked_s": round(self.buffer.blocked_s, 3),
                "top_kiosks": self.buffer.top_talkers()}

    def _run(self) -> None:
        while True:
            taken = self.buffer.take(self._batch_size, self._batch_wait_s)
            if not taken:
                if self._stop.is_set():
                    return
                continue
            self._process(taken)

    def _process(self, taken: list[Incoming]) -> None:
        started = time.perf_counter()
        backoff = _BACKOFF_FIRST_S
        while True:
            try:
                inserted = self._commit(taken)
                break
            except _DatabaseDown as exc:
                self._database_failed(exc, len(taken), backoff)
                if self._stop.wait(backoff):
                    return  # unacked: the broker delivers them again after a restart
                backoff = min(backoff * 2, _BACKOFF_MAX_S)
        if self.stats.database_failing_since is not None:
            log.warning("the database is back (failing since %s); ingest resumes",
                        self.stats.database_failing_since)
            self.stats.database_failing_since = None
        self.stats.received += len(taken)
        self.stats.batches += 1
        self.stats.last_commit_ms = (time.perf_counter() - started) * 1000
        for item in taken:  # only now: the rows are on disk
            if self._ack(item.message):
                self.stats.acked += 1
        if inserted:
            for listener in self.on_committed:
                listener(inserted)

    def _database_failed(self, error: BaseException, size: int, backoff: float) -> None:
        self.stats.database_failures += 1
        if self.stats.database_failing_since is None:
            self.stats.database_failing_since = utc_now().isoformat()
            log.error("the database failed a batch of %d message(s): %s; nothing is acked, "
                      "retrying with back-off (next in %.1f s) — check the database server, "
                      "its disk and its locks", size, error, backoff)
        else:
            log.warning("the database still fails (%s); retrying in %.1f s",
                        str(error)[:200], backoff)

    # -- committing -------------------------------------------------------------------------
    def _commit(self, items: list[Incoming]) -> list[Envelope]:
        """Store ``items``; isolate and quarantine what cannot be stored. Returns new events."""
        batch = _Batch()
        for item in items:
            _classify(item, batch)
        try:
            inserted = self._store(batch)
        except Exception as error:  # noqa: BLE001 - classified right below
            if is_database_failure(error):
                raise _DatabaseDown(str(error)) from error
            if len(items) == 1:
                return self._quarantine_unstorable(items[0], error)
            self.stats.bisected_batches += 1
            middle = len(items) // 2
            return self._commit(items[:middle]) + self._commit(items[middle:])
        self._account(batch, inserted)
        return inserted

    def _store(self, batch: _Batch) -> list[Envelope]:
        with Session(self._engine) as session, session.begin():
            outcome = FleetWriter(session, self._policy).write(
                batch.events, batch.presences, batch.telemetry, batch.rejected)
            for project in self.projectors:
                project(session, outcome.inserted)
        return outcome.inserted

    def _quarantine_unstorable(self, item: Incoming, error: BaseException) -> list[Envelope]:
        reason = _storage_error_text(error)
        log.error("a message on %s cannot be stored and is quarantined: %s",
                  item.message.topic[:120], reason)
        rejected = Rejected(item.message, item.kiosk, RejectReason.UNSTORABLE,
                            f"the database refused it: {reason}", item.size)
        try:
            with Session(self._engine) as session, session.begin():
                store_rejections(session, [rejected], utc_now(), self._policy)
        except Exception as again:  # noqa: BLE001
            if is_database_failure(again):
                raise _DatabaseDown(str(again)) from again
            log.exception("could not even quarantine it; it is acked and dropped")
        self.stats.unstorable += 1
        self.stats.quarantined += 1
        return []

    def _account(self, batch: _Batch, inserted: list[Envelope]) -> None:
        stats = self.stats
        stats.events_committed += len(inserted)
        duplicates = len(batch.events) - len(inserted)
        stats.duplicates += duplicates
        stats.quarantined += len(batch.rejected)
        if duplicates:
            log.info("ignored %d already-stored event(s): redelivery or replay", duplicates)
        if batch.rejected:
            self._rejection_log.record(batch.rejected)


def _storage_error_text(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    first_line = (str(original).splitlines() or [""])[0]
    return f"{type(original).__name__}: {first_line[:300]}"
