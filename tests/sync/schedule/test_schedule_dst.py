"""Daylight-saving transitions and other IANA zones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sync.schedule import Mode, OpenInterval, StationSchedule, compile_schedule

Factory = Callable[..., StationSchedule]
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _station(factory: Factory, zone: str, self_service: dict[str, list[str]]) -> StationSchedule:
    return factory(
        timezone=zone,
        weekly={"self_service": self_service},
        holidays={"staffed": "regular", "self_service": "regular"},
    )


def _hours(intervals: list[OpenInterval]) -> float:
    return sum(i.duration.total_seconds() for i in intervals) / 3600


def test_berlin_spring_forward_shortens_a_night_span(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(
        _station(schedule_factory, "Europe/Berlin", {"daily": ["01:00-04:00"]})
    )
    day = datetime(2026, 3, 29, tzinfo=BERLIN)
    intervals = evaluator.open_intervals(day, day + timedelta(hours=12))
    assert _hours(intervals) == 2  # 02:00-03:00 does not exist that night
    assert intervals[0].start.utcoffset() == timedelta(hours=1)
    assert intervals[0].end.utcoffset() == timedelta(hours=2)
    assert evaluator.mode_at(datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)) is Mode.SELF_SERVICE
    assert evaluator.mode_at(datetime(2026, 3, 29, 4, 0, tzinfo=BERLIN)) is Mode.CLOSED


def test_berlin_span_inside_the_gap_vanishes(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(
        _station(schedule_factory, "Europe/Berlin", {"daily": ["02:15-02:45"]})
    )
    gap_day = datetime(2026, 3, 29, tzinfo=BERLIN)
    assert evaluator.open_intervals(gap_day, gap_day + timedelta(hours=12)) == []
    other_day = datetime(2026, 3, 30, tzinfo=BERLIN)
    assert _hours(evaluator.open_intervals(other_day, other_day + timedelta(hours=12))) == 0.5


def test_berlin_fall_back_lengthens_a_night_span(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(
        _station(schedule_factory, "Europe/Berlin", {"daily": ["01:00-04:00"]})
    )
    day = datetime(2026, 10, 25, tzinfo=BERLIN)
    assert _hours(evaluator.open_intervals(day, day + timedelta(hours=12))) == 4
    # Both occurrences of 02:30 are open.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert evaluator.mode_at(first) is Mode.SELF_SERVICE
    assert evaluator.mode_at(first + timedelta(hours=1)) is Mode.SELF_SERVICE


def test_new_york_midnight_span_over_fall_back(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(
        _station(schedule_factory, "America/New_York", {"sa": ["20:00-02:00"]})
    )
    saturday = datetime(2026, 10, 31, 12, tzinfo=NEW_YORK)
    intervals = evaluator.open_intervals(saturday, saturday + timedelta(days=1))
    assert _hours(intervals) == 7
    assert intervals[0].end == datetime(2026, 11, 1, 2, 0, tzinfo=NEW_YORK)
    assert intervals[0].end.utcoffset() == timedelta(hours=-5)


def test_new_york_midnight_span_over_spring_forward(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(
        _station(schedule_factory, "America/New_York", {"sa": ["20:00-02:30"]})
    )
    saturday = datetime(2026, 3, 7, 12, tzinfo=NEW_YORK)
    [interval] = evaluator.open_intervals(saturday, saturday + timedelta(days=1))
    assert interval.end == datetime(2026, 3, 8, 3, 0, tzinfo=NEW_YORK)  # end of the gap
    assert _hours([interval]) == 6


def test_next_change_is_returned_in_station_time(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(
        _station(schedule_factory, "America/New_York", {"daily": ["00:00-01:30"]})
    )
    change = evaluator.next_change(datetime(2026, 11, 1, 0, 30, tzinfo=NEW_YORK))
    assert change is not None
    when, mode = change
    assert mode is Mode.CLOSED
    assert (when.hour, when.minute, when.utcoffset()) == (1, 30, timedelta(hours=-4))


def test_hours_per_day_on_a_23_hour_day(schedule_factory: Factory) -> None:
    evaluator = compile_schedule(
        _station(schedule_factory, "Europe/Berlin", {"daily": ["00:00-24:00"]})
    )
    hours = evaluator.open_hours_per_day(date(2026, 3, 29), date(2026, 3, 29))
    assert hours[Mode.SELF_SERVICE] == 23
    assert hours[Mode.CLOSED] == 0


@pytest.mark.parametrize(
    "zone", ["Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "UTC"]
)
def test_any_iana_zone_evaluates_in_local_wall_time(schedule_factory: Factory, zone: str) -> None:
    tz = ZoneInfo(zone)
    evaluator = compile_schedule(_station(schedule_factory, zone, {"daily": ["09:00-17:00"]}))
    for day in (date(2026, 1, 15), date(2026, 7, 15)):
        assert (
            evaluator.mode_at(datetime(day.year, day.month, day.day, 9, tzinfo=tz))
            is Mode.SELF_SERVICE
        )
        assert (
            evaluator.mode_at(datetime(day.year, day.month, day.day, 8, 59, tzinfo=tz))
            is Mode.CLOSED
        )
        instant_utc = datetime(day.year, day.month, day.day, 12, tzinfo=tz).astimezone(UTC)
        assert evaluator.mode_at(instant_utc) is Mode.SELF_SERVICE
