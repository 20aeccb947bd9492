"""The session's side panels: progress lookup, appointment booking, technician diagnostics.

Each panel owns its own view state and asks :class:`KioskServices` through the runner,
so a slow controller never freezes the screen; answers that arrive after the visit
ended (the generation moved on) are dropped, so no personal data comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .ports import (
    Diagnostics,
    KioskServices,
    ProgressItem,
    ProgressQuery,
    ProgressRefused,
    ProgressUnavailable,
    Runner,
    Slot,
)

__all__ = ["ProgressPanel", "AppointmentPanel", "TechnicianPanel", "Outcome"]

Notify = Callable[[], None]
Generation = Callable[[], int]

MAX_PIN_ATTEMPTS = 5


class Outcome:
    """How a request to the controller went, as panels report it."""

    IDLE = "idle"
    BUSY = "busy"
    FOUND = "found"
    NONE = "none"
    OFFLINE = "offline"
    REFUSED = "refused"
    DONE = "done"


@dataclass(slots=True)
class _Panel:
    services: KioskServices
    runner: Runner
    notify: Notify
    generation: Generation

    def _ask(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        asked_in = self.generation()

        def deliver(result: Any) -> None:
            if self.generation() == asked_in:
                done(result)
                self.notify()

        self.runner(job, deliver)


@dataclass(slots=True)
class ProgressPanel(_Panel):
    """Looks up applications by tracking number or card; says plainly when offline."""

    outcome: str = Outcome.IDLE
    items: list[ProgressItem] = field(default_factory=list)
    detail: str = ""

    def lookup(self, query: ProgressQuery) -> None:
        """Ask the controller; the outcome arrives through the runner."""
        self.outcome, self.items, self.detail = Outcome.BUSY, [], ""
        self._ask(lambda: self.services.lookup_progress(query), self._answered)

    def _answered(self, result: Any) -> None:
        if isinstance(result, ProgressUnavailable):
            self.outcome = Outcome.OFFLINE
        elif isinstance(result, ProgressRefused):
            self.outcome, self.detail = Outcome.REFUSED, str(result)
        elif isinstance(result, Exception):
            self.outcome = Outcome.OFFLINE
        else:
            self.items = list(result)
            self.outcome = Outcome.FOUND if self.items else Outcome.NONE

    def wipe(self) -> None:
        """Forget the last answer."""
        self.outcome, self.items, self.detail = Outcome.IDLE, [], ""


@dataclass(slots=True)
class AppointmentPanel(_Panel):
    """Offers staffed slots for a staffed-only service and books one."""

    outcome: str = Outcome.IDLE
    slots: list[Slot] = field(default_factory=list)
    booking: str = ""
    detail: str = ""

    def load(self, service_id: str) -> None:
        """Ask for the bookable slots of ``service_id``."""
        self.outcome, self.slots, self.booking, self.detail = Outcome.BUSY, [], "", ""
        self._ask(lambda: self.services.appointment_slots(service_id), self._loaded)

    def _loaded(self, result: Any) -> None:
        if isinstance(result, Exception):
            self.outcome, self.detail = Outcome.OFFLINE, str(result)
        else:
            self.slots = list(result)
            self.outcome = Outcome.FOUND if self.slots else Outcome.NONE

    def book(self, service_id: str, slot_id: str, masked_name: str) -> None:
        """Book ``slot_id`` for the identified citizen (only the masked name leaves)."""
        self.outcome = Outcome.BUSY
        self._ask(lambda: self.services.book_appointment(service_id, slot_id, masked_name),
                  self._booked)

    def _booked(self, result: Any) -> None:
        if isinstance(result, ProgressRefused):
            self.outcome, self.detail = Outcome.REFUSED, str(result)
        elif isinstance(result, Exception):
            self.outcome, self.detail = Outcome.OFFLINE, str(result)
        else:
            self.outcome, self.booking = Outcome.DONE, str(result)

    def wipe(self) -> None:
        """Forget slots and booking."""
        self.outcome, self.slots, self.booking, self.detail = Outcome.IDLE, [], "", ""


@dataclass(slots=True)
class TechnicianPanel(_Panel):
    """PIN entry, then local diagnostics and device tests."""

    unlocked: bool = False
    pin: str = ""
    attempts: int = 0
    message: str = ""
    diagnostics: Diagnostics | None = None

    def key(self, digit: str) -> None:
        """Add a PIN digit."""
        if digit.isdigit() and len(self.pin) < 12:
            self.pin += digit

    def backspace(self) -> None:
        """Remove the last PIN digit."""
        self.pin = self.pin[:-1]

    def submit_pin(self) -> bool:
        """Unlock on the right PIN; return False when attempts are used up."""
        if self.services.technician_pin_ok(self.pin):
            self.unlocked, self.message = True, ""
            self.refresh()
        else:
            self.attempts += 1
            self.message = "tech.wrong_pin"
        self.pin = ""
        return self.attempts < MAX_PIN_ATTEMPTS

    def refresh(self) -> None:
        """Reload the diagnostics."""
        if self.unlocked:
            self.diagnostics = self.services.diagnostics()

    def test_print(self) -> None:
        """Print a test receipt and report how it went."""
        self.message = "…"
        self._ask(self.services.test_print, self._reported)

    def test_card(self) -> None:
        """Read the card once and report how it went (masked)."""
        self.message = "…"
        self._ask(self.services.test_card_read, self._reported)

    def _reported(self, result: Any) -> None:
        self.message = f"{type(result).__name__}: {result}" if isinstance(
            result, Exception) else str(result)
        self.refresh()

    def wipe(self) -> None:
        """Lock the panel again."""
        self.unlocked, self.pin, self.attempts, self.message = False, "", 0, ""
        self.diagnostics = None
