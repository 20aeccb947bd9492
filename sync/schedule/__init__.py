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
from .opening import closes_at, next_opening
from .opening_hours import (
    DatedHours,
    OpeningHours,
    apply_opening_hours,
    export_opening_hours,
    format_opening_hours,
    opening_hours_of,
)
from .opening_hours_parser import parse_opening_hours
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
    "DatedHours",
    "DayKind",
    "HolidayCalendar",
    "HolidayRule",
    "Mode",
    "NaiveDatetimeError",
    "OpenInterval",
    "OpenTimeStats",
    "OpeningHours",
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
    "closes_at",
    "next_opening",
    "apply_opening_hours",
    "applicable_version",
    "compile_schedule",
    "export_opening_hours",
    "format_opening_hours",
    "load_calendar_directory",
    "load_calendar_year",
    "load_schedule",
    "load_schedule_directory",
    "opening_hours_of",
    "package_years",
    "parse_calendar_year",
    "parse_opening_hours",
    "parse_schedule",
    "supersedes",
]
