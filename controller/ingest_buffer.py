"""The bounded hand-over between paho's network thread and the ingest writer.

Back-pressure instead of growth: when the writer is behind, ``put`` blocks paho's thread,
so the controller stops reading from the socket and the broker keeps the QoS 1 messages
for our persistent session (MQTT 5 flow control already caps them at the receive
maximum). Telemetry is QoS 0 and replaceable: beyond one report per kiosk per interval,
or when the buffer is full, it is dropped and counted, never queued without bound.
A payload larger than its channel may carry is cut to a short head at once, so a flood
of oversized messages costs the controller a few hundred bytes each, not their size.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sync.limits import payload_limit
from sync.mqtt import ReceivedMessage
from sync.topics import KioskChannel, TopicError, parse_kiosk_topic

__all__ = ["IngestBuffer", "Incoming", "KioskTraffic", "OVERSIZED_HEAD_BYTES"]

OVERSIZED_HEAD_BYTES = 512  # what is kept of a payload over its channel's limit
_MAX_TRACKED_KIOSKS = 50_000


@dataclass(frozen=True, slots=True)
class Incoming:
    """A received message as queued: ``size`` is the payload's size on the wire."""

    message: ReceivedMessage
    size: int
    kiosk: str | None
    channel: KioskChannel | None
    received: float  # time.monotonic() at arrival

    @property
    def oversized(self) -> bool:
        """True when the payload was over its channel's limit (and has been cut)."""
        return self.channel is not None and self.size > payload_limit(self.channel)


@dataclass(slots=True)
class KioskTraffic:
    """What one kiosk (as its topic names it) has sent since the controller started."""

    messages: int = 0
    bytes: int = 0
    telemetry_dropped: int = 0
    last_telemetry: float = float("-inf")
    last_seen: float = 0.0
    window_start: float = 0.0
    window_messages: int = 0
    rate: float = 0.0  # messages a second over the last complete window


class IngestBuffer:
    """A FIFO bounded by message count and bytes, with per-kiosk traffic accounting."""

    def __init__(self, *, max_messages: int = 20_000, max_bytes: int = 64 * 1024 * 1024,
                 telemetry_min_interval_s: float = 1.0, rate_window_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._items: deque[Incoming] = deque()
        self._bytes = 0
        self._max_messages = max_messages
        self._max_bytes = max_bytes
        self._telemetry_interval = telemetry_min_interval_s
        self._window = rate_window_s
        self._clock = clock
        self._cond = threading.Condition()
        self._closed = False
        self.traffic: dict[str, KioskTraffic] = {}
        self.telemetry_dropped = 0
        self.refused_while_closed = 0
        self.blocked_s = 0.0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def queued_bytes(self) -> int:
        """Bytes of payload waiting for the writer."""
        return self._bytes

    def put(self, message: ReceivedMessage) -> bool:
        """Queue ``message``; block while full. False if it was dropped (never acked)."""
        with self._cond:  # one lock round per message: this runs for every message
            item = self._admit(message)
            if item is None:
                return False
            if self._full():
                if item.channel is KioskChannel.TELEMETRY:  # replaceable: drop, don't wait
                    self._count_dropped_telemetry(item.kiosk)
                    return False
                started = self._clock()
                while self._full() and not self._closed:
                    self._cond.wait(0.5)
                self.blocked_s += self._clock() - started
            if self._closed:  # stopping: leave it unacked, the broker delivers it again
                self.refused_while_closed += 1
                return False
            self._items.append(item)
            self._bytes += len(item.message.payload)
            self._cond.notify_all()
        return True

    def take(self, most: int, wait_s: float, first_wait_s: float = 0.2) -> list[Incoming]:
        """Return up to ``most`` items: waits ``first_wait_s`` for one, then ``wait_s`` more."""
        taken: list[Incoming] = []
        with self._cond:
            if not self._items:
                self._cond.wait(first_wait_s)
            deadline = self._clock() + wait_s
            while len(taken) < most:
                if self._items:
                    item = self._items.popleft()
                    self._bytes -= len(item.message.payload)
                    taken.append(item)
                    continue
                remaining = deadline - self._clock()
                if not taken or remaining <= 0 or self._closed:
                    break
                self._cond.wait(remaining)
            if taken:
                self._cond.notify_all()  # room for a blocked put
        return taken

    def close(self) -> None:
        """Refuse new messages from now on (they stay with the broker); wake waiters."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def top_talkers(self, count: int = 5) -> list[dict[str, float | int | str]]:
        """Return the kiosks sending the most messages a second, busiest first."""
        with self._cond:
            ranked = sorted(self.traffic.items(), key=lambda kv: kv[1].rate, reverse=True)
        return [{"kiosk": kiosk, "rate": round(t.rate, 1), "messages": t.messages,
                 "bytes": t.bytes, "telemetry_dropped": t.telemetry_dropped}
                for kiosk, t in ranked[:count]]

    # -- internals ------------------------------------------------------------------------
    def _full(self) -> bool:
        return len(self._items) >= self._max_messages or self._bytes >= self._max_bytes

    def _admit(self, message: ReceivedMessage) -> Incoming | None:
        """Return the queued form of ``message``, or None for throttled telemetry (locked)."""
        now = self._clock()
        size = len(message.payload)
        try:
            where = parse_kiosk_topic(message.topic)
        except TopicError:
            return Incoming(_cut(message), size, None, None, now)
        kiosk, channel = where.kiosk_id, where.channel
        traffic = self._account(kiosk, size, now)
        if channel is KioskChannel.TELEMETRY:
            if now - traffic.last_telemetry < self._telemetry_interval:
                traffic.telemetry_dropped += 1
                self.telemetry_dropped += 1
                return None
            traffic.last_telemetry = now
        if size > payload_limit(channel):
            message = _cut(message)
        return Incoming(message, size, kiosk, channel, now)

    def _account(self, kiosk: str, size: int, now: float) -> KioskTraffic:
        traffic = self.traffic.get(kiosk)
        if traffic is None:
            if len(self.traffic) >= _MAX_TRACKED_KIOSKS:
                self._forget_quiet(now)
            traffic = self.traffic[kiosk] = KioskTraffic(window_start=now)
        traffic.messages += 1
        traffic.bytes += size
        traffic.last_seen = now
        if now - traffic.window_start >= self._window:
            traffic.rate = traffic.window_messages / (now - traffic.window_start)
            traffic.window_start, traffic.window_messages = now, 0
        traffic.window_messages += 1
        return traffic

    def _forget_quiet(self, now: float) -> None:
        quiet = [k for k, t in self.traffic.items() if now - t.last_seen > self._window]
        for kiosk in quiet or list(self.traffic)[: len(self.traffic) // 2]:
            del self.traffic[kiosk]

    def _count_dropped_telemetry(self, kiosk: str | None) -> None:
        self.telemetry_dropped += 1
        if kiosk is not None and kiosk in self.traffic:
            self.traffic[kiosk].telemetry_dropped += 1


def _cut(message: ReceivedMessage) -> ReceivedMessage:
    if len(message.payload) <= OVERSIZED_HEAD_BYTES:
        return message
    return message._replace(payload=message.payload[:OVERSIZED_HEAD_BYTES])
