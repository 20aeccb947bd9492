"""A step function over epoch seconds, filled in one compiled stretch at a time.

Two flat lists: `bounds` (sorted) and `modes`, where modes[i] holds from bounds[i] until
bounds[i + 1]; None marks a stretch not compiled yet. One list for everything compiled
so far makes a lookup one binary search however far apart the questions are. Bounds are
kept as floats (whole seconds, exact): an instant's timestamp is a float, and a binary
search comparing floats with floats runs about three times faster than against ints.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .model import Mode

__all__ = ["StepFunction"]

# Before every instant a schedule can be asked about (year 2 is the first one).
_BEFORE_ALL = -float(2**62)


class StepFunction:
    """Modes over epoch seconds; None where not compiled yet."""

    __slots__ = ("bounds", "modes")

    def __init__(self) -> None:
        self.bounds: list[float] = [_BEFORE_ALL]
        self.modes: list[Mode | None] = [None]

    def index(self, epoch: float) -> int:
        """The entry holding at `epoch`."""
        return bisect_right(self.bounds, epoch) - 1

    def insert(self, low: float, high: float, bounds: list[int], modes: list[Mode]) -> None:
        """Fill the uncompiled stretch [low, high) with `modes` from `bounds` on.

        bounds[0] must be `low`; the stretch must not have been filled before.
        """
        first = self.index(low)
        if self.modes[first] is not None or bisect_left(self.bounds, high) > first + 1:
            raise ValueError(f"[{low}, {high}) overlaps a stretch already compiled")
        start = first if self.bounds[first] == low else first + 1
        after = first + 1
        new_bounds = [float(b) for b in bounds]
        new_modes: list[Mode | None] = list(modes)
        if start > 0 and self.modes[start - 1] is new_modes[0]:
            del new_bounds[0], new_modes[0]  # the stretch before goes on in the same mode
        if after >= len(self.bounds) or self.bounds[after] != high:
            new_bounds.append(float(high))  # the uncompiled stretch goes on after `high`
            new_modes.append(None)
        elif self.modes[after] is modes[-1]:
            after += 1  # the stretch after started in the same mode: one stretch now
        self.bounds[start:after] = new_bounds
        self.modes[start:after] = new_modes
