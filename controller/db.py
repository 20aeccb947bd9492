"""The controller's schema (SQLAlchemy 2 ORM) and its migration to the newest revision."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "Int64",
    "UtcDateTime",
    "NaiveDatetimeError",
    "Station",
    "Kiosk",
    "Event",
    "QuarantinedMessage",
    "SequenceGap",
    "PublishedDocument",
    "migrate",
]

_MIGRATIONS = "controller:migrations"  # Alembic reads it through importlib.resources


# Signed 64-bit: BIGINT on PostgreSQL; on SQLite every INTEGER already is, and a rowid
# alias (an autoincrementing key) must be spelled INTEGER.
Int64 = BigInteger().with_variant(Integer, "sqlite")


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given for a UTC column."""


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time: stored as UTC, returned as an aware UTC datetime.

    PostgreSQL keeps a ``timestamptz``; SQLite keeps the UTC wall time as text (its
    DATETIME form, which sorts in time order). Either way a caller gets back what it
    stored, in UTC. A naive datetime is refused: its zone would be a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(
                f"{value!r} has no time zone; pass an aware datetime, e.g. datetime.now(UTC)")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: datetime | None, dialect: Dialect
                             ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: the stored text is UTC wall time
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every controller table."""


class Station(Base):
    """A community station, loaded from configuration."""

    __tablename__ = "stations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")


class Kiosk(Base):
    """A kiosk as the fleet registry knows it; created when it first speaks."""

    __tablename__ = "kiosks"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str | None] = mapped_column(String(64), default=None)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[str] = mapped_column(String(32))
    last_seen: Mapped[str] = mapped_column(String(32))
    presence_changed: Mapped[str | None] = mapped_column(String(32), default=None)
    software: Mapped[str | None] = mapped_column(String(64), default=None)
    devices: Mapped[str] = mapped_column(Text, default="[]")
    documents: Mapped[str] = mapped_column(Text, default="{}")
    telemetry: Mapped[str | None] = mapped_column(Text, default=None)
    max_seq: Mapped[int] = mapped_column(Int64, default=0)
    events_total: Mapped[int] = mapped_column(Int64, default=0)


class Event(Base):
    """An event from a kiosk's outbox, stored exactly once (unique event id)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_kiosk_seq", "kiosk_id", "seq"),
                      Index("ix_events_type", "type"))
    pk: Mapped[int] = mapped_column(Int64, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Int64)
    type: Mapped[str] = mapped_column(String(64))
    ts: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)


class QuarantinedMessage(Base):
    """A refused message: the reason, where it came from, a masked excerpt, how often.

    Identical refusals (same kiosk and reason) within one reporting interval share a row
    whose ``repeats`` counts them, so a flood cannot grow the table by its own size.
    """

    __tablename__ = "quarantine"
    __table_args__ = (Index("ix_quarantine_received", "received_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    received_at: Mapped[str] = mapped_column(String(32))
    topic: Mapped[str] = mapped_column(String(300))
    kiosk_id: Mapped[str | None] = mapped_column(String(64), default=None)
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Int64)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    repeats: Mapped[int] = mapped_column(Int64, default=1)
    last_at: Mapped[str | None] = mapped_column(String(32), default=None)


class SequenceGap(Base):
    """A run of sequence numbers missing from one kiosk; closed when they arrive."""

    __tablename__ = "sequence_gaps"
    __table_args__ = (Index("ix_gaps_kiosk_open", "kiosk_id", "closed_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), ForeignKey("kiosks.id"))
    first_missing: Mapped[int] = mapped_column(Int64)
    last_missing: Mapped[int] = mapped_column(Int64)
    detected_at: Mapped[str] = mapped_column(String(32))
    closed_at: Mapped[str | None] = mapped_column(String(32), default=None)


class PublishedDocument(Base):
    """Every version of every retained document the controller has published."""

    __tablename__ = "documents"
    __table_args__ = (Index("ux_documents_version", "kind", "scope", "version", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(100), default="controller")
    body: Mapped[str] = mapped_column(Text)


def migrate(engine: Engine) -> None:
    """Bring the database behind ``engine`` to the newest schema revision (Alembic)."""
    config = Config()
    config.set_main_option("script_location", _MIGRATIONS)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")  # features may add migration branches
