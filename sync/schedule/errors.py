"""Exceptions raised by the schedule core; each message says what to fix."""

from __future__ import annotations

__all__ = [
    "CalendarError",
    "CalendarLoadError",
    "NaiveDatetimeError",
    "OpeningHoursExportError",
    "OpeningHoursSyntaxError",
    "ScheduleError",
    "ScheduleLoadError",
    "VersionConflictError",
]


class ScheduleError(ValueError):
    """Base class of every error the schedule core raises on purpose."""


class NaiveDatetimeError(ScheduleError):
    """A datetime without a time zone was given where an instant is required."""

    def __init__(self, argument: str, value: object) -> None:
        super().__init__(
            f"{argument}={value!r} has no time zone; pass an aware datetime, e.g. "
            "datetime.now(ZoneInfo('Asia/Shanghai')) or datetime.now(UTC)"
        )
        self.argument = argument


class ScheduleLoadError(ScheduleError):
    """A schedule file or document is invalid; `problems` lists each field at fault."""

    def __init__(self, source: str, problems: list[str]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: the schedule is invalid:\n{lines}")
        self.source = source
        self.problems = tuple(problems)


class OpeningHoursSyntaxError(ScheduleError):
    """An opening_hours string could not be parsed; `column` is 1-based."""

    def __init__(self, text: str, column: int, expected: str, found: str | None = None) -> None:
        shown = found if found is not None else _found_at(text, column)
        pointer = " " * (column - 1) + "^"
        super().__init__(
            f"opening_hours column {column}: expected {expected}, found {shown}\n"
            f"  {text}\n  {pointer}"
        )
        self.text = text
        self.column = column
        self.expected = expected


class OpeningHoursExportError(ScheduleError):
    """A schedule has something the supported opening_hours subset cannot express."""


class CalendarError(ScheduleError):
    """Holiday calendar data is missing or inconsistent."""


class CalendarLoadError(CalendarError):
    """An administrator's calendar file is invalid; `problems` lists what to fix."""

    def __init__(self, source: str, problems: list[str]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: the holiday calendar is invalid:\n{lines}")
        self.source = source
        self.problems = tuple(problems)


class VersionConflictError(ScheduleError):
    """Two different schedule documents claim the same station and version."""


def _found_at(text: str, column: int) -> str:
    if column > len(text):
        return "end of text"
    return repr(text[column - 1 : column + 9])
