"""Where a technician command goes next: a pure state machine, facts in, steps out.

QUEUED → SENT (the broker has it) → DELIVERED (the kiosk said so) → SUCCEEDED / FAILED
(its result), or TIMED_OUT (delivered, no result in time) / EXPIRED (never delivered
before its expiry; the broker drops it from an offline kiosk's queue at the same moment).
Final states never change; a late or duplicate answer is only noted. Every state is
stepped through in order even when an answer overtakes the broker's PUBACK. No clock,
no database: the caller passes the moment and stores the steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sync.commands import CommandResponse, RefusalReason

__all__ = ["CommandState", "TERMINAL", "LATE", "CommandFacts", "Step", "Outcome",
           "EXPIRY_GRACE_S", "after_sweep", "after_response"]

EXPIRY_GRACE_S = 2.0  # a kiosk's "delivered" may be on its way when the expiry passes
LATE = "late"  # the history mark of an answer to a command already final


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


@dataclass(frozen=True, slots=True)
class CommandFacts:
    """What the machine needs to know of a stored command."""

    state: str
    expires_at: datetime
    result_timeout_s: float
    delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One entry of the command's history: a new state (or :data:`LATE`) and why."""

    state: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The steps to record, and for a final step the error and result to keep."""

    steps: tuple[Step, ...] = ()
    error: str | None = None
    result: dict[str, Any] | None = field(default=None)
    resend: bool = False  # still QUEUED: publish the stored payload again

    @property
    def final(self) -> bool:
        """Return True if these steps end the command."""
        return any(step.state in TERMINAL for step in self.steps)


_SENT = Step(CommandState.SENT, "the broker has it")
_DELIVERED = Step(CommandState.DELIVERED, "it reached the kiosk")


def after_sweep(facts: CommandFacts, now: datetime, acked: bool) -> Outcome:
    """Return what a periodic look at an open command finds at ``now``.

    ``acked`` says the broker acknowledged the command's publication since the last look.
    """
    steps: tuple[Step, ...] = ()
    state = facts.state
    if state == CommandState.QUEUED and acked:
        steps, state = (_SENT,), CommandState.SENT
    if state in (CommandState.QUEUED, CommandState.SENT):
        if now > facts.expires_at + timedelta(seconds=EXPIRY_GRACE_S):
            error = "not delivered before it expired (kiosk offline?)"
            return Outcome((*steps, Step(CommandState.EXPIRED, error)), error=error)
        return Outcome(steps, resend=state == CommandState.QUEUED)
    delivered = facts.delivered_at or now
    if now > delivered + timedelta(seconds=facts.result_timeout_s):
        error = f"delivered, but no result within {facts.result_timeout_s:g} s"
        return Outcome((*steps, Step(CommandState.TIMED_OUT, error)), error=error)
    return Outcome(steps)


def after_response(facts: CommandFacts, response: CommandResponse) -> Outcome:
    """Return what the kiosk's ``response`` makes of the command."""
    detail = response.phase if response.ok else f"{response.phase}: {response.error}"
    if facts.state in TERMINAL or response.refused == RefusalReason.REPLAYED:
        # A duplicate or late answer: the kiosk did not run the command again.
        return Outcome((Step(LATE, detail),))
    steps: tuple[Step, ...] = ()
    if facts.state == CommandState.QUEUED:
        steps = (_SENT,)
    if facts.state in (CommandState.QUEUED, CommandState.SENT):
        steps = (*steps, _DELIVERED)
    if response.phase == "delivered":
        return Outcome(steps)
    state = CommandState.SUCCEEDED if response.ok else CommandState.FAILED
    return Outcome((*steps, Step(state, response.error or "")), error=response.error,
                   result=response.result)
