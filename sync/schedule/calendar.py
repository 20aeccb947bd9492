"""Mainland public holidays and make-up working days (调休), year by year.

Years come from the chinesecalendar package or from administrator files (which win);
an evaluator asks `day_kind()` and treats None as "year not covered".
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

import chinese_calendar
from chinese_calendar import constants as calendar_constants
from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["CalendarSnapshot", "CalendarYear", "DayKind", "HolidayCalendar", "package_years"]


class DayKind(enum.StrEnum):
    """What kind of day a date is in the mainland calendar."""

    PUBLIC_HOLIDAY = "public_holiday"  # statutory holiday or its in-lieu rest day
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend day worked in exchange (调休)
    ORDINARY = "ordinary"  # follows the plain weekly pattern


class CalendarYear(BaseModel):
    """One year's holidays and make-up working days, with where they came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int
    source: str
    origin: Literal["package", "file", "snapshot"]
    official: bool = True
    holidays: dict[date, str]
    makeup_workdays: dict[date, str]

    @model_validator(mode="after")
    def _check(self) -> CalendarYear:
        problems = [
            f"{day} is not in {self.year}; move it to that year's file"
            for day in (*self.holidays, *self.makeup_workdays)
            if day.year != self.year
        ]
        problems += [
            f"{day} is both a holiday and a make-up working day; keep one"
            for day in set(self.holidays) & set(self.makeup_workdays)
        ]
        problems += [
            f"make-up working day {day} is a {day:%A}, already a working day; "
            "list only Saturdays and Sundays"
            for day in self.makeup_workdays
            if day.weekday() < 5
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def kind(self, day: date) -> DayKind:
        """The kind of `day`, which must lie in this year."""
        if day in self.holidays:
            return DayKind.PUBLIC_HOLIDAY
        if day in self.makeup_workdays:
            return DayKind.MAKEUP_WORKDAY
        return DayKind.ORDINARY


def package_years() -> range:
    """The years chinesecalendar has data for (read from its constants)."""
    years = [day.year for day in calendar_constants.holidays]
    return range(min(years), max(years) + 1)


def _year_from_package(year: int) -> CalendarYear:
    holidays: dict[date, str] = {}
    makeup: dict[date, str] = {}
    day = date(year, 1, 1)
    while day.year == year:
        is_rest, name = chinese_calendar.get_holiday_detail(day)
        if name is not None:
            (holidays if is_rest else makeup)[day] = name
        day += timedelta(days=1)
    return CalendarYear(
        year=year,
        source=f"chinesecalendar {chinese_calendar.__version__}",
        origin="package",
        holidays=holidays,
        makeup_workdays=makeup,
    )


class CalendarSnapshot(BaseModel):
    """The calendar data an evaluation used, storable as JSON, with a content hash."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    years: tuple[CalendarYear, ...]
    fingerprint: str

    @model_validator(mode="after")
    def _check_fingerprint(self) -> CalendarSnapshot:
        if self.fingerprint != _fingerprint(self.years):
            raise ValueError("fingerprint does not match the years' data; the snapshot was altered")
        return self


def _fingerprint(years: Iterable[CalendarYear]) -> str:
    digest = hashlib.sha256()
    for year in sorted(years, key=lambda y: y.year):
        # origin is bookkeeping: the same dates from a file or a snapshot hash alike.
        digest.update(year.model_dump_json(exclude={"origin"}).encode())
    return "sha256:" + digest.hexdigest()


class HolidayCalendar:
    """Holiday data by year: administrator years first, then the chinesecalendar package."""

    def __init__(
        self,
        years: Iterable[CalendarYear] = (),
        *,
        use_package: bool = True,
        accept_placeholders: bool = False,
    ) -> None:
        """Build a calendar; placeholder (non-official) years count only if accepted."""
        self._admin: dict[int, CalendarYear] = {}
        ignored: list[int] = []
        for year in years:
            if year.year in self._admin or year.year in ignored:
                raise ValueError(f"year {year.year} is given twice; keep one file per year")
            if year.official or accept_placeholders:
                self._admin[year.year] = year
            else:
                ignored.append(year.year)
        # Placeholder years left out, so the controller can say why a year is still missing.
        self.ignored_placeholders = tuple(sorted(ignored))
        self._package_range = package_years() if use_package else range(0)
        self._package_cache: dict[int, CalendarYear] = {}

    @classmethod
    def from_snapshot(cls, snapshot: CalendarSnapshot) -> HolidayCalendar:
        """A calendar holding exactly a snapshot's years, without the package."""
        return cls(snapshot.years, use_package=False, accept_placeholders=True)

    def covers(self, year: int) -> bool:
        """True if holidays and make-up days of `year` are known."""
        return year in self._admin or year in self._package_range

    def missing_years(self, start: int, end: int) -> list[int]:
        """The years in start..end (inclusive) that are not covered."""
        return [year for year in range(start, end + 1) if not self.covers(year)]

    def year(self, year: int) -> CalendarYear | None:
        """The data for `year`, or None if it is not covered."""
        if year in self._admin:
            return self._admin[year]
        if year not in self._package_range:
            return None
        if year not in self._package_cache:
            self._package_cache[year] = _year_from_package(year)
        return self._package_cache[year]

    def day_kind(self, day: date) -> DayKind | None:
        """The kind of `day`, or None if its year is not covered."""
        data = self.year(day.year)
        return None if data is None else data.kind(day)

    def snapshot(self, years: Iterable[int]) -> CalendarSnapshot:
        """The covered ones of `years` as a storable snapshot with a fingerprint."""
        data = [y for y in (self.year(n) for n in sorted(set(years))) if y is not None]
        return CalendarSnapshot(years=tuple(data), fingerprint=_fingerprint(data))

    def fingerprint(self, years: Iterable[int]) -> str:
        """A hash identifying the data of the covered ones of `years`."""
        return self.snapshot(years).fingerprint
