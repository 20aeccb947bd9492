"""Technician commands from the controller's side: check, sign, send, follow to the end.

:class:`CommandTracker` is the worker around the pure machine
(:mod:`~controller.remote.command_states`) and the repository
(:mod:`~controller.remote.command_store`). A command is checked against its argument
schema (:mod:`sync.command_args`), stored QUEUED with its signed payload, published as an
MQTT 5 request (response topic = the kiosk's ``up/response``, correlation = command id,
message expiry = what is left of its validity); a response thread stores the kiosk's
answers and a sweeper notes the broker's acknowledgements, resends what was never
published and times out or expires what is overdue. Whoever waits for a command's end
is woken when it ends.
"""

from __future__ import annotations

import logging
import math
import queue
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

from sync.command_args import InvalidCommandArgs, parse_command_args
from sync.commands import Command, ResponseError, decode_response, sign_command
from sync.envelope import utc_now
from sync.ids import uuid7
from sync.mqtt import MqttLink, PublishHandle, ReceivedMessage
from sync.settings import CommandsConfig
from sync.topics import KioskChannel, TopicError, kiosk_topic, parse_kiosk_topic, validate_id

from .command_states import TERMINAL, CommandState
from .command_store import CommandNotFound, CommandStore, command_dict

__all__ = ["CommandState", "CommandTracker", "InvalidCommand", "CommandNotFound",
           "TERMINAL", "validate_args", "command_dict"]

log = logging.getLogger(__name__)

# Another controller of a shared group may store the answer a waiter here expects; it
# cannot wake this process, so a waiter also looks at the database this often.
OTHER_CONTROLLERS_RECHECK_S = 1.0


class InvalidCommand(ValueError):
    """A command the controller will not send; the message says what to change."""


def validate_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Return ``args`` of command ``name`` checked and normalised, or raise InvalidCommand."""
    try:
        return parse_command_args(name, args).wire()
    except InvalidCommandArgs as exc:
        raise InvalidCommand(str(exc)) from None


class _Endings:
    """Wakes whoever waits for commands to end: a counter bumped under a condition."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._count = 0

    def count(self) -> int:
        with self._changed:
            return self._count

    def announce(self) -> None:
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def wait_past(self, seen: int, timeout_s: float) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._count != seen, timeout_s)


class CommandTracker:
    """Issues signed commands and follows each to a final state."""

    def __init__(self, engine: Engine, link: MqttLink, key: Ed25519PrivateKey,
                 config: CommandsConfig, *, on_final: Callable[[str], None] | None = None
                 ) -> None:
        self.store = CommandStore(engine)
        self._link, self._key, self.config = link, key, config
        # Commands on their way to the broker: the handle once published, None while being
        # stored and signed, so a sweep in between does not send them a second time.
        self._handles: dict[str, PublishHandle | None] = {}
        self._lock = threading.Lock()
        self._responses: queue.Queue[ReceivedMessage | None] = queue.Queue()
        self._stop = threading.Event()
        self._endings = _Endings()
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
        self._endings.announce()  # waiters return the command as it is
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
        with self._lock:
            self._handles[command.id] = None
        try:
            self.store.add(command, payload, operator=operator, rollout_id=rollout_id,
                           result_timeout_s=result_timeout_s or self.config.result_timeout_s)
            self._publish(command.id, kiosk_id, payload, command.expires_at)
        finally:
            with self._lock:
                if self._handles.get(command.id) is None:
                    self._handles.pop(command.id, None)  # not published: the sweep resends
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
        return self.store.get(command_id)

    def find(self, *, kiosk: str | None = None, state: str | None = None,
             rollout: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Return the newest commands first, optionally filtered."""
        return self.store.find(kiosk=kiosk, state=state, rollout=rollout, limit=limit)

    def wait(self, command_id: str, timeout_s: float) -> dict[str, Any]:
        """Return the command once final, or as it is after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            seen = self._endings.count()  # before reading: an ending after it wakes us
            found = self.get(command_id)
            remaining = deadline - time.monotonic()
            if found["state"] in TERMINAL or remaining <= 0 or self._stop.is_set():
                return found
            self._endings.wait_past(seen, min(remaining, OTHER_CONTROLLERS_RECHECK_S))

    def _ended(self, command_id: str) -> None:
        self._endings.announce()
        self.on_final(command_id)

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
        final = self.store.apply_response(kiosk_id, response, utc_now())
        if final is None:
            log.warning("kiosk %s answered unknown command %s", kiosk_id,
                        response.command_id[:40])
        elif final:
            self._ended(response.command_id)

    # -- sweeping -------------------------------------------------------------------------
    def _sweep(self) -> None:
        while not self._stop.wait(self.config.sweep_interval_s):
            try:
                self.sweep(utc_now())
            except Exception:
                log.exception("command sweep failed; retrying")

    def sweep(self, now: datetime) -> list[str]:
        """Advance SENT, resend unsent, time out and expire; return ids made final."""
        with self._lock:
            acked = [i for i, h in self._handles.items()
                     if h is not None and h.is_acknowledged()]
            for command_id in acked:
                del self._handles[command_id]
            pending = set(self._handles)
        finals, resend = self.store.sweep(now, acked, pending.__contains__)
        for unsent in resend:
            self._publish(unsent.id, unsent.kiosk_id, unsent.payload, unsent.expires_at)
        for command_id in finals:
            self._ended(command_id)
        return finals
