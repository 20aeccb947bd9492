"""Delivers a kiosk's outbox to the broker: in order, at least once, marked on PUBACK."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from sqlalchemy.orm import Session

from .mqtt import MqttError, MqttLink, PublishHandle
from .outbox import Outbox

__all__ = ["OutboxPublisher"]

log = logging.getLogger(__name__)

RECORD_INTERVAL_S = 0.05


class OutboxPublisher:
    """A background thread that keeps up to ``window`` outbox events in flight.

    Within one process paho keeps unacknowledged messages and re-sends them after a
    reconnect; across a restart the outbox does, because an event is only marked
    delivered once the broker has acknowledged it. Either way the controller may see an
    event twice and dedupes it by id.
    """

    def __init__(
        self,
        link: MqttLink,
        outbox: Outbox,
        sessions: Callable[[], Session],
        topic: str,
        *,
        window: int = 1000,
        on_delivered: Callable[[int], None] | None = None,
    ) -> None:
        self._link = link
        self._outbox = outbox
        self._sessions = sessions
        self._topic = topic
        self._window = window
        self._on_delivered = on_delivered
        self._in_flight: deque[tuple[int, PublishHandle]] = deque()
        self._last_handed = 0
        self._wake = threading.Event()  # new events committed, or the broker acked some
        self._stop = threading.Event()
        self._last_recorded = 0.0
        link.on_acknowledged(self._wake.set)
        self._thread = threading.Thread(target=self._run, name="outbox-publisher", daemon=True)
        self.delivered_total = 0

    def start(self) -> None:
        """Start delivering in the background."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread after recording what the broker has acknowledged so far."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def wake(self) -> None:
        """Tell the publisher that new events were committed."""
        self._wake.set()

    @property
    def in_flight(self) -> int:
        """Return how many events are handed to the broker but not yet acknowledged."""
        return len(self._in_flight)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:  # keep delivering: a transient DB or link error is retried
                log.exception("outbox publisher step failed; retrying")
                self._stop.wait(1.0)
        self._record_acknowledged()

    def _step(self) -> None:
        self._wake.wait(0.5)
        self._wake.clear()
        # Marking is batched: a lost mark only means a harmless re-send, so it need not
        # cost one fsync per acknowledgement.
        now = time.monotonic()
        if now - self._last_recorded >= RECORD_INTERVAL_S or len(self._in_flight) >= self._window:
            self._last_recorded = now
            self._record_acknowledged()
        if self._link.connected.is_set():
            self._hand_over()

    def _hand_over(self) -> None:
        room = self._window - len(self._in_flight)
        if room <= 0:
            return
        with self._sessions() as session:
            batch = self._outbox.pending(session, after_seq=self._last_handed, limit=room)
        for envelope in batch:
            try:
                handle = self._link.publish(self._topic, envelope.encode(), qos=1)
            except MqttError as exc:
                log.warning("could not hand event %s to the broker: %s", envelope.seq, exc)
                return
            self._in_flight.append((envelope.seq, handle))
            self._last_handed = envelope.seq

    def _record_acknowledged(self) -> None:
        done = [seq for seq, handle in self._in_flight if handle.is_acknowledged()]
        if not done:
            return
        with self._sessions() as session, session.begin():
            self._outbox.mark_delivered(session, done)
        finished = set(done)
        self._in_flight = deque(item for item in self._in_flight if item[0] not in finished)
        self.delivered_total += len(done)
        if self._on_delivered:
            self._on_delivered(len(done))
