"""Technician commands in the controller's database: stored, read, moved by the machine.

The state machine (:mod:`controller.remote.command_states`) decides; this repository
reads the facts it needs and writes the steps it returns, each in one transaction that
holds the rows it read (no lost updates between the sweeper and the response worker).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sync.commands import Command, CommandResponse
from sync.envelope import format_utc

from .command_states import (
    LATE,
    TERMINAL,
    CommandFacts,
    CommandState,
    Outcome,
    after_response,
    after_sweep,
)
from .models import CommandHistory, RemoteCommand

__all__ = ["CommandStore", "CommandNotFound", "UnsentCommand", "command_dict",
           "lock_for_update"]

_OPEN = (CommandState.QUEUED, CommandState.SENT, CommandState.DELIVERED)


class CommandNotFound(LookupError):
    """No command with that id."""


@dataclass(frozen=True, slots=True)
class UnsentCommand:
    """A stored command the broker never acknowledged, to publish again as signed."""

    id: str
    kiosk_id: str
    payload: str
    expires_at: datetime


def command_dict(row: RemoteCommand, history: list[CommandHistory] | None = None
                 ) -> dict[str, Any]:
    """Return a command row as JSON-ready data (with its history when given)."""
    data = {"id": row.id, "kiosk": row.kiosk_id, "name": row.name, "args": json.loads(row.args),
            "state": row.state, "operator": row.operator, "rollout": row.rollout_id,
            "created_at": format_utc(row.created_at), "expires_at": format_utc(row.expires_at),
            "sent_at": _wire(row.sent_at), "delivered_at": _wire(row.delivered_at),
            "finished_at": _wire(row.finished_at),
            "result": json.loads(row.result) if row.result else None, "error": row.error}
    if history is not None:
        data["history"] = [{"ts": format_utc(h.ts), "state": h.state, "detail": h.detail}
                           for h in history]
    return data


def _wire(moment: datetime | None) -> str | None:
    return format_utc(moment) if moment is not None else None


def lock_for_update(session: Session) -> None:
    """Make the transaction's reads the rows it will write (no lost updates).

    The sweeper and the response worker both move commands between states. On SQLite
    the Python driver starts a transaction only at the first write, so a state read
    earlier could be stale by then and a finished command was seen put back to SENT.
    BEGIN IMMEDIATE takes the write lock before reading; PostgreSQL gets the same from
    the callers' SELECT ... FOR UPDATE.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _facts(row: RemoteCommand) -> CommandFacts:
    return CommandFacts(row.state, row.expires_at, row.result_timeout_s, row.delivered_at)


def _record(session: Session, row: RemoteCommand, outcome: Outcome, ts: datetime) -> None:
    """Write ``outcome``'s steps into ``row`` and its history."""
    for step in outcome.steps:
        session.add(CommandHistory(command_id=row.id, ts=ts, state=step.state,
                                   detail=step.detail[:2000]))
        if step.state == LATE:
            continue  # a late answer changes nothing
        row.state = step.state
        if step.state == CommandState.SENT:
            row.sent_at = ts
        elif step.state == CommandState.DELIVERED:
            row.delivered_at = ts
        elif step.state in TERMINAL:
            row.finished_at, row.error = ts, outcome.error
            if outcome.result is not None:
                row.result = json.dumps(outcome.result, ensure_ascii=False)


class CommandStore:
    """Reads and writes commands and their history."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, command: Command, payload: str, *, operator: str, result_timeout_s: float,
            rollout_id: int | None) -> None:
        """Store a new command QUEUED with its signed payload."""
        row = RemoteCommand(
            id=command.id, kiosk_id=command.kiosk, name=command.name,
            args=json.dumps(command.args, ensure_ascii=False), state=CommandState.QUEUED,
            operator=operator, rollout_id=rollout_id, payload=payload,
            created_at=command.issued_at, expires_at=command.expires_at,
            result_timeout_s=result_timeout_s)
        with Session(self._engine) as session, session.begin():
            session.add(row)
            session.flush()  # the history row refers to it
            session.add(CommandHistory(command_id=row.id, ts=row.created_at,
                                       state=CommandState.QUEUED, detail=f"by {operator}"))

    def get(self, command_id: str) -> dict[str, Any]:
        """Return one command with its history, or raise CommandNotFound."""
        with Session(self._engine) as session:
            row = session.get(RemoteCommand, command_id)
            if row is None:
                raise CommandNotFound(f"no command {command_id}; list them with "
                                      "`stationctl cmd-list`")
            history = list(session.scalars(select(CommandHistory).where(
                CommandHistory.command_id == command_id).order_by(CommandHistory.id)))
            return command_dict(row, history)

    def find(self, *, kiosk: str | None = None, state: str | None = None,
             rollout: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Return the newest commands first, optionally filtered."""
        query = select(RemoteCommand)
        if kiosk:
            query = query.where(RemoteCommand.kiosk_id == kiosk)
        if state:
            query = query.where(RemoteCommand.state == state.upper())
        if rollout is not None:
            query = query.where(RemoteCommand.rollout_id == rollout)
        with Session(self._engine) as session:
            rows = session.scalars(query.order_by(RemoteCommand.created_at.desc(),
                                                  RemoteCommand.id.desc()).limit(limit))
            return [command_dict(r) for r in rows]

    def apply_response(self, kiosk_id: str, response: CommandResponse, now: datetime
                       ) -> bool | None:
        """Apply a kiosk's response; return True if it ended the command, None if the
        command is unknown or not that kiosk's."""
        with Session(self._engine) as session, session.begin():
            lock_for_update(session)
            row = session.get(RemoteCommand, response.command_id, with_for_update=True)
            if row is None or row.kiosk_id != kiosk_id:
                return None
            outcome = after_response(_facts(row), response)
            _record(session, row, outcome, now)
            return outcome.final

    def sweep(self, now: datetime, acked: Iterable[str], in_flight: Callable[[str], bool]
              ) -> tuple[list[str], list[UnsentCommand]]:
        """Move every open command as the machine says at ``now``.

        Returns the ids made final and the commands still unsent that are not
        ``in_flight`` (e.g. queued before a restart), to publish again.
        """
        acked = set(acked)
        finals: list[str] = []
        resend: list[UnsentCommand] = []
        with Session(self._engine) as session, session.begin():
            lock_for_update(session)
            rows = session.scalars(select(RemoteCommand).with_for_update().where(
                RemoteCommand.state.in_(_OPEN)))
            for row in rows:
                outcome = after_sweep(_facts(row), now, row.id in acked)
                _record(session, row, outcome, now)
                if outcome.final:
                    finals.append(row.id)
                elif outcome.resend and not in_flight(row.id):
                    resend.append(UnsentCommand(row.id, row.kiosk_id, row.payload,
                                                row.expires_at))
        return finals, resend
