"""Time-of-day spans ("08:30-12:00", "20:00-02:00") as minutes from the day's midnight."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, model_serializer, model_validator

from .prevalidated import prevalidated

__all__ = ["MINUTES_PER_DAY", "TimeSpan", "format_clock", "merge_spans", "parse_clock"]

MINUTES_PER_DAY = 24 * 60
# A merged span may start late on its day and run up to 24 h further, so ends stop at 48:00.
MAX_END_MINUTE = 2 * MINUTES_PER_DAY

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_SPAN = re.compile(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*")


def parse_clock(text: str, *, allow_extended: bool) -> int:
    """Return minutes after midnight for "HH:MM"; 24:00 and later only if `allow_extended`."""
    match = _CLOCK.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a clock time; write it as HH:MM, e.g. 08:30")
    hours, minutes = int(match.group(1)), int(match.group(2))
    limit = 48 if allow_extended else 23
    if minutes > 59 or hours > limit or (hours == 48 and minutes):
        raise ValueError(f"{text!r} is out of range; hours run 00-{limit}, minutes 00-59")
    return hours * 60 + minutes


def format_clock(minute: int) -> str:
    """Return "HH:MM" for minutes after midnight (1440 gives "24:00", 1560 "26:00")."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class TimeSpan(BaseModel):
    """A span of wall-clock time starting on a day; `end` past 1440 runs into the next day.

    Written as text: "08:30-12:00"; an end at or before the start wraps past midnight
    ("20:00-02:00"); "24:00" and extended ends such as "26:00" are accepted too.
    """

    model_config = ConfigDict(frozen=True)

    start: int
    end: int

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _parse_span_text(value)
        return value

    @model_validator(mode="after")
    def _check_bounds(self) -> TimeSpan:
        if not 0 <= self.start < MINUTES_PER_DAY:
            raise ValueError(f"span start {self.start} must be a minute in 0..1439")
        if not self.start < self.end <= MAX_END_MINUTE:
            raise ValueError(
                f"span end {self.end} must lie after the start ({self.start}) and by 48:00"
            )
        return self

    @model_serializer
    def _to_text(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The span as "HH:MM-HH:MM", wrapped past midnight when that reads naturally."""
        end = self.end
        if end > MINUTES_PER_DAY and end - MINUTES_PER_DAY < self.start:
            end -= MINUTES_PER_DAY
        return f"{format_clock(self.start)}-{format_clock(end)}"

    def __str__(self) -> str:
        return self.text


def _parse_span_text(text: str) -> dict[str, int]:
    match = _SPAN.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a time span; write it as HH:MM-HH:MM, e.g. 08:30-12:00")
    start = parse_clock(match.group(1), allow_extended=False)
    end = parse_clock(match.group(2), allow_extended=True)
    if end == start:
        raise ValueError(
            f"{text!r} starts and ends at the same time; for a whole day write 00:00-24:00"
        )
    if end < start:
        end += MINUTES_PER_DAY  # "20:00-02:00": closes at 02:00 the next morning
    return {"start": start, "end": end}


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def merge_spans(spans: Iterable[_Span]) -> tuple[TimeSpan, ...]:
    """Return the spans sorted by start, with overlapping or touching spans joined.

    Takes TimeSpans or anything with valid `start` and `end` minutes; spans merged from
    valid spans are valid, so they are built without validating again.
    """
    merged: list[list[int]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
        else:
            merged.append([span.start, span.end])
    return tuple(prevalidated(TimeSpan, start=s, end=e) for s, e in merged)
