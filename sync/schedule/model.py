"""The station schedule document: a frozen pydantic model that round-trips through JSON."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from .timespan import TimeSpan, merge_spans
from .week import canonical_spans, open_minutes

__all__ = [
    "DEFAULT_TIMEZONE",
    "DayHours",
    "DayNotes",
    "HolidayHours",
    "HolidayRule",
    "MakeupRule",
    "Mode",
    "OPEN_MODES",
    "SpecialHours",
    "StationSchedule",
    "TemporaryClosure",
    "WeeklyHours",
    "WeeklySchedule",
    "Weekday",
    "expand_day_key",
]

DEFAULT_TIMEZONE = "Asia/Shanghai"


class Mode(enum.StrEnum):
    """What a station offers at an instant; STAFFED also means the kiosk is available."""

    STAFFED = "staffed"
    SELF_SERVICE = "self_service"
    CLOSED = "closed"


OPEN_MODES: tuple[Mode, Mode] = (Mode.STAFFED, Mode.SELF_SERVICE)


class Weekday(enum.StrEnum):
    """A day of the week by its two-letter name; `index` matches date.weekday()."""

    MO = "mo"
    TU = "tu"
    WE = "we"
    TH = "th"
    FR = "fr"
    SA = "sa"
    SU = "su"

    @property
    def number(self) -> int:
        """Monday is 0, as in datetime.date.weekday()."""
        return _WEEKDAYS.index(self)

    @classmethod
    def of(cls, day: date) -> Weekday:
        """The weekday a date falls on."""
        return _WEEKDAYS[day.weekday()]


_WEEKDAYS = tuple(Weekday)
_FIELD_OF = {day: day.value for day in Weekday}  # enum .value is slow on hot paths


def expand_day_key(key: str) -> list[Weekday]:
    """Return the weekdays a key names: "mo", "mo-fr", "fr-mo", "sa,su" or "daily"."""
    text = key.strip().lower()
    if text in ("daily", "mo-su"):
        return list(Weekday)
    days: list[Weekday] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        try:
            start = Weekday(first.strip())
            stop = Weekday(last.strip()) if last else start
        except ValueError:
            raise ValueError(
                f"{key!r} does not name weekdays; use mo tu we th fr sa su, ranges such as "
                "'mo-fr', lists such as 'sa,su', or 'daily'"
            ) from None
        span = (stop.number - start.number) % 7
        days.extend(list(Weekday)[(start.number + i) % 7] for i in range(span + 1))
    return days


DayHours = tuple[TimeSpan, ...]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _expand_day_keys(value: Any, fields: Any) -> Any:
    """A mapping keyed by day groups ("mo-fr", "sa,su", "daily") keyed by single days."""
    if not isinstance(value, dict):
        return value
    expanded: dict[str, Any] = {}
    for key, item in value.items():
        for day in expand_day_key(str(key)) if key not in fields else [key]:
            name = str(day)
            if name in expanded:
                raise ValueError(
                    f"day {name!r} is given twice (again in {key!r}); give each day once"
                )
            expanded[name] = item
    return expanded


class DayNotes(_Frozen):
    """A note per weekday ("by appointment"), shown with that day's hours; "" for none."""

    mo: str = ""
    tu: str = ""
    we: str = ""
    th: str = ""
    fr: str = ""
    sa: str = ""
    su: str = ""

    @model_validator(mode="before")
    @classmethod
    def _expand_groups(cls, value: Any) -> Any:
        return _expand_day_keys(value, cls.model_fields)

    def on(self, day: Weekday) -> str:
        """The note of `day`."""
        note: str = getattr(self, _FIELD_OF[day])
        return note


class WeeklyHours(_Frozen):
    """Spans for each weekday of one mode; a span belongs to the day it starts on.

    Input may group days ("mo-fr", "sa,su", "daily"); each day may be named once. Spans are
    kept in a canonical form: a span that runs past midnight and the next day's early
    span that continues it are one span (mo 20:00-24:00 + tu 00:00-02:00 is mo
    20:00-02:00), unless the next day has a note of its own. `notes` keeps a note per day.
    """

    mo: DayHours = ()
    tu: DayHours = ()
    we: DayHours = ()
    th: DayHours = ()
    fr: DayHours = ()
    sa: DayHours = ()
    su: DayHours = ()
    notes: DayNotes = DayNotes()

    @model_validator(mode="before")
    @classmethod
    def _expand_groups(cls, value: Any) -> Any:
        return _expand_day_keys(value, cls.model_fields)

    @field_validator("mo", "tu", "we", "th", "fr", "sa", "su", mode="after")
    @classmethod
    def _normalise(cls, spans: DayHours) -> DayHours:
        return merge_spans(spans)

    @model_validator(mode="after")
    def _canonical(self) -> WeeklyHours:
        days = [self.on(day) for day in Weekday]
        notes = [self.notes.on(day) for day in Weekday]
        for day, spans in zip(Weekday, canonical_spans(open_minutes(days), notes), strict=True):
            object.__setattr__(self, day.value, spans)  # frozen: settle the canonical form
        return self

    def on(self, day: Weekday) -> DayHours:
        """The spans that start on `day`."""
        spans: DayHours = getattr(self, _FIELD_OF[day])
        return spans


class WeeklySchedule(_Frozen):
    """Regular weekly hours of both modes."""

    staffed: WeeklyHours = WeeklyHours()
    self_service: WeeklyHours = WeeklyHours()

    def of(self, mode: Mode) -> WeeklyHours:
        """The weekly hours of an open mode."""
        return self.staffed if mode is Mode.STAFFED else self.self_service


# What a public holiday does to one mode: "closed"; "regular" (ignore the holiday);
# follow a weekday's regular hours ("su"); or explicit spans (a template for the day).
HolidayHours = Literal["closed", "regular"] | Weekday | DayHours
# What a make-up working day (调休) does: follow a weekday's hours, or "regular" to ignore it.
MakeupRule = Literal["regular"] | Weekday


class HolidayRule(_Frozen):
    """How each mode treats mainland public holidays (including their in-lieu rest days)."""

    staffed: HolidayHours = "closed"
    self_service: HolidayHours = "regular"
    staffed_note: str = ""
    self_service_note: str = ""

    @field_validator("staffed", "self_service", mode="before")
    @classmethod
    def _known_word(cls, value: Any) -> Any:
        return _check_rule_word(
            value, ("closed", "regular"), "a list of spans such as ['09:00-12:00']"
        )

    @field_validator("staffed", "self_service", mode="after")
    @classmethod
    def _normalise(cls, rule: HolidayHours) -> HolidayHours:
        return merge_spans(rule) if isinstance(rule, tuple) else rule

    def of(self, mode: Mode) -> HolidayHours:
        """The rule for an open mode."""
        return self.staffed if mode is Mode.STAFFED else self.self_service

    def note_of(self, mode: Mode) -> str:
        """The note shown with an open mode's holiday hours; "" for none."""
        return self.staffed_note if mode is Mode.STAFFED else self.self_service_note


def _check_rule_word(value: Any, words: tuple[str, ...], other: str) -> Any:
    if isinstance(value, str) and value not in words and value not in list(Weekday):
        choices = ", ".join(repr(w) for w in words)
        raise ValueError(
            f"{value!r} is not a rule; use {choices}, a weekday to follow (mo tu we th fr sa su)"
            + (f" or {other}" if other else "")
        )
    return value


class SpecialHours(_Frozen):
    """Hours for a date or an inclusive date range, replacing that day's other hours.

    A mode left out (None) keeps its usual hours; an empty list closes that mode;
    `closed = true` closes both. When entries overlap, the later one wins.
    """

    start: date
    end: date | None = None
    staffed: DayHours | None = None
    self_service: DayHours | None = None
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _closed_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict) and "closed" in value:
            value = dict(value)
            if value.pop("closed") is True:
                if value.get("staffed") or value.get("self_service"):
                    raise ValueError("closed = true cannot be combined with hours; drop one")
                value["staffed"] = value["self_service"] = ()
        return value

    @model_validator(mode="after")
    def _check(self) -> SpecialHours:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap them")
        if self.staffed is None and self.self_service is None:
            raise ValueError("says nothing: give staffed and/or self_service hours, or closed")
        return self

    @field_validator("staffed", "self_service", mode="after")
    @classmethod
    def _normalise(cls, spans: DayHours | None) -> DayHours | None:
        return None if spans is None else merge_spans(spans)

    @property
    def last(self) -> date:
        """The last date covered (inclusive)."""
        return self.end or self.start

    def covers(self, day: date) -> bool:
        """True if `day` lies in this entry's date range."""
        return self.start <= day <= self.last

    def of(self, mode: Mode) -> DayHours | None:
        """The replacement spans for an open mode, or None if that mode keeps its hours."""
        return self.staffed if mode is Mode.STAFFED else self.self_service


class TemporaryClosure(_Frozen):
    """A closure over an instant range [start, end) that overrides everything else."""

    start: AwareDatetime
    end: AwareDatetime
    reason: str = Field(min_length=1)
    modes: tuple[Mode, ...] = OPEN_MODES

    @model_validator(mode="after")
    def _check(self) -> TemporaryClosure:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}; fix the range")
        if not self.modes or Mode.CLOSED in self.modes:
            raise ValueError("modes must list staffed and/or self_service (and nothing else)")
        return self


class StationSchedule(_Frozen):
    """One version of a station's opening schedule, in the station's own time zone."""

    station_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    version: int = Field(ge=1)
    effective_from: date
    timezone: str = DEFAULT_TIMEZONE
    weekly: WeeklySchedule = WeeklySchedule()
    holidays: HolidayRule = HolidayRule()
    makeup_workday_follows: MakeupRule = Weekday.MO
    special: tuple[SpecialHours, ...] = ()
    closures: tuple[TemporaryClosure, ...] = ()

    @field_validator("makeup_workday_follows", mode="before")
    @classmethod
    def _known_makeup_word(cls, value: Any) -> Any:
        return _check_rule_word(value, ("regular",), "")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {name!r}; use an IANA name such as Asia/Shanghai"
            ) from None
        return name

    @property
    def zone(self) -> ZoneInfo:
        """The station's time zone."""
        return ZoneInfo(self.timezone)

    def to_json(self, *, indent: int | None = None) -> str:
        """The document as JSON text; from_json() gives back an equal document."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> StationSchedule:
        """The document parsed from JSON text; raises pydantic.ValidationError if invalid."""
        return cls.model_validate_json(text)

    def effective_at(self) -> datetime:
        """The instant this version starts to apply: local midnight of effective_from."""
        return datetime.combine(self.effective_from, datetime.min.time(), self.zone)
