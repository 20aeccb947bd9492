"""Hand-checked 2025 and 2026 holidays and make-up working days (调休) on a demo station."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import chinese_calendar
import pytest

from sync.schedule import Mode, StationSchedule, compile_schedule

# (date, holiday name in chinesecalendar): weekend days worked in exchange for a holiday.
MAKEUP_DAYS = [
    (date(2025, 1, 26), "Spring Festival"),  # Sunday
    (date(2025, 2, 8), "Spring Festival"),  # Saturday
    (date(2025, 4, 27), "Labour Day"),  # Sunday
    (date(2025, 9, 28), "National Day"),  # Sunday
    (date(2025, 10, 11), "National Day"),  # Saturday
    (date(2026, 1, 4), "New Year's Day"),  # Sunday
    (date(2026, 2, 14), "Spring Festival"),  # Saturday
    (date(2026, 2, 28), "Spring Festival"),  # Saturday
    (date(2026, 5, 9), "Labour Day"),  # Saturday
    (date(2026, 9, 20), "National Day"),  # Sunday
    (date(2026, 10, 10), "National Day"),  # Saturday
]
# Weekday public holidays (or in-lieu rest days) on which a weekday would normally be staffed.
WEEKDAY_HOLIDAYS = [
    date(2025, 1, 1),
    date(2025, 1, 28),
    date(2025, 2, 4),
    date(2025, 5, 5),
    date(2025, 10, 1),
    date(2025, 10, 8),
    date(2026, 1, 2),
    date(2026, 2, 16),
    date(2026, 2, 23),
    date(2026, 10, 1),
    date(2026, 10, 7),
]


def test_hand_checked_days_match_chinesecalendar() -> None:
    for day, name in MAKEUP_DAYS:
        assert day.weekday() >= 5
        assert chinese_calendar.is_workday(day)
        assert chinese_calendar.get_holiday_detail(day) == (False, name)
    for day in WEEKDAY_HOLIDAYS:
        assert day.weekday() < 5
        assert chinese_calendar.is_holiday(day)
        assert chinese_calendar.get_holiday_detail(day)[1] is not None


@pytest.mark.parametrize(("day", "name"), MAKEUP_DAYS)
def test_makeup_weekend_day_follows_monday_hours(
    schedule_factory: Callable[..., StationSchedule],
    at: Callable[[str], datetime],
    day: date,
    name: str,
) -> None:
    evaluator = compile_schedule(schedule_factory())
    # A plain weekend day would be staffed 09:00-17:00; Monday's hours staff 17:30-21:00.
    assert evaluator.mode_at(at(f"{day}T10:00")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at(f"{day}T18:00")) is Mode.STAFFED
    assert evaluator.mode_at(at(f"{day}T21:30")) is Mode.SELF_SERVICE


def test_makeup_day_can_follow_another_weekday(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime]
) -> None:
    evaluator = compile_schedule(schedule_factory(makeup_workday_follows="sa"))
    assert evaluator.mode_at(at("2025-01-26T10:00")) is Mode.STAFFED


def test_makeup_rule_regular_keeps_weekend_hours(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime]
) -> None:
    evaluator = compile_schedule(schedule_factory(makeup_workday_follows="regular"))
    assert evaluator.mode_at(at("2025-02-08T10:00")) is Mode.STAFFED


@pytest.mark.parametrize("day", WEEKDAY_HOLIDAYS)
def test_public_holiday_closes_staffed_but_keeps_kiosk(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime], day: date
) -> None:
    evaluator = compile_schedule(schedule_factory())
    assert evaluator.mode_at(at(f"{day}T18:00")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at(f"{day}T23:00")) is Mode.CLOSED


def test_ordinary_days_around_holidays_keep_weekly_hours(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime]
) -> None:
    evaluator = compile_schedule(schedule_factory())
    assert evaluator.mode_at(at("2025-01-27T18:00")) is Mode.STAFFED  # Monday before 春节
    assert evaluator.mode_at(at("2025-01-19T10:00")) is Mode.STAFFED  # ordinary Sunday
    assert evaluator.mode_at(at("2026-10-09T18:00")) is Mode.STAFFED  # Friday after 国庆


def test_holiday_following_sunday_hours(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime]
) -> None:
    evaluator = compile_schedule(
        schedule_factory(holidays={"staffed": "su", "self_service": "regular"})
    )
    assert evaluator.mode_at(at("2025-10-01T10:00")) is Mode.STAFFED
    assert evaluator.mode_at(at("2025-10-01T18:00")) is Mode.SELF_SERVICE


def test_holiday_template_hours(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime]
) -> None:
    evaluator = compile_schedule(
        schedule_factory(holidays={"staffed": ["09:00-12:00"], "self_service": "closed"})
    )
    assert evaluator.mode_at(at("2026-10-02T10:00")) is Mode.STAFFED
    assert evaluator.mode_at(at("2026-10-02T13:00")) is Mode.CLOSED


def test_special_hours_beat_the_holiday_rule(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime]
) -> None:
    special = [{"start": "2026-10-01", "end": "2026-10-03", "staffed": ["10:00-11:00"]}]
    evaluator = compile_schedule(schedule_factory(special=special))
    assert evaluator.mode_at(at("2026-10-02T10:30")) is Mode.STAFFED
    assert evaluator.mode_at(at("2026-10-04T10:30")) is Mode.SELF_SERVICE  # holiday rule again


def test_closure_overrides_a_holiday_template(
    schedule_factory: Callable[..., StationSchedule], at: Callable[[str], datetime]
) -> None:
    closure = {
        "start": "2025-10-01T09:00:00+08:00",
        "end": "2025-10-01T14:00:00+08:00",
        "reason": "flooded entrance",
    }
    evaluator = compile_schedule(
        schedule_factory(holidays={"staffed": "su", "self_service": "su"}, closures=[closure])
    )
    assert evaluator.mode_at(at("2025-10-01T08:00")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at("2025-10-01T11:00")) is Mode.CLOSED
    assert evaluator.mode_at(at("2025-10-01T15:00")) is Mode.STAFFED
