"""Property-based checks: the compiled evaluator agrees with itself and the plain lookup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.schedule import (
    HolidayCalendar,
    Mode,
    StationSchedule,
    TimeSpan,
    Weekday,
    compile_schedule,
)
from sync.schedule.reference import reference_mode_at

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]
WINDOW_START = datetime(2025, 9, 1, tzinfo=UTC)
# Autumn and spring DST changes (north and south), National Day, New Year, Spring Festival.
WINDOW = timedelta(days=226)
CALENDAR = HolidayCalendar()
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

spans = st.builds(
    lambda start, length: TimeSpan(start=start, end=start + length),
    st.integers(0, 1439),
    st.integers(1, 1440),
)
day_hours = st.lists(spans, max_size=3).map(tuple)
weekly = st.fixed_dictionaries({day.value: day_hours for day in Weekday})
window_dates = st.dates(date(2025, 8, 28), date(2026, 4, 15))
instants = st.integers(0, int(WINDOW.total_seconds())).map(
    lambda s: WINDOW_START + timedelta(seconds=s)
)


@st.composite
def special_hours(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(window_dates)
    staffed = draw(st.none() | day_hours)
    self_service = draw(day_hours if staffed is None else st.none() | day_hours)
    return {
        "start": start,
        "end": start + timedelta(days=draw(st.integers(0, 5))),
        "staffed": staffed,
        "self_service": self_service,
    }


@st.composite
def closures(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(instants.map(lambda t: t.replace(second=0)))
    return {
        "start": start,
        "end": start + timedelta(minutes=draw(st.integers(1, 3000))),
        "reason": "test closure",
        "modes": draw(
            st.sampled_from([["staffed"], ["self_service"], ["staffed", "self_service"]])
        ),
    }


holiday_rules = st.sampled_from(["closed", "regular", "su", "mo"]) | day_hours


@st.composite
def schedules(draw: st.DrawFn) -> StationSchedule:
    return StationSchedule.model_validate(
        {
            "station_id": "hz-prop",
            "version": 1,
            "effective_from": draw(st.dates(date(2025, 8, 1), date(2026, 2, 1))),
            "timezone": draw(st.sampled_from(ZONES)),
            "weekly": {"staffed": draw(weekly), "self_service": draw(weekly)},
            "holidays": {"staffed": draw(holiday_rules), "self_service": draw(holiday_rules)},
            "makeup_workday_follows": draw(st.sampled_from(["mo", "fr", "regular"])),
            "special": draw(st.lists(special_hours(), max_size=3)),
            "closures": draw(st.lists(closures(), max_size=2)),
        }
    )


@SETTINGS
@given(schedules(), st.lists(instants, min_size=1, max_size=30))
def test_compiled_mode_at_matches_the_plain_lookup(
    document: StationSchedule, moments: list[datetime]
) -> None:
    evaluator = compile_schedule(document, CALENDAR)
    for moment in moments:
        assert evaluator.mode_at(moment) is reference_mode_at(document, moment, CALENDAR)


@SETTINGS
@given(schedules(), instants, st.lists(st.floats(0, 1, exclude_max=True), max_size=20))
def test_next_change_agrees_with_sampled_mode_at(
    document: StationSchedule, moment: datetime, fractions: list[float]
) -> None:
    evaluator = compile_schedule(document, CALENDAR)
    horizon = timedelta(days=3)
    before = evaluator.mode_at(moment)
    change = evaluator.next_change(moment, horizon)
    until = moment + horizon if change is None else change[0]
    if change is not None:
        when, after = change
        assert moment < when <= moment + horizon
        assert after is not before
        assert evaluator.mode_at(when) is after
        assert evaluator.mode_at(when - timedelta(microseconds=1)) is before
    last = until - timedelta(microseconds=1)  # float fractions may round up to `until`
    for fraction in fractions:
        assert evaluator.mode_at(min(moment + (until - moment) * fraction, last)) is before


@SETTINGS
@given(schedules(), instants, st.integers(1, 4 * 24 * 60))
def test_open_intervals_agree_with_mode_at(
    document: StationSchedule, start: datetime, minutes: int
) -> None:
    evaluator = compile_schedule(document, CALENDAR)
    end = start + timedelta(minutes=minutes)
    intervals = evaluator.open_intervals(start, end)
    cursor = start
    for interval in intervals:
        assert start <= interval.start < interval.end <= end
        assert interval.mode is not Mode.CLOSED
        if cursor < interval.start:  # a gap between open stretches is closed time
            assert evaluator.mode_at(cursor + (interval.start - cursor) / 2) is Mode.CLOSED
        for point in (interval.start, interval.end - timedelta(microseconds=1)):
            assert evaluator.mode_at(point) is interval.mode
        cursor = interval.end
    if cursor < end:
        assert evaluator.mode_at(cursor + (end - cursor) / 2) is Mode.CLOSED
    for mode in (Mode.STAFFED, Mode.SELF_SERVICE):
        assert evaluator.open_intervals(start, end, mode) == [
            i for i in intervals if i.mode is mode
        ]


@SETTINGS
@given(schedules())
def test_document_json_round_trip(document: StationSchedule) -> None:
    assert StationSchedule.from_json(document.to_json()) == document


@SETTINGS
@given(schedules(), st.lists(instants, min_size=2, max_size=25))
def test_one_evaluator_asked_in_any_order_answers_as_fresh_ones(
    document: StationSchedule, moments: list[datetime]
) -> None:
    shared = compile_schedule(document, CALENDAR)  # compiles and keeps answers as it goes
    horizon = timedelta(days=10)
    for moment in [*moments, *reversed(moments)]:
        fresh = compile_schedule(document, CALENDAR)
        assert shared.next_change(moment, horizon) == fresh.next_change(moment, horizon)
        assert shared.mode_at(moment) is fresh.mode_at(moment)
