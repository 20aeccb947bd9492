"""The kiosk's local store: business records and their outbox events, one commit each."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, String, Text, func, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from sync.envelope import Envelope, format_utc, utc_now
from sync.events import ApplicationSubmitted, EventBody
from sync.outbox import Outbox, OutboxBase, OutboxDepth
from sync.storage import make_engine, sqlite_url

__all__ = ["KioskStore", "Application", "SubmittedApplication"]


class KioskBase(DeclarativeBase):
    """Declarative base of the kiosk's own tables."""


class Application(KioskBase):
    """An application a citizen submitted at this kiosk (personal data only as needed)."""

    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracking_no: Mapped[str] = mapped_column(String(40), unique=True)
    service_id: Mapped[str] = mapped_column(String(64))
    station_day: Mapped[str] = mapped_column(String(8))
    created_ts: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    details: Mapped[str] = mapped_column(Text, default="{}")


_LAST_ID = select(func.max(Application.id))
_INSERT_APPLICATION = insert(Application.__table__)


@dataclass(frozen=True, slots=True)
class SubmittedApplication:
    """What a submission produced: the tracking number and the event that reports it."""

    tracking_no: str
    event: Envelope


class KioskStore:
    """A SQLite file holding this kiosk's applications and its outbox."""

    def __init__(self, path: Path, kiosk_id: str, on_commit: Callable[[], None] | None = None):
        self.path = path
        self.kiosk_id = kiosk_id
        self.engine = make_engine(sqlite_url(path))
        OutboxBase.metadata.create_all(self.engine)
        KioskBase.metadata.create_all(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.outbox = Outbox(kiosk_id)
        self._on_commit = on_commit

    def _committed(self) -> None:
        if self._on_commit:
            self._on_commit()

    def submit_application(self, build: Callable[[str], ApplicationSubmitted],
                           details: dict[str, Any] | None = None,
                           now: datetime | None = None) -> SubmittedApplication:
        """Store an application and its ``application.submitted`` event in one commit.

        ``build(tracking_no)`` returns the event's body once the tracking number is known.
        """
        moment = now or utc_now()
        day = moment.strftime("%Y%m%d")
        with self.sessions() as session, session.begin():
            # The row id makes the tracking number unique for this kiosk; the row is
            # written once, with it, inside the same transaction as the event.
            next_id = (session.scalar(_LAST_ID) or 0) + 1
            tracking_no = f"T{day[2:]}-{self.kiosk_id.upper()}-{next_id:06d}"
            body = build(tracking_no)
            session.execute(_INSERT_APPLICATION, {
                "id": next_id, "tracking_no": tracking_no, "service_id": body.service,
                "station_day": day, "created_ts": format_utc(moment), "status": "submitted",
                "details": json.dumps(details or {}, ensure_ascii=False)})
            event = self.outbox.append(session, body.event_type.value, body.wire())
        self._committed()
        return SubmittedApplication(tracking_no, event)

    def record(self, body: EventBody) -> Envelope:
        """Commit an event that has no business record of its own (visit ended, alarm)."""
        with self.sessions() as session, session.begin():
            event = self.outbox.append(session, body.event_type.value, body.wire())
        self._committed()
        return event

    def prune_delivered(self, keep: timedelta, now: datetime | None = None) -> int:
        """Delete outbox events delivered longer than ``keep`` ago; returns how many."""
        with self.sessions() as session, session.begin():
            return self.outbox.prune(session, keep, now)

    def depth(self) -> OutboxDepth:
        """Return how many events wait for delivery and the oldest one's age."""
        with self.sessions() as session:
            return self.outbox.depth(session)

    def close(self) -> None:
        """Release the database."""
        self.engine.dispose()
