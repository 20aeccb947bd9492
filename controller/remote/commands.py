"""Technician commands from the controller's side: sign, send, track, time out, expire.

A command is stored QUEUED with its signed payload, published as an MQTT 5 request
(response topic = the kiosk's ``up/response``, correlation = command id, message expiry =
what is left of its validity) and becomes SENT when the broker has it. The kiosk's
``delivered`` response makes it DELIVERED, its result SUCCEEDED or FAILED. A sweeper makes
a DELIVERED command without result TIMED_OUT and an undelivered one EXPIRED (the broker
drops it from an offline kiosk's queue at the same moment). Final states never change;
late or duplicate responses are kept in the command's history.
"""

from __future__ import annotations

import json
import logging
import math
import queue
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sync.commands import (
    COMMAND_NAMES,
    LOG_LEVELS,
    Command,
    CommandResponse,
    RefusalReason,
    ResponseError,
    decode_response,
    sign_command,
)
from sync.envelope import format_utc, parse_utc, utc_now
from sync.ids import uuid7
from sync.mqtt import MqttLink, PublishHandle, ReceivedMessage
from sync.settings import CommandsConfig
from sync.topics import KioskChannel, TopicError, kiosk_topic, parse_kiosk_topic, validate_id

from .models import CommandHistory, RemoteCommand

__all__ = ["CommandState", "CommandTracker", "InvalidCommand", "CommandNotFound",
           "TERMINAL", "validate_args"]

log = logging.getLogger(__name__)

EXPIRY_GRACE_S = 2.0  # a kiosk's "delivered" may be on its way when the expiry passes


class CommandState(StrEnum):
    """Where a command is."""

    QUEUED = "QUEUED"
    SENT = "SENT"
    DELIVERED = "DELIVERED"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    EXPIRED = "EXPIRED"


TERMINAL = frozenset({CommandState.SUCCEEDED, CommandState.FAILED, CommandState.TIMED_OUT,
                      CommandState.EXPIRED})


class InvalidCommand(ValueError):
    """A command the controller will not send; the message says what to change."""


class CommandNotFound(LookupError):
    """No command with that id."""


def validate_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Return ``args`` checked for command ``name``, or raise InvalidCommand."""
    if name not in COMMAND_NAMES:
        raise InvalidCommand(f"unknown command {name!r}; use one of {', '.join(COMMAND_NAMES)}")
    allowed = {"lock": {"message"}, "set_log_level": {"level"}, "fetch_log": {"lines"}}
    extra = set(args) - allowed.get(name, set())
    if extra:
        raise InvalidCommand(f"{name} takes no argument(s) {', '.join(sorted(extra))}")
    if name == "lock" and not 1 <= len(str(args.get("message", "")).strip()) <= 200:
        raise InvalidCommand("lock needs --message: 1-200 characters shown to citizens")
    if name == "set_log_level" and str(args.get("level", "")).upper() not in LOG_LEVELS:
        raise InvalidCommand(f"log level must be one of {', '.join(LOG_LEVELS)}")
    if name == "fetch_log" and not 1 <= int(args.get("lines", 200)) <= 1000:
        raise InvalidCommand("fetch-log --lines must be 1-1000")
    return dict(args)


def command_dict(row: RemoteCommand, history: list[CommandHistory] | None = None
                 ) -> dict[str, Any]:
    """Return a command row as JSON-ready data (with its history when given)."""
    data = {"id": row.id, "kiosk": row.kiosk_id, "name": row.name, "args": json.loads(row.args),
            "state": row.state, "operator": row.operator, "rollout": row.rollout_id,
            "created_at": row.created_at, "expires_at": row.expires_at,
            "sent_at": row.sent_at, "delivered_at": row.delivered_at,
            "finished_at": row.finished_at,
            "result": json.loads(row.result) if row.result else None, "error": row.error}
    if history is not None:
        data["history"] = [{"ts": h.ts, "state": h.state, "detail": h.detail} for h in history]
    return data


class CommandTracker:
    """Issues signed commands and follows each to a final state."""

    def __init__(self, engine: Engine, link: MqttLink, key: Ed25519PrivateKey,
                 config: CommandsConfig, *, on_final: Callable[[str], None] | None = None
                 ) -> None:
        self._engine, self._link, self._key, self.config = engine, link, key, config
        self._handles: dict[str, PublishHandle] = {}
        self._lock = threading.Lock()
        self._responses: queue.Queue[ReceivedMessage | None] = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.on_final = on_final or (lambda _command_id: None)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Start the response worker and the sweeper."""
        for name, target in (("command-responses", self._work), ("command-sweeper", self._sweep)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop both threads (responses already received are stored first)."""
        self._stop.set()
        self._responses.put(None)
        for thread in self._threads:
            thread.join(5)

    # -- issuing --------------------------------------------------------------------------
    def issue(self, kiosk_id: str, name: str, args: dict[str, Any], *, operator: str,
              expiry_s: int | None = None, result_timeout_s: float | None = None,
              rollout_id: int | None = None) -> dict[str, Any]:
        """Store, sign and send a command; return it (QUEUED or SENT)."""
        try:
            validate_id(kiosk_id, "kiosk id")
        except TopicError as exc:
            raise InvalidCommand(str(exc)) from None
        args = validate_args(name, args)
        now = utc_now()
        expiry = expiry_s or self.config.expiry_s
        command = Command(uuid7(), kiosk_id, name, args, now, now + timedelta(seconds=expiry),
                          secrets.token_hex(16))
        payload = sign_command(self._key, command).decode()
        row = RemoteCommand(
            id=command.id, kiosk_id=kiosk_id, name=name, args=json.dumps(args, ensure_ascii=False),
            state=CommandState.QUEUED, operator=operator, rollout_id=rollout_id, payload=payload,
            created_at=format_utc(now), expires_at=format_utc(command.expires_at),
            result_timeout_s=result_timeout_s or self.config.result_timeout_s)
        with Session(self._engine) as session, session.begin():
            session.add(row)
            session.flush()  # the history row refers to it
            session.add(CommandHistory(command_id=row.id, ts=row.created_at,
                                       state=CommandState.QUEUED, detail=f"by {operator}"))
        self._publish(command.id, kiosk_id, payload, command.expires_at)
        return self.get(command.id)

    def _publish(self, command_id: str, kiosk_id: str, payload: str, expires_at: datetime) -> None:
        remaining = math.ceil((expires_at - utc_now()).total_seconds())
        if remaining <= 0:
            return
        handle = self._link.publish(
            kiosk_topic(kiosk_id, KioskChannel.COMMAND), payload.encode(), qos=1,
            expiry_s=remaining, response_topic=kiosk_topic(kiosk_id, KioskChannel.RESPONSE),
            correlation=command_id.encode())
        with self._lock:
            self._handles[command_id] = handle

    # -- reading --------------------------------------------------------------------------
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

    def wait(self, command_id: str, timeout_s: float) -> dict[str, Any]:
        """Return the command once final, or as it is after ``timeout_s``."""
        deadline = utc_now() + timedelta(seconds=timeout_s)
        while True:
            found = self.get(command_id)
            if found["state"] in TERMINAL or utc_now() >= deadline or self._stop.wait(0.1):
                return found

    # -- responses ------------------------------------------------------------------------
    def submit(self, message: ReceivedMessage) -> None:
        """Queue a kiosk's response for the worker (called on paho's network thread)."""
        self._responses.put(message)

    def _work(self) -> None:
        while (message := self._responses.get()) is not None:
            try:
                self.apply_response(message)
            except Exception:
                log.exception("storing a command response failed; it will be redelivered")
                continue
            self._link.ack(message)  # only after the commit

    def apply_response(self, message: ReceivedMessage) -> None:
        """Store one response from the kiosk whose topic it arrived on."""
        try:
            kiosk_id = parse_kiosk_topic(message.topic).kiosk_id
            response = decode_response(message.payload)
        except (TopicError, ResponseError) as exc:
            log.warning("ignored a command response on %s: %s", message.topic, exc)
            return
        final = False
        with Session(self._engine) as session, session.begin():
            lock_for_update(session)
            row = session.get(RemoteCommand, response.command_id, with_for_update=True)
            if row is None or row.kiosk_id != kiosk_id:
                log.warning("kiosk %s answered unknown command %s", kiosk_id,
                            response.command_id[:40])
                return
            final = _transition(session, row, response)
        if final:
            self.on_final(response.command_id)

    # -- sweeping -------------------------------------------------------------------------
    def _sweep(self) -> None:
        while not self._stop.wait(self.config.sweep_interval_s):
            try:
                for command_id in self.sweep(utc_now()):
                    self.on_final(command_id)
            except Exception:
                log.exception("command sweep failed; retrying")

    def sweep(self, now: datetime) -> list[str]:
        """Advance SENT, resend unsent, time out and expire; return ids made final."""
        with self._lock:
            acked = [i for i, h in self._handles.items() if h.is_acknowledged()]
            for command_id in acked:
                del self._handles[command_id]
            pending = set(self._handles)
        finals: list[str] = []
        resend: list[tuple[str, str, str, str]] = []
        with Session(self._engine) as session, session.begin():
            lock_for_update(session)
            open_rows = session.scalars(select(RemoteCommand).with_for_update().where(
                RemoteCommand.state.in_(
                [CommandState.QUEUED, CommandState.SENT, CommandState.DELIVERED])))
            for row in open_rows:
                outcome = _sweep_one(session, row, now, row.id in acked)
                if outcome == "final":
                    finals.append(row.id)
                elif outcome == "unsent" and row.id not in pending:
                    resend.append((row.id, row.kiosk_id, row.payload, row.expires_at))
        for command_id, kiosk_id, payload, expires_at in resend:  # e.g. queued before a restart
            self._publish(command_id, kiosk_id, payload, parse_utc(expires_at))
        return finals


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


def _history(session: Session, row: RemoteCommand, state: str, detail: str, ts: str) -> None:
    session.add(CommandHistory(command_id=row.id, ts=ts, state=state, detail=detail[:2000]))


def _set(session: Session, row: RemoteCommand, state: CommandState, ts: str,
         detail: str = "") -> None:
    row.state = state
    _history(session, row, state, detail, ts)


def _sweep_one(session: Session, row: RemoteCommand, now: datetime, acked: bool) -> str:
    ts = format_utc(now)
    if row.state == CommandState.QUEUED and acked:
        row.sent_at = ts
        _set(session, row, CommandState.SENT, ts, "the broker has it")
    if row.state in (CommandState.QUEUED, CommandState.SENT):
        if now > parse_utc(row.expires_at) + timedelta(seconds=EXPIRY_GRACE_S):
            row.finished_at = ts
            row.error = "not delivered before it expired (kiosk offline?)"
            _set(session, row, CommandState.EXPIRED, ts, row.error)
            return "final"
        return "unsent" if row.state == CommandState.QUEUED else ""
    delivered = parse_utc(row.delivered_at) if row.delivered_at else now
    if now > delivered + timedelta(seconds=row.result_timeout_s):
        row.finished_at = ts
        row.error = f"delivered, but no result within {row.result_timeout_s:g} s"
        _set(session, row, CommandState.TIMED_OUT, ts, row.error)
        return "final"
    return ""


def _transition(session: Session, row: RemoteCommand, response: CommandResponse) -> bool:
    """Apply ``response`` to ``row``; return True if the command became final."""
    ts = format_utc(utc_now())
    detail = response.phase if response.ok else f"{response.phase}: {response.error}"
    if row.state in TERMINAL or response.refused == RefusalReason.REPLAYED:
        # A duplicate or late answer: the kiosk did not run the command again.
        _history(session, row, "late", detail, ts)
        return False
    # Every state is recorded in order even when answers overtake the broker's PUBACK.
    if row.state == CommandState.QUEUED:
        row.sent_at = ts
        _set(session, row, CommandState.SENT, ts, "the broker has it")
    if row.state == CommandState.SENT:
        row.delivered_at = ts
        _set(session, row, CommandState.DELIVERED, ts, "it reached the kiosk")
    if response.phase == "delivered":
        return False
    row.finished_at = ts
    row.result = json.dumps(response.result, ensure_ascii=False)
    row.error = response.error
    state = CommandState.SUCCEEDED if response.ok else CommandState.FAILED
    _set(session, row, state, ts, response.error or "")
    return True
