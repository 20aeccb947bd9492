"""The quarantine: refused messages kept as evidence, bounded however many arrive.

A row holds the reason, the kiosk the topic names, the topic, the size and a short masked
excerpt, never the payload itself. Refusals with the same kiosk and reason within one
interval share a row and are counted (``repeats``); past ``max_rows_per_interval`` new
rows in an interval, further kiosks are counted under one row without a kiosk. The log
gets one line per kiosk and reason per interval, with the count. Retention by age and by
count keeps the table bounded over time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sync.envelope import RejectReason, format_utc
from sync.logs import masked_excerpt
from sync.mqtt import ReceivedMessage
from sync.settings import ControllerConfig

from .db import QuarantinedMessage

__all__ = ["Rejected", "QuarantinePolicy", "quarantine_policy", "store_rejections",
           "RejectionLog", "prune_quarantine"]

log = logging.getLogger(__name__)

EXCERPT_CHARS = 160
_MANY_KIOSKS = "(several kiosks: counted together past the per-interval row limit)"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A message refused by validation or storage, with the reason it is quarantined under."""

    message: ReceivedMessage
    kiosk_id: str | None
    reason: RejectReason
    detail: str
    size: int = -1  # bytes on the wire; -1: the payload's own length

    @property
    def wire_size(self) -> int:
        """Bytes the message had when it arrived."""
        return self.size if self.size >= 0 else len(self.message.payload)


@dataclass(frozen=True, slots=True)
class QuarantinePolicy:
    """How refusals are grouped and how long they are kept."""

    interval_s: float = 60.0
    max_rows_per_interval: int = 200
    keep_days: float = 30.0
    keep_rows: int = 100_000


def quarantine_policy(config: ControllerConfig) -> QuarantinePolicy:
    """Return the quarantine policy the controller's configuration sets."""
    return QuarantinePolicy(config.quarantine_interval_s, config.quarantine_rows_per_interval,
                            config.quarantine_keep_days, config.quarantine_keep_rows)


def _grouped(rejected: Iterable[Rejected]) -> dict[tuple[str | None, str], list[Rejected]]:
    groups: dict[tuple[str | None, str], list[Rejected]] = {}
    for item in rejected:
        groups.setdefault((item.kiosk_id, item.reason.value), []).append(item)
    return groups


def store_rejections(session: Session, rejected: list[Rejected], now: datetime,
                     policy: QuarantinePolicy) -> None:
    """Record ``rejected`` in the caller's transaction, counting repeats on existing rows."""
    if not rejected:
        return
    stamp = format_utc(now)
    since = format_utc(now - timedelta(seconds=policy.interval_s))
    # The interval's rows are few by construction (the row budget), so read them once.
    recent = {(kiosk, reason): row_id for row_id, kiosk, reason in session.execute(
        select(QuarantinedMessage.id, QuarantinedMessage.kiosk_id, QuarantinedMessage.reason)
        .where(QuarantinedMessage.received_at >= since).order_by(QuarantinedMessage.id))}
    budget = policy.max_rows_per_interval - len(recent)
    repeats: dict[int, int] = {}
    for (kiosk_id, reason), items in _grouped(rejected).items():
        if (kiosk_id, reason) not in recent and budget <= 0 and kiosk_id is not None:
            kiosk_id = None  # past the row budget: counted with the others
        row_id = recent.get((kiosk_id, reason))
        if row_id is not None:
            repeats[row_id] = repeats.get(row_id, 0) + len(items)
            continue
        row = _new_row(items[0], kiosk_id, reason, len(items), stamp)
        session.add(row)
        session.flush()
        recent[(kiosk_id, reason)] = row.id
        budget -= 1
    for row_id, count in repeats.items():
        session.execute(update(QuarantinedMessage).where(QuarantinedMessage.id == row_id)
                        .values(repeats=QuarantinedMessage.repeats + count, last_at=stamp))


def _new_row(first: Rejected, kiosk_id: str | None, reason: str, count: int,
             stamp: str) -> QuarantinedMessage:
    detail = first.detail if first.kiosk_id == kiosk_id else f"{first.detail} {_MANY_KIOSKS}"
    return QuarantinedMessage(
        received_at=stamp, topic=first.message.topic[:300], kiosk_id=kiosk_id, reason=reason,
        detail=detail[:2000], size=first.wire_size,
        excerpt=masked_excerpt(first.message.payload, EXCERPT_CHARS),
        repeats=count, last_at=stamp if count > 1 else None)


def prune_quarantine(session: Session, now: datetime, policy: QuarantinePolicy) -> int:
    """Delete rows older than ``keep_days`` and beyond the newest ``keep_rows``."""
    cutoff = format_utc(now - timedelta(days=policy.keep_days))
    removed = session.execute(delete(QuarantinedMessage)
                              .where(QuarantinedMessage.received_at < cutoff)).rowcount or 0
    newest = session.scalar(select(func.max(QuarantinedMessage.id)))
    if newest is not None:
        removed += session.execute(delete(QuarantinedMessage).where(
            QuarantinedMessage.id <= newest - policy.keep_rows)).rowcount or 0
    return int(removed)


class RejectionLog:
    """One log line per kiosk and reason per interval, then the count of the rest."""

    def __init__(self, interval_s: float = 60.0, max_keys: int = 1000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval_s
        self._max_keys = max_keys
        self._clock = clock
        self._started = clock()
        self._seen: dict[tuple[str | None, str], int] = {}

    def record(self, rejected: list[Rejected]) -> None:
        """Log what is new in this interval; count the rest for the interval's summary."""
        self.flush()
        for (kiosk_id, reason), items in _grouped(rejected).items():
            key = (kiosk_id, reason) if len(self._seen) < self._max_keys else (None, reason)
            if key not in self._seen:
                first = items[0]
                log.warning("quarantined a message from %s on %s: %s: %s", kiosk_id or "?",
                            first.message.topic[:120], reason, first.detail[:200])
                self._seen[key] = len(items) - 1
            else:
                self._seen[key] += len(items)

    def flush(self, force: bool = False) -> None:
        """At the end of an interval, log each key's suppressed count and start anew."""
        now = self._clock()
        if not force and now - self._started < self._interval:
            return
        for (kiosk_id, reason), count in self._seen.items():
            if count:
                log.warning("quarantined %d more message(s) from %s for %s in the last %.0f s",
                            count, kiosk_id or "unnamed or several kiosks", reason,
                            now - self._started)
        self._seen.clear()
        self._started = now
