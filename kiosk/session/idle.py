"""The idle timer: a visit with no touch for a while warns, then ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["IdleTimer", "IdleState"]


class IdleState(StrEnum):
    """Whether the citizen is still there, as far as the kiosk can tell."""

    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass(slots=True)
class IdleTimer:
    """Counts seconds since the last touch on an injected monotonic ``clock``."""

    clock: Callable[[], float]
    timeout_s: float = 90.0
    warning_s: float = 20.0
    _last: float = 0.0

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or not 0 <= self.warning_s < self.timeout_s:
            raise ValueError("idle timeout must be positive and longer than its warning")
        self._last = self.clock()

    def touch(self) -> None:
        """Restart the count: the citizen did something."""
        self._last = self.clock()

    def remaining_s(self) -> float:
        """Return the seconds left before the visit ends (never negative)."""
        return max(0.0, self.timeout_s - (self.clock() - self._last))

    def state(self) -> IdleState:
        """Return active, warning (countdown shown) or expired."""
        left = self.remaining_s()
        if left <= 0:
            return IdleState.EXPIRED
        return IdleState.WARNING if left <= self.warning_s else IdleState.ACTIVE
