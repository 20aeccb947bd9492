"""The kiosk's durable outbox: events committed with the business record they describe.

A caller adds its business rows and calls :meth:`Outbox.append` in the same SQLAlchemy
session, then commits once: either both are on disk or neither is. The
:class:`~sync.publisher.OutboxPublisher` then delivers pending events in sequence order and
marks them delivered when the broker acknowledges them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Index,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from .envelope import Envelope, format_utc, parse_utc, utc_now
from .ids import uuid7
from .topics import validate_id

__all__ = ["OutboxBase", "OutboxEvent", "Outbox", "OutboxDepth"]


class OutboxBase(DeclarativeBase):
    """Declarative base of the outbox table; create it beside the kiosk's own tables."""


class OutboxEvent(OutboxBase):
    """One event waiting for, or past, delivery. ``seq`` is the kiosk's sequence number."""

    __tablename__ = "outbox"
    # AUTOINCREMENT: a sequence number is never reused, even after rows are pruned.
    __table_args__ = (
        Index("ix_outbox_pending", "seq", sqlite_where=text("delivered_at IS NULL"),
              postgresql_where=text("delivered_at IS NULL")),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_ts: Mapped[str] = mapped_column(String(32))
    delivered_ts: Mapped[str | None] = mapped_column("delivered_at", String(32), default=None)


# Built once: constructing statements costs more CPU than running them on a busy kiosk.
_OUTBOX = cast(Table, OutboxEvent.__table__)
_APPEND = insert(_OUTBOX).returning(_OUTBOX.c.seq)
_PENDING = (
    select(OutboxEvent.seq, OutboxEvent.type, OutboxEvent.body, OutboxEvent.event_id,
           OutboxEvent.created_ts)
    .where(OutboxEvent.delivered_ts.is_(None), OutboxEvent.seq > bindparam("after"))
    .order_by(OutboxEvent.seq).limit(bindparam("limit"))
)


@dataclass(frozen=True, slots=True)
class OutboxDepth:
    """How much is waiting: count and the age of the oldest pending event."""

    pending: int
    oldest_age_s: float | None


class Outbox:
    """The outbox of one kiosk: append inside business transactions, read and mark."""

    def __init__(self, kiosk_id: str) -> None:
        self.kiosk_id = validate_id(kiosk_id, "kiosk id")

    def append(self, session: Session, event_type: str, body: dict[str, Any]) -> Envelope:
        """Add an event to ``session``'s transaction and return its envelope.

        The caller commits: the event exists exactly when the business record does.
        """
        now = utc_now()
        event_id = uuid7()
        # A Core insert inside the caller's transaction: the ORM unit of work would cost
        # more CPU than the commit itself on a busy kiosk.
        seq = session.execute(_APPEND, {
            "event_id": event_id, "type": event_type,
            "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
            "created_ts": format_utc(now),
        }).scalar_one()
        return Envelope(kiosk=self.kiosk_id, seq=seq, type=event_type, body=body,
                        id=event_id, ts=now)

    def pending(self, session: Session, *, after_seq: int = 0, limit: int = 500) -> list[Envelope]:
        """Return up to ``limit`` undelivered events with seq > ``after_seq``, in order."""
        rows = session.execute(_PENDING, {"after": after_seq, "limit": limit}).all()
        return [Envelope(kiosk=self.kiosk_id, seq=seq, type=kind, body=json.loads(body),
                         id=event_id, ts=parse_utc(created))
                for seq, kind, body, event_id, created in rows]

    def mark_delivered(self, session: Session, seqs: Iterable[int]) -> int:
        """Mark events delivered; returns how many were newly marked."""
        chosen: Sequence[int] = sorted(set(seqs))
        if not chosen:
            return 0
        stamp = format_utc(utc_now())
        marked = 0
        for start in range(0, len(chosen), 500):  # stay under SQLite's variable limit
            result = session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.seq.in_(chosen[start:start + 500]),
                       OutboxEvent.delivered_ts.is_(None))
                .values(delivered_ts=stamp)
            )
            marked += int(getattr(result, "rowcount", 0) or 0)
        return marked

    def depth(self, session: Session, now: datetime | None = None) -> OutboxDepth:
        """Return the number of pending events and the oldest one's age in seconds."""
        count, oldest = session.execute(
            select(func.count(), func.min(OutboxEvent.created_ts))
            .where(OutboxEvent.delivered_ts.is_(None))
        ).one()
        if not count:
            return OutboxDepth(0, None)
        age = ((now or utc_now()) - parse_utc(oldest)).total_seconds()
        return OutboxDepth(int(count), max(0.0, age))

    def prune(self, session: Session, keep: timedelta = timedelta(days=7),
              now: datetime | None = None) -> int:
        """Delete events delivered longer than ``keep`` ago; returns how many went.

        Undelivered events are never pruned, however old.
        """
        cutoff = format_utc((now or utc_now()) - keep)
        result = session.execute(
            delete(OutboxEvent).where(OutboxEvent.delivered_ts.is_not(None),
                                      OutboxEvent.delivered_ts < cutoff)
        )
        return int(getattr(result, "rowcount", 0) or 0)
