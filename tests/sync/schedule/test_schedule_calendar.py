"""HolidayCalendar: package years, administrator files, coverage and snapshots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sync.schedule import (
    CalendarLoadError,
    CalendarSnapshot,
    CalendarYear,
    DayKind,
    HolidayCalendar,
    load_calendar_directory,
    load_calendar_year,
    package_years,
)

REPO = Path(__file__).resolve().parents[3]


def test_package_range_comes_from_chinesecalendar() -> None:
    from chinese_calendar import constants

    years = package_years()
    assert years.start == min(constants.holidays).year
    assert years.stop - 1 == max(constants.holidays).year
    calendar = HolidayCalendar()
    assert calendar.covers(years.start) and calendar.covers(years.stop - 1)
    assert not calendar.covers(years.stop)


def test_package_day_kinds() -> None:
    calendar = HolidayCalendar()
    assert calendar.day_kind(date(2025, 1, 26)) is DayKind.MAKEUP_WORKDAY
    assert calendar.day_kind(date(2025, 10, 8)) is DayKind.PUBLIC_HOLIDAY  # in-lieu rest day
    assert calendar.day_kind(date(2025, 3, 8)) is DayKind.ORDINARY  # plain Saturday
    assert calendar.day_kind(date(2099, 1, 1)) is None


def test_missing_years() -> None:
    last = package_years().stop - 1
    assert HolidayCalendar().missing_years(last - 1, last + 2) == [last + 1, last + 2]


def _year(year: int, official: bool = True) -> CalendarYear:
    return CalendarYear(
        year=year,
        source="test",
        origin="file",
        official=official,
        holidays={date(year, 3, 3): "Test Day"},
        makeup_workdays={},
    )


def test_administrator_year_takes_precedence_over_package() -> None:
    calendar = HolidayCalendar([_year(2025)])
    assert calendar.day_kind(date(2025, 3, 3)) is DayKind.PUBLIC_HOLIDAY
    assert calendar.day_kind(date(2025, 10, 1)) is DayKind.ORDINARY  # the file replaced it


def test_placeholder_years_do_not_count_unless_accepted() -> None:
    calendar = HolidayCalendar([_year(2030, official=False)])
    assert not calendar.covers(2030)
    assert calendar.ignored_placeholders == (2030,)
    assert HolidayCalendar([_year(2030, official=False)], accept_placeholders=True).covers(2030)


def test_example_2027_file_loads_and_is_marked_placeholder() -> None:
    year = load_calendar_year(REPO / "config" / "calendar" / "2027.toml")
    assert year.year == 2027 and not year.official
    assert "PLACEHOLDER" in year.source
    assert year.holidays[date(2027, 10, 1)] == "国庆节"
    assert all(day.weekday() >= 5 for day in year.makeup_workdays)
    assert not HolidayCalendar(load_calendar_directory(REPO / "config" / "calendar")).covers(2027)


def test_calendar_file_errors_name_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "2028.toml"
    path.write_text(
        'year = 2028\nsource = "notice"\nofficial = true\n'
        '[[holidays]]\nname = "元旦"\nstart = 2027-12-31\n'
        '[[makeup_workdays]]\nname = "春节"\ndate = 2028-01-05\n',
        encoding="utf-8",
    )
    with pytest.raises(CalendarLoadError) as caught:
        load_calendar_year(path)
    message = str(caught.value)
    assert "2027-12-31 is not in 2028" in message
    assert "2028-01-05 is a Wednesday" in message


def test_snapshot_round_trips_and_detects_tampering() -> None:
    snapshot = HolidayCalendar().snapshot([2025, 2026, 2099])
    assert [y.year for y in snapshot.years] == [2025, 2026]
    restored = CalendarSnapshot.model_validate_json(snapshot.model_dump_json())
    assert restored == snapshot
    calendar = HolidayCalendar.from_snapshot(restored)
    assert calendar.covers(2025) and not calendar.covers(2024)
    assert calendar.day_kind(date(2025, 2, 8)) is DayKind.MAKEUP_WORKDAY
    data = snapshot.model_dump(mode="json")
    data["years"][0]["holidays"].pop("2025-01-01")
    with pytest.raises(ValueError, match="altered"):
        CalendarSnapshot.model_validate(data)


def test_fingerprint_depends_on_data_not_origin() -> None:
    package = HolidayCalendar().year(2025)
    assert package is not None
    as_file = package.model_copy(update={"origin": "file"})
    assert HolidayCalendar([as_file]).fingerprint([2025]) == HolidayCalendar().fingerprint([2025])
    assert HolidayCalendar([_year(2025)]).fingerprint([2025]) != HolidayCalendar().fingerprint(
        [2025]
    )


def test_a_year_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        HolidayCalendar([_year(2030), _year(2030, official=False)])
