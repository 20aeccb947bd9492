"""The status workflow of an application: submitted → accepted → in progress → ready →
done, or rejected with a reason. Pure rules, no database."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Status", "TransitionError", "check_transition", "NEXT", "CLOSED"]


class Status(StrEnum):
    """Where an application is."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    READY = "ready"
    DONE = "done"
    REJECTED = "rejected"


NEXT: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.REJECTED}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS, Status.READY, Status.REJECTED}),
    Status.IN_PROGRESS: frozenset({Status.READY, Status.REJECTED}),
    Status.READY: frozenset({Status.DONE}),
    Status.DONE: frozenset(),
    Status.REJECTED: frozenset(),
}
CLOSED = frozenset({Status.DONE, Status.REJECTED})


class TransitionError(ValueError):
    """A status change the workflow does not allow; the message says what is allowed."""


def check_transition(current: str, target: str, reason: str = "") -> Status:
    """Return ``target`` as a Status if the workflow allows it from ``current``."""
    try:
        wanted = Status(target)
    except ValueError:
        raise TransitionError(f"unknown status {target!r}; use one of: "
                              f"{', '.join(s.value for s in Status)}") from None
    now = Status(current)
    if wanted not in NEXT[now]:
        allowed = ", ".join(sorted(s.value for s in NEXT[now])) or "nothing (it is closed)"
        raise TransitionError(f"an application that is {now.value} can move to {allowed}, "
                              f"not to {wanted.value}")
    if wanted is Status.REJECTED and not reason.strip():
        raise TransitionError("a rejection needs a reason the citizen can act on; "
                              "pass --reason")
    return wanted
