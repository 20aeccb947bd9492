"""The kiosk's side of technician commands: verify, remember, run once, answer.

:class:`CommandExecutor` listens on the kiosk's ``down/command`` topic. Each command is
verified (controller signature, addressee, expiry, unseen nonce) and its id and nonce
are committed to the kiosk database *before* it runs, so it never runs twice — not even
when the broker redelivers it after a crash. It answers ``delivered`` at once and the
result when done, always on the kiosk's own ``up/response`` topic. Refusals are answered
the same way and also committed as ``command.refused`` outbox events. What it remembers
lives in :class:`~kiosk.command_ledger.CommandLedger`; the handlers in
:mod:`kiosk.command_handlers`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.command_args import InvalidCommandArgs, parse_command_args
from sync.commands import (
    Command,
    CommandRefused,
    CommandResponse,
    RefusalReason,
    load_public_key,
    verify_command,
)
from sync.envelope import format_utc, utc_now
from sync.events import CommandRefusedEvent, KioskLocked, KioskUnlocked
from sync.mqtt import ReceivedMessage
from sync.topics import KioskChannel, kiosk_topic

from .command_base import CommandFailed, DeviceProvider, Handler, LockState
from .command_handlers import register_builtin
from .command_ledger import CommandLedger

if TYPE_CHECKING:
    from .agent import KioskAgent

__all__ = ["CommandExecutor", "CommandFailed", "DeviceProvider", "LockState", "Handler",
           "RESTART_EXIT_CODE"]

log = logging.getLogger(__name__)

RESTART_EXIT_CODE = 75  # the kiosk asked to be restarted; `python -m kiosk` re-executes
RESPONSE_EXPIRY_S = 24 * 3600


class CommandExecutor:
    """Runs the controller's signed commands on this kiosk, each at most once."""

    def __init__(self, agent: KioskAgent, public_key: Ed25519PublicKey | str | None = None,
                 *, devices: DeviceProvider | None = None, log_file: Any = None) -> None:
        self.agent = agent
        self.kiosk_id = agent.kiosk_id
        self.public_key = self._key(public_key if public_key is not None
                                    else agent.settings.security.controller_public_key)
        self.devices = devices
        self.log_file = log_file
        self.session_active: Callable[[], bool] = lambda: False
        self.on_restart: Callable[[], None] = lambda: None
        self.restart_requested = threading.Event()
        self._lock_listeners: list[Callable[[LockState], None]] = []
        self._handlers: dict[str, Handler] = {}
        self._queue: queue.Queue[tuple[Command, bytes | None] | None] = queue.Queue()
        self._guard = threading.Lock()
        self.ledger = CommandLedger(agent.store.engine, agent.store.sessions)
        self._command_topic = kiosk_topic(self.kiosk_id, KioskChannel.COMMAND)
        self._response_topic = kiosk_topic(self.kiosk_id, KioskChannel.RESPONSE)
        self._worker = threading.Thread(target=self._work, name="commands", daemon=True)
        register_builtin(self)
        agent.commands = self

    @staticmethod
    def _key(key: Ed25519PublicKey | str) -> Ed25519PublicKey | None:
        if isinstance(key, Ed25519PublicKey):
            return key
        if not key:
            log.warning("no controller public key configured: every command will be refused")
            return None
        try:
            return load_public_key(key)
        except ValueError as exc:
            log.error("%s; every command will be refused", exc)
            return None

    # -- lifecycle and registry ----------------------------------------------------------
    def register(self, name: str, handler: Handler) -> None:
        """Run ``handler(command, args) -> result dict`` for commands called ``name``."""
        self._handlers[name] = handler

    def start(self) -> None:
        """Apply the persisted log level, listen for commands and start the worker."""
        level = self.ledger.setting("log_level")
        if level:
            logging.getLogger().setLevel(level)
        self.agent.link.subscribe(self._command_topic, self.receive, qos=1)
        self._worker.start()

    def stop(self) -> None:
        """Finish the command in progress and stop."""
        self._queue.put(None)
        if self._worker.is_alive():
            self._worker.join(10)

    # -- persisted state ------------------------------------------------------------------
    def set_setting(self, key: str, value: str) -> None:
        """Persist an executor setting."""
        self.ledger.set_setting(key, value)

    @property
    def lock_state(self) -> LockState:
        """Return whether the kiosk is locked out of service, and the message to show."""
        return self.ledger.lock_state()

    def change_lock(self, locked: bool, message: str = "", *,
                    command_id: str | None = None) -> LockState:
        """Lock or unlock the kiosk: keep it, record the event, tell the listeners.

        The one way the lock changes, whether a remote command (``command_id``) or the
        kiosk's own technician screen asked; returns the new state.
        """
        state = LockState(locked, message if locked else "", format_utc(utc_now()))
        self.ledger.keep_lock_state(state)
        self.agent.store.record(KioskLocked(command_id=command_id, message=state.message or None)
                                if locked else KioskUnlocked(command_id=command_id))
        for listener in self._lock_listeners:
            try:
                listener(state)
            except Exception:
                log.exception("lock listener failed")
        return state

    def on_lock_change(self, listener: Callable[[LockState], None]) -> None:
        """Call ``listener(LockState)`` whenever a technician locks or unlocks the kiosk."""
        self._lock_listeners.append(listener)

    def was_received(self, command_id: str) -> bool:
        """Return True if this kiosk ever accepted command ``command_id``."""
        return self.ledger.was_received(command_id)

    # -- receiving (paho's network thread) -------------------------------------------------
    def receive(self, message: ReceivedMessage) -> None:
        """Verify and remember a command, answer ``delivered`` and queue it to run."""
        with self._guard:
            try:
                command = verify_command(self.public_key, message.payload,
                                         kiosk_id=self.kiosk_id, now=utc_now(),
                                         seen_nonce=self.ledger.seen_nonce)
                if message.response_topic != self._response_topic:
                    raise CommandRefused(RefusalReason.MALFORMED, "the response topic must be "
                                         "this kiosk's up/response", command.id, command.name)
                self.ledger.remember(command)
            except CommandRefused as exc:
                self._refuse(exc, message.correlation)
                return
        log.info("command %s %s received", command.name, command.id)
        self._respond(CommandResponse(command.id, self.kiosk_id, "delivered"),
                      message.correlation)
        self._queue.put((command, message.correlation))

    def _refuse(self, refusal: CommandRefused, correlation: bytes | None) -> None:
        log.warning("command refused (%s): %s", refusal.reason.value, refusal.detail)
        body = CommandRefusedEvent(
            reason=refusal.reason, command_id=refusal.command_id and refusal.command_id[:64],
            name=refusal.name and refusal.name[:64], detail=refusal.detail[:300])
        try:
            self.agent.store.record(body)
        except Exception:
            log.exception("could not record the refusal")
        if refusal.command_id is not None:
            self._respond(CommandResponse(refusal.command_id, self.kiosk_id, "result", ok=False,
                                          error=f"refused: {refusal}",
                                          refused=refusal.reason.value), correlation)

    def _respond(self, response: CommandResponse, correlation: bytes | None) -> Any:
        correlation = correlation or response.command_id.encode()
        return self.agent.link.publish(self._response_topic, response.encode(), qos=1,
                                       expiry_s=RESPONSE_EXPIRY_S, correlation=correlation)

    # -- running (worker thread) --------------------------------------------------------
    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            command, correlation = item
            response = self.run(command)
            handle = self._respond(response, correlation)
            if self.restart_requested.is_set():
                self._restart_after(handle)

    def run(self, command: Command) -> CommandResponse:
        """Run ``command``'s handler now; record and return its result."""
        handler = self._handlers.get(command.name)
        ok, result, error = False, {}, None
        try:
            if handler is None:
                raise CommandFailed(f"this kiosk does not know the command {command.name!r}; "
                                    "update its software")
            args = parse_command_args(command.name, command.args)
            if command.name == "screenshot" and self.session_active():
                raise CommandFailed("refused: a citizen's session is active; try again when "
                                    "the kiosk is idle")
            result, ok = handler(command, args), True
        except InvalidCommandArgs as exc:
            error = f"refused: {exc}"
        except CommandFailed as exc:
            error = str(exc)
        except Exception as exc:  # a handler's bug is the command's failure, not the kiosk's
            log.exception("command %s failed", command.name)
            error = f"{type(exc).__name__}: the command crashed; fetch the kiosk log"
        self.ledger.finish(command.id, ok, error)
        log.info("command %s %s %s", command.name, command.id, "succeeded" if ok else "failed")
        return CommandResponse(command.id, self.kiosk_id, "result", ok=ok, result=result,
                               error=error)

    def _restart_after(self, handle: Any, timeout_s: float = 5.0) -> None:
        # The result must reach the broker before the process goes away.
        deadline = time.monotonic() + timeout_s
        while not handle.is_acknowledged() and time.monotonic() < deadline:
            time.sleep(0.05)
        log.info("restarting on the controller's command")
        self.on_restart()
