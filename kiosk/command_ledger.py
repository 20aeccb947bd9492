"""What the kiosk remembers of commands, in its own database: each accepted command (so
none runs twice, even after a crash) and the executor's small settings (lock, log level).

The repository of :class:`~kiosk.commands.CommandExecutor`: no MQTT, no threads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import Boolean, Engine, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from sync.commands import Command, CommandRefused, RefusalReason
from sync.envelope import format_utc, utc_now

from .command_base import LockState

__all__ = ["CommandLedger", "ReceivedCommand", "ExecutorSetting"]

_LOCK = "lock_state"


class _Base(DeclarativeBase):
    """Tables of the command executor, beside the kiosk's own in its database."""


class ReceivedCommand(_Base):
    """A command this kiosk accepted: never run again, whatever arrives later."""

    __tablename__ = "received_commands"
    command_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32), default=None)
    ok: Mapped[bool | None] = mapped_column(Boolean, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class ExecutorSetting(_Base):
    """Small persisted state of the executor (lock state, log level)."""

    __tablename__ = "executor_settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CommandLedger:
    """Reads and writes the executor's tables in the kiosk database."""

    def __init__(self, engine: Engine,
                 sessions: Callable[[], AbstractContextManager[Session]]) -> None:
        _Base.metadata.create_all(engine)
        self._sessions = sessions

    def seen_nonce(self, nonce: str) -> bool:
        """Return True if a command with ``nonce`` was ever accepted."""
        with self._sessions() as session:
            return session.scalar(select(ReceivedCommand.command_id)
                                  .where(ReceivedCommand.nonce == nonce)) is not None

    def remember(self, command: Command) -> None:
        """Commit that ``command`` was accepted; raise CommandRefused if it already was."""
        try:
            with self._sessions() as session, session.begin():
                session.add(ReceivedCommand(command_id=command.id, nonce=command.nonce,
                                            name=command.name,
                                            received_at=format_utc(utc_now())))
        except IntegrityError:  # the same id with another nonce: a replay all the same
            raise CommandRefused(RefusalReason.REPLAYED, "this command was already received",
                                 command.id, command.name) from None

    def finish(self, command_id: str, ok: bool, error: str | None) -> None:
        """Record how an accepted command ended."""
        with self._sessions() as session, session.begin():
            row = session.get(ReceivedCommand, command_id)
            if row is not None:
                row.finished_at, row.ok, row.error = format_utc(utc_now()), ok, error

    def was_received(self, command_id: str) -> bool:
        """Return True if this kiosk ever accepted command ``command_id``."""
        with self._sessions() as session:
            return session.get(ReceivedCommand, command_id) is not None

    def setting(self, key: str) -> str | None:
        """Return a persisted executor setting."""
        with self._sessions() as session:
            row = session.get(ExecutorSetting, key)
            return row.value if row else None

    def set_setting(self, key: str, value: str) -> None:
        """Persist an executor setting."""
        with self._sessions() as session, session.begin():
            session.merge(ExecutorSetting(key=key, value=value))

    def lock_state(self) -> LockState:
        """Return the kept lock state (unlocked when none was ever kept)."""
        raw = self.setting(_LOCK)
        return LockState(**json.loads(raw)) if raw else LockState()

    def keep_lock_state(self, state: LockState) -> None:
        """Keep ``state`` across restarts."""
        self.set_setting(_LOCK, json.dumps(
            {"locked": state.locked, "message": state.message, "since": state.since},
            ensure_ascii=False))
