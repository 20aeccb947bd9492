"""What the kiosk's command executor and its handlers share, so neither imports the other.

A handler takes the verified :class:`~sync.commands.Command` and its arguments already
checked against the command's schema (:mod:`sync.command_args`), and returns its result
dict, or raises :class:`CommandFailed` with a reason for the technician.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from devices.printer import Receipt
from sync.commands import Command
from sync.messages import DeviceHealth

if TYPE_CHECKING:
    from .agent import KioskAgent

__all__ = ["CommandFailed", "DeviceProvider", "LockState", "Handler", "CommandHost"]

# Takes the command and its arguments parsed by the command's schema in sync.command_args.
Handler = Callable[[Command, Any], dict[str, Any]]


class CommandFailed(RuntimeError):
    """Raised by a handler: the command ran (or could not) and failed for this reason."""


class DeviceProvider(Protocol):
    """The kiosk's devices as commands need them."""

    def health(self) -> list[DeviceHealth]:
        """Return every device's last known health."""
        ...

    def self_test(self) -> list[DeviceHealth]:
        """Check every device now and return its health."""
        ...

    def print_receipt(self, receipt: Receipt) -> None:
        """Print ``receipt``; raise with a reason a technician can act on."""
        ...


@dataclass(frozen=True, slots=True)
class LockState:
    """Whether a technician has put the kiosk out of service, with the message to show."""

    locked: bool = False
    message: str = ""
    since: str | None = None


class CommandHost(Protocol):
    """What the built-in handlers use of the executor that runs them."""

    agent: KioskAgent
    devices: DeviceProvider | None
    log_file: str | Path | None
    restart_requested: threading.Event

    def register(self, name: str, handler: Handler) -> None:
        """Run ``handler`` for commands called ``name``."""
        ...

    def set_setting(self, key: str, value: str) -> None:
        """Persist an executor setting."""
        ...

    def change_lock(self, locked: bool, message: str = "", *,
                    command_id: str | None = None) -> LockState:
        """Lock or unlock the kiosk; return the new state."""
        ...
