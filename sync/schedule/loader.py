"""Loading schedule and holiday-calendar TOML files, with errors that name the field at fault.

The only file access in the schedule core; everything else works on values.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .calendar import CalendarYear
from .errors import CalendarLoadError, ScheduleLoadError
from .model import StationSchedule

__all__ = [
    "describe_validation_error",
    "load_calendar_directory",
    "load_calendar_year",
    "load_schedule",
    "load_schedule_directory",
    "parse_calendar_year",
    "parse_schedule",
]

_HINTS = {
    "extra_forbidden": "not a known field; check its spelling or remove it",
    "missing": "is required; add it",
    "timezone_aware": "needs a UTC offset, e.g. 2026-03-14T08:00:00+08:00",
    "date_type": "write a TOML date such as 2026-10-01 (no quotes)",
    "date_from_datetime_parsing": "write a TOML date such as 2026-10-01 (no quotes)",
    "string_pattern_mismatch": "use lowercase letters, digits and '-', e.g. hz-xihu-wensan",
}


def describe_validation_error(error: ValidationError) -> list[str]:
    """One line per problem: the field path, what is wrong, what to do."""
    problems = []
    for item in error.errors():
        path = _path(item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        hint = _HINTS.get(item["type"])
        if hint:
            message = f"{message}: {hint}"
        problems.append(f"{path or '(document)'}: {message} (got {_shown(item.get('input'))})")
    return problems


def _path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for piece in loc:
        # pydantic names union branches and before-validators; an operator needs the field.
        if isinstance(piece, str) and ("[" in piece or piece.startswith("function-")):
            continue
        if isinstance(piece, int):
            parts.append(f"[{piece}]")
        else:
            parts.append(("." if parts else "") + piece)
    return "".join(parts)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _read_toml(path: Path, source: str, error_type: type[Exception]) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error_type(source, ["file not found; check the path"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise error_type(source, [f"not valid TOML: {exc}; fix the syntax there"]) from None
    except UnicodeDecodeError:
        raise error_type(source, ["not UTF-8 text; save the file as UTF-8"]) from None


def parse_schedule(data: dict[str, Any], source: str = "<schedule>") -> StationSchedule:
    """A schedule document from parsed TOML/JSON data; ScheduleLoadError lists every fault."""
    try:
        return StationSchedule.model_validate(data)
    except ValidationError as exc:
        raise ScheduleLoadError(source, describe_validation_error(exc)) from None


def load_schedule(path: str | Path) -> StationSchedule:
    """The schedule document in a TOML file; ScheduleLoadError says what to fix."""
    path = Path(path)
    return parse_schedule(_read_toml(path, str(path), ScheduleLoadError), str(path))


def load_schedule_directory(path: str | Path) -> dict[str, StationSchedule]:
    """Every *.toml schedule in a directory, keyed by station id."""
    schedules: dict[str, StationSchedule] = {}
    for file in sorted(Path(path).glob("*.toml")):
        document = load_schedule(file)
        if document.station_id in schedules:
            raise ScheduleLoadError(
                str(file), [f"station_id {document.station_id!r} is also used by another file"]
            )
        schedules[document.station_id] = document
    return schedules


class _NamedDates(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1)
    start: date
    end: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _date_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict) and "date" in value:
            value = dict(value)
            value["start"] = value.pop("date")
        return value

    def days(self) -> list[date]:
        last = self.end or self.start
        if last < self.start:
            raise ValueError(f"{self.name}: end {last} is before start {self.start}; swap them")
        return [date.fromordinal(n) for n in range(self.start.toordinal(), last.toordinal() + 1)]


class _CalendarFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1900, le=2200)
    source: str = Field(min_length=1)
    official: bool
    holidays: list[_NamedDates]
    makeup_workdays: list[_NamedDates] = []

    def to_year(self) -> CalendarYear:
        return CalendarYear(
            year=self.year,
            source=self.source,
            origin="file",
            official=self.official,
            holidays={day: entry.name for entry in self.holidays for day in entry.days()},
            makeup_workdays={d: e.name for e in self.makeup_workdays for d in e.days()},
        )


def parse_calendar_year(data: dict[str, Any], source: str = "<calendar>") -> CalendarYear:
    """One calendar year from parsed TOML data; CalendarLoadError lists every fault."""
    try:
        return _CalendarFile.model_validate(data).to_year()
    except ValidationError as exc:
        raise CalendarLoadError(source, describe_validation_error(exc)) from None
    except ValueError as exc:
        raise CalendarLoadError(source, [str(exc)]) from None


def load_calendar_year(path: str | Path) -> CalendarYear:
    """The holiday calendar year in a TOML file such as config/calendar/2027.toml."""
    path = Path(path)
    return parse_calendar_year(_read_toml(path, str(path), CalendarLoadError), str(path))


def load_calendar_directory(path: str | Path) -> list[CalendarYear]:
    """Every *.toml calendar year in a directory, in year order."""
    return sorted(
        (load_calendar_year(file) for file in Path(path).glob("*.toml")), key=lambda y: y.year
    )
