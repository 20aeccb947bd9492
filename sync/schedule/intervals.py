"""Integer interval algebra over epoch seconds: half-open [start, end) pairs, sorted."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

__all__ = ["Interval", "clip", "contains", "overlap_seconds", "subtract", "union"]

Interval = tuple[int, int]


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The sorted, disjoint intervals covering the same points; touching ones are joined."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(base: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """The parts of sorted disjoint `base` outside sorted disjoint `holes`."""
    if not holes:  # most schedules have no temporary closure
        return list(base)
    result: list[Interval] = []
    h = 0
    for start, end in base:
        while h < len(holes) and holes[h][1] <= start:
            h += 1
        cursor, k = start, h
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cursor:
                result.append((cursor, holes[k][0]))
            cursor = max(cursor, holes[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def clip(intervals: Sequence[Interval], low: int, high: int) -> list[Interval]:
    """The sorted disjoint intervals cut to [low, high)."""
    return [(max(s, low), min(e, high)) for s, e in intervals if s < high and e > low]


def contains(intervals: Sequence[Interval], point: int) -> bool:
    """True if `point` lies in one of the sorted disjoint intervals."""
    i = bisect_right(intervals, (point, float("inf"))) - 1
    return i >= 0 and intervals[i][0] <= point < intervals[i][1]


def overlap_seconds(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """Total length of the intersection of two sorted disjoint interval lists."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low < high:
            total += high - low
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total
