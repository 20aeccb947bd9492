"""Wall-clock times in a zone to UTC epoch seconds, defined across DST gaps and folds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import NaiveDatetimeError

__all__ = [
    "day_bases",
    "epoch_of",
    "fixed_offset_base",
    "local_midnight",
    "require_aware",
    "to_local",
    "wall_to_epoch",
]


def require_aware(argument: str, value: datetime) -> datetime:
    """The value itself, or NaiveDatetimeError if it carries no UTC offset."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(argument, value)
    return value


def epoch_of(instant: datetime) -> float:
    """Seconds since the epoch of an aware instant."""
    return instant.timestamp()


def wall_to_epoch(day: date, minute: int, zone: ZoneInfo) -> int:
    """Epoch seconds of `minute` minutes of wall time after `day`'s midnight in `zone`.

    An ambiguous wall time (clocks set back) means its first occurrence; a wall time
    that does not exist (clocks set forward) means the first instant after the gap, so
    spans keep their order and never turn inside out.
    """
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    first = wall.replace(tzinfo=zone)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return int(first.timestamp())
    if datetime.fromtimestamp(first.timestamp(), zone).replace(tzinfo=None) == wall:
        return int(first.timestamp())  # a fold: fold=0 is the first occurrence
    return _gap_end(int(second.timestamp()), int(first.timestamp()), zone)


def fixed_offset_base(day: date, zone: ZoneInfo) -> int | None:
    """Epoch seconds of `day`'s midnight if the offset holds for 48 h from it, else None.

    Lets a caller turn wall minutes 0..2880 into epochs by addition; the 48 h window
    matches the longest span (up to 48:00). Assumes no zone changes offset and back
    within two days, which holds for every zone in the IANA database.
    """
    midnight = datetime.combine(day, time(), zone)
    offset = midnight.utcoffset()
    if offset is None or offset != (midnight + timedelta(days=2)).utcoffset():
        return None
    if midnight.replace(fold=1).utcoffset() != offset:
        return None
    return (day.toordinal() - _EPOCH_ORDINAL) * 86400 - int(offset.total_seconds())


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_bases(first: date, count: int, zone: ZoneInfo) -> list[int | None]:
    """Like fixed_offset_base() for `count` dates from `first` on, reading each offset once.

    A date gets a base when the offset is the same at its midnight and the next two; a
    fold at its midnight would need two offset changes within a day, which no zone has.
    """
    walls = [datetime.combine(first + timedelta(days=i), time()) for i in range(count + 2)]
    offsets = [zone.utcoffset(wall) for wall in walls]
    bases: list[int | None] = []
    ordinal = first.toordinal() - _EPOCH_ORDINAL
    for i in range(count):
        offset = offsets[i]
        if offset is None or not offset == offsets[i + 1] == offsets[i + 2]:
            bases.append(None)
        else:
            bases.append((ordinal + i) * 86400 - int(offset.total_seconds()))
    return bases


def _gap_end(low: int, high: int, zone: ZoneInfo) -> int:
    # The transition lies in (low, high]; offsets after it equal the offset at `high`.
    after = datetime.fromtimestamp(high, zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high


def local_midnight(day: date, zone: ZoneInfo) -> int:
    """Epoch seconds at which `day` begins in `zone`."""
    return wall_to_epoch(day, 0, zone)


def to_local(epoch: float, zone: ZoneInfo) -> datetime:
    """An aware datetime in `zone` for epoch seconds."""
    return datetime.fromtimestamp(epoch, UTC).astimezone(zone)
