"""The station schedule core: document, holiday calendar, compiled evaluator, opening_hours.

Pure code over values; the only file access is the explicit TOML loaders in `loader`.
"""

from .calendar import CalendarSnapshot, CalendarYear, DayKind, HolidayCalendar, package_years
from .errors import (
    CalendarError,
    CalendarLoadError,
    NaiveDatetimeError,
    OpeningHoursExportError,
    OpeningHoursSyntaxError,
    ScheduleError,
    ScheduleLoadError,
    VersionConflictError,
)
from .evaluator import DEFAULT_HORIZON, OpenInterval, ScheduleEvaluator, compile_schedule
from .loader import (
    load_calendar_directory,
    load_calendar_year,
    load_schedule,
    load_schedule_directory,
    parse_calendar_year,
    parse_schedule,
)
from .model import (
    DEFAULT_TIMEZONE,
    OPEN_MODES,
    HolidayRule,
    Mode,
    SpecialHours,
    StationSchedule,
    TemporaryClosure,
    Weekday,
    WeeklyHours,
    WeeklySchedule,
)
from .stats import OpenTimeStats
from .timespan import TimeSpan
from .versions import applicable_version, supersedes

__all__ = [
    "DEFAULT_HORIZON",
    "DEFAULT_TIMEZONE",
    "OPEN_MODES",
    "CalendarError",
    "CalendarLoadError",
    "CalendarSnapshot",
    "CalendarYear",
    "DayKind",
    "HolidayCalendar",
    "HolidayRule",
    "Mode",
    "NaiveDatetimeError",
    "OpenInterval",
    "OpenTimeStats",
    "OpeningHoursExportError",
    "OpeningHoursSyntaxError",
    "ScheduleError",
    "ScheduleEvaluator",
    "ScheduleLoadError",
    "SpecialHours",
    "StationSchedule",
    "TemporaryClosure",
    "TimeSpan",
    "VersionConflictError",
    "Weekday",
    "WeeklyHours",
    "WeeklySchedule",
    "applicable_version",
    "compile_schedule",
    "load_calendar_directory",
    "load_calendar_year",
    "load_schedule",
    "load_schedule_directory",
    "package_years",
    "parse_calendar_year",
    "parse_schedule",
    "supersedes",
]
