"""The compiled evaluator: modes, midnight spans, closures, changes, intervals, statistics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from sync.schedule import (
    CalendarYear,
    HolidayCalendar,
    Mode,
    NaiveDatetimeError,
    ScheduleError,
    StationSchedule,
    compile_schedule,
)

Factory = Callable[..., StationSchedule]
At = Callable[[str], datetime]

LATE_NIGHT = {
    "staffed": {"fr": ["18:00-21:00"]},
    "self_service": {"fr": ["20:00-02:00"], "sa": ["23:00-24:00"]},
}


def test_staffed_beats_self_service_where_they_overlap(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(schedule_factory())
    assert evaluator.mode_at(at("2025-03-03T06:59")) is Mode.CLOSED
    assert evaluator.mode_at(at("2025-03-03T07:00")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at("2025-03-03T17:30")) is Mode.STAFFED
    assert evaluator.mode_at(at("2025-03-03T21:00")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at("2025-03-03T22:30")) is Mode.CLOSED


def test_span_past_midnight_belongs_to_the_day_it_starts(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(schedule_factory(weekly=LATE_NIGHT))
    assert evaluator.mode_at(at("2025-03-07T20:30")) is Mode.STAFFED  # Friday
    assert evaluator.mode_at(at("2025-03-07T21:30")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at("2025-03-08T01:59")) is Mode.SELF_SERVICE  # Saturday morning
    assert evaluator.mode_at(at("2025-03-08T02:00")) is Mode.CLOSED
    assert evaluator.mode_at(at("2025-03-08T23:30")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at("2025-03-09T00:00")) is Mode.CLOSED


def test_a_closed_special_day_cuts_the_night_before_at_midnight(
    schedule_factory: Factory, at: At
) -> None:
    special = [{"start": "2025-03-08", "closed": True}]  # Saturday
    evaluator = compile_schedule(schedule_factory(weekly=LATE_NIGHT, special=special))
    assert evaluator.mode_at(at("2025-03-07T23:59")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at("2025-03-08T00:00")) is Mode.CLOSED
    assert evaluator.mode_at(at("2025-03-08T01:00")) is Mode.CLOSED
    assert evaluator.mode_at(at("2025-03-08T23:30")) is Mode.CLOSED


def test_span_past_new_year_crosses_the_compiled_year(schedule_factory: Factory, at: At) -> None:
    weekly = {"self_service": {"daily": ["22:00-03:00"]}}
    evaluator = compile_schedule(schedule_factory(weekly=weekly, holidays={"staffed": "closed"}))
    assert evaluator.mode_at(at("2026-01-01T02:00")) is Mode.SELF_SERVICE
    assert evaluator.next_change(at("2025-12-31T21:00")) == (
        at("2025-12-31T22:00"),
        Mode.SELF_SERVICE,
    )
    assert evaluator.next_change(at("2025-12-31T23:00")) == (at("2026-01-01T03:00"), Mode.CLOSED)


def test_later_special_entry_wins(schedule_factory: Factory, at: At) -> None:
    special = [
        {"start": "2025-03-01", "end": "2025-03-31", "closed": True},
        {"start": "2025-03-10", "self_service": ["10:00-11:00"]},
    ]
    evaluator = compile_schedule(schedule_factory(special=special))
    assert evaluator.mode_at(at("2025-03-09T10:30")) is Mode.CLOSED
    assert evaluator.mode_at(at("2025-03-10T10:30")) is Mode.SELF_SERVICE
    assert evaluator.mode_at(at("2025-03-10T18:00")) is Mode.CLOSED  # staffed from 1st entry


def test_closure_of_one_mode_keeps_the_other(schedule_factory: Factory, at: At) -> None:
    closure = {
        "start": "2025-03-03T00:00:00+08:00",
        "end": "2025-03-04T00:00:00+08:00",
        "reason": "officers at training",
        "modes": ["staffed"],
    }
    evaluator = compile_schedule(schedule_factory(closures=[closure]))
    assert evaluator.mode_at(at("2025-03-03T18:00")) is Mode.SELF_SERVICE


def test_closure_given_in_utc_applies_at_that_instant(schedule_factory: Factory, at: At) -> None:
    closure = {"start": "2025-03-03T10:00:00Z", "end": "2025-03-03T12:00:00Z", "reason": "x"}
    evaluator = compile_schedule(schedule_factory(closures=[closure]))
    assert evaluator.mode_at(at("2025-03-03T18:30")) is Mode.CLOSED  # 10:30 UTC
    assert evaluator.mode_at(at("2025-03-03T20:00")) is Mode.STAFFED


def test_nothing_applies_before_effective_from(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(schedule_factory(effective_from="2025-03-03"))
    assert evaluator.mode_at(at("2025-03-02T10:00")) is Mode.CLOSED
    assert evaluator.mode_at(at("2025-03-03T10:00")) is Mode.SELF_SERVICE


def test_naive_datetimes_are_rejected(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(schedule_factory())
    naive = datetime(2025, 3, 3, 10, 0)
    with pytest.raises(NaiveDatetimeError, match="no time zone"):
        evaluator.mode_at(naive)
    with pytest.raises(NaiveDatetimeError):
        evaluator.next_change(naive)
    with pytest.raises(NaiveDatetimeError, match="end="):
        evaluator.open_intervals(naive.replace(tzinfo=UTC), naive)


def test_next_change_reports_time_and_new_mode(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(schedule_factory())
    assert evaluator.next_change(at("2025-03-03T12:00")) == (at("2025-03-03T17:30"), Mode.STAFFED)
    assert evaluator.next_change(at("2025-03-03T17:30")) == (
        at("2025-03-03T21:00"),
        Mode.SELF_SERVICE,
    )


def test_next_change_is_none_beyond_the_horizon(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(
        schedule_factory(weekly={"self_service": {"daily": ["00:00-24:00"]}})
    )
    assert evaluator.next_change(at("2025-03-03T12:00"), horizon=timedelta(days=30)) is None
    closed = compile_schedule(schedule_factory(weekly={}))
    assert closed.next_change(at("2025-03-03T12:00")) is None


def test_open_intervals_lists_each_mode_stretch(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(schedule_factory())
    intervals = evaluator.open_intervals(at("2025-03-03T12:00"), at("2025-03-04T00:00"))
    assert [(i.start, i.end, i.mode) for i in intervals] == [
        (at("2025-03-03T12:00"), at("2025-03-03T17:30"), Mode.SELF_SERVICE),
        (at("2025-03-03T17:30"), at("2025-03-03T21:00"), Mode.STAFFED),
        (at("2025-03-03T21:00"), at("2025-03-03T22:30"), Mode.SELF_SERVICE),
    ]
    staffed = evaluator.open_intervals(at("2025-03-03T00:00"), at("2025-03-05T00:00"), Mode.STAFFED)
    assert [(i.start, i.end) for i in staffed] == [
        (at("2025-03-03T17:30"), at("2025-03-03T21:00")),
        (at("2025-03-04T17:30"), at("2025-03-04T21:00")),
    ]


def test_open_intervals_rejects_reversed_range(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(schedule_factory())
    with pytest.raises(ScheduleError, match="swap"):
        evaluator.open_intervals(at("2025-03-04T00:00"), at("2025-03-03T00:00"))
    assert evaluator.open_intervals(at("2025-03-04T00:00"), at("2025-03-04T00:00")) == []


def test_open_hours_per_day_averages_each_mode(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(schedule_factory())
    week = evaluator.open_hours_per_day(date(2025, 3, 3), date(2025, 3, 9))  # Mon-Sun
    assert week[Mode.STAFFED] == pytest.approx((5 * 3.5 + 2 * 8) / 7)
    assert week[Mode.SELF_SERVICE] == pytest.approx(15.5 - (5 * 3.5 + 2 * 8) / 7)
    assert week[Mode.CLOSED] == pytest.approx(8.5)


def test_evening_and_weekend_shares(schedule_factory: Factory) -> None:
    stats = compile_schedule(schedule_factory()).open_time_stats(date(2025, 3, 3), date(2025, 3, 9))
    open_hours = 7 * 15.5
    assert stats.days == 7
    assert stats.open_hours_per_day == pytest.approx(15.5)
    assert stats.evening_share == pytest.approx(5 * 4.5 / open_hours)
    assert stats.weekend_share == pytest.approx(2 * 15.5 / open_hours)
    assert stats.staffed_evening_share == pytest.approx(5 * 3 / (5 * 3.5 + 16))
    assert stats.staffed_weekend_share == pytest.approx(16 / (5 * 3.5 + 16))


def test_uncovered_year_falls_back_to_weekly_hours_and_is_reported(
    schedule_factory: Factory, at: At
) -> None:
    reported: list[int] = []
    evaluator = compile_schedule(schedule_factory(), on_uncovered_year=reported.append)
    # 2027-10-01 is a Friday: without holiday data it is an ordinary staffed evening.
    assert evaluator.mode_at(at("2027-10-01T18:00")) is Mode.STAFFED
    evaluator.mode_at(at("2027-10-02T18:00"))
    assert evaluator.uncovered_years == {2027}
    assert reported == [2027]


def test_covered_years_are_not_reported(schedule_factory: Factory, at: At) -> None:
    evaluator = compile_schedule(schedule_factory())
    evaluator.open_intervals(at("2025-01-01T00:00"), at("2026-12-31T00:00"))
    assert evaluator.uncovered_years == frozenset()


def test_administrator_year_fills_the_gap(schedule_factory: Factory, at: At) -> None:
    year = CalendarYear(
        year=2027,
        source="test notice",
        origin="file",
        holidays={date(2027, 10, 1): "National Day"},
        makeup_workdays={},
    )
    evaluator = compile_schedule(schedule_factory(), HolidayCalendar([year]))
    assert evaluator.mode_at(at("2027-10-01T18:00")) is Mode.SELF_SERVICE
    assert evaluator.uncovered_years == frozenset()
    snapshot = evaluator.calendar_snapshot()
    assert [y.year for y in snapshot.years] == [2027]  # October reads no other year


def test_instants_beyond_the_calendar_years_are_refused(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(schedule_factory())
    with pytest.raises(ScheduleError, match="outside the years"):
        evaluator.mode_at(datetime(9999, 6, 1, tzinfo=UTC))


def test_statistics_refuse_a_reversed_date_range(schedule_factory: Factory) -> None:
    with pytest.raises(ScheduleError, match="swap"):
        compile_schedule(schedule_factory()).open_hours_per_day(date(2025, 3, 9), date(2025, 3, 3))


def test_snapshot_calendar_evaluates_like_the_original(schedule_factory: Factory, at: At) -> None:
    original = compile_schedule(schedule_factory())
    original.open_intervals(at("2025-01-01T00:00"), at("2025-12-31T00:00"))
    replay = compile_schedule(
        schedule_factory(), HolidayCalendar.from_snapshot(original.calendar_snapshot())
    )
    start, end = at("2025-01-01T00:00"), at("2025-12-31T00:00")
    assert replay.open_intervals(start, end) == original.open_intervals(start, end)
    assert replay.uncovered_years == frozenset()
