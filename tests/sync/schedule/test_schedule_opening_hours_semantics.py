"""opening_hours strings mean here what they mean in opening_hours.js.

Every instant below was checked once by hand against opening_hours.js 3.15.0 (and
bench/bench_opening_hours.py compares both on every run); the suite itself needs no Node.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.schedule import (
    CalendarYear,
    HolidayCalendar,
    Mode,
    OpeningHoursSyntaxError,
    ScheduleEvaluator,
    StationSchedule,
    TimeSpan,
    apply_opening_hours,
    compile_schedule,
    export_opening_hours,
    format_opening_hours,
    load_schedule_directory,
    parse_opening_hours,
)
from sync.schedule.reference import reference_mode_at

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPO = Path(__file__).resolve().parents[3]
BASE = StationSchedule(
    station_id="hz-oh-semantics",
    version=1,
    effective_from=date(2020, 1, 1),
    makeup_workday_follows="regular",
)
# Labour Day 2026 alone (a Friday), so "the day after the holiday" is an ordinary Saturday.
LABOUR_DAY_ONLY = HolidayCalendar(
    [
        CalendarYear(
            year=2026,
            source="test: one holiday",
            origin="file",
            holidays={date(2026, 5, 1): "劳动节"},
            makeup_workdays={},
        )
    ],
    use_package=False,
)


def _evaluator(text: str, calendar: HolidayCalendar = LABOUR_DAY_ONLY) -> ScheduleEvaluator:
    document = apply_opening_hours(BASE, Mode.STAFFED, parse_opening_hours(text))
    return compile_schedule(document, calendar)


def _open(evaluator: ScheduleEvaluator, wall: str) -> bool:
    instant = datetime.fromisoformat(wall).replace(tzinfo=SHANGHAI)
    return evaluator.mode_at(instant) is not Mode.CLOSED


@pytest.mark.parametrize(
    ("text", "wall", "is_open"),
    [
        # A later rule owns the whole day it selects, the night before's spill included.
        ("Fr 20:00-02:00", "2026-01-10T01:00", True),  # nothing owns Saturday: it spills
        ("Fr 20:00-02:00; Sa off", "2026-01-09T23:59", True),
        ("Fr 20:00-02:00; Sa off", "2026-01-10T00:00", False),
        ("Fr 20:00-02:00; Sa off", "2026-01-10T01:59", False),
        ("Mo-Sa 18:00-02:00; Su off", "2026-01-10T23:59", True),
        ("Mo-Sa 18:00-02:00; Su off", "2026-01-11T00:00", False),
        ("Mo-Sa 18:00-02:00; Su off", "2026-01-11T01:59", False),
        ("Mo-Sa 18:00-02:00; Su off", "2026-01-12T01:00", False),  # Mo-Sa never selects Su
        ("Mo-Fr 18:00-02:00; We off", "2026-01-06T23:00", True),
        ("Mo-Fr 18:00-02:00; We off", "2026-01-07T01:00", False),
        ("Mo-Fr 18:00-02:00; We off", "2026-01-07T19:00", False),
        # The Mo-Fr rule still selects Wednesday, so its night runs into Thursday.
        ("Mo-Fr 18:00-02:00; We off", "2026-01-08T01:00", True),
        ("Mo-Fr 18:00-02:00; Sa 10:00-12:00", "2026-01-10T01:00", False),
        ("Sa 10:00-12:00; Mo-Fr 18:00-02:00", "2026-01-10T01:00", True),  # order matters
        ("Mo-Su 18:00-02:00; 2026 Jan 02 off", "2026-01-01T23:00", True),
        ("Mo-Su 18:00-02:00; 2026 Jan 02 off", "2026-01-02T01:00", False),
        ("Mo-Su 18:00-02:00; 2026 Jan 02 off", "2026-01-02T19:00", False),
        ("Mo-Su 18:00-02:00; 2026 Jan 02 off", "2026-01-03T01:00", True),
        # PH with a night span: the holiday is closed from midnight, the day after opens.
        ("Mo-Su 20:00-03:00; PH off", "2026-04-30T23:00", True),
        ("Mo-Su 20:00-03:00; PH off", "2026-05-01T00:00", False),
        ("Mo-Su 20:00-03:00; PH off", "2026-05-01T02:59", False),
        ("Mo-Su 20:00-03:00; PH off", "2026-05-01T21:00", False),
        ("Mo-Su 20:00-03:00; PH off", "2026-05-02T00:00", True),
        ("Mo-Su 20:00-03:00; PH off", "2026-05-02T02:59", True),
        ("Mo-Su 20:00-03:00; PH off", "2026-05-02T03:00", False),
        # A rule without selector after one with a selector adds to it.
        ("Mo 10:00-12:00; 14:00-16:00", "2026-01-05T11:00", True),
        ("Mo 10:00-12:00; 14:00-16:00", "2026-01-06T11:00", False),
        ("Mo 10:00-12:00; 14:00-16:00", "2026-01-06T15:00", True),
    ],
)
def test_rules_read_as_opening_hours_reads_them(text: str, wall: str, is_open: bool) -> None:
    assert _open(_evaluator(text), wall) is is_open


@pytest.mark.parametrize(
    "text",
    [
        "Fr 20:00-02:00; Sa off",
        "Mo-Sa 18:00-02:00; Su off",
        "Mo-Fr 18:00-02:00; We off",
        "Mo-Fr 18:00-02:00; Sa-Su 10:00-01:00",
        "Mo-Su 18:00-02:00; 2026 Jan 02 off",
        "Mo-Su 20:00-03:00; PH off",
        "Mo 10:00-12:00; 14:00-16:00",
    ],
)
def test_the_export_of_a_rule_set_means_the_same(text: str) -> None:
    exported = format_opening_hours(parse_opening_hours(text))
    original, copy = _evaluator(text), _evaluator(exported)
    for day in range(1, 15):
        for hour in range(24):
            wall = f"2026-05-{day:02d}T{hour:02d}:30"
            assert _open(original, wall) is _open(copy, wall), (exported, wall)


def test_an_exported_week_keeps_every_night_running_into_the_next_day() -> None:
    # Weekdays run into Saturday and the weekend into Monday: no order of two rules says
    # that, so one night (Sunday's) is written out as Monday's early hours instead.
    weekly = {"staffed": {"mo-fr": ["18:00-02:00"], "sa-su": ["10:00-01:00"]}}
    document = BASE.model_copy(update={"weekly": BASE.weekly.model_validate(weekly)})
    document = StationSchedule.model_validate(
        {**document.model_dump(), "holidays": {"staffed": "regular"}}
    )
    exported = export_opening_hours(document, Mode.STAFFED)
    assert exported == (
        "Su 10:00-24:00; Sa 10:00-01:00; Tu-Fr 18:00-02:00; Mo 00:00-01:00,18:00-02:00"
    )
    original, copy = compile_schedule(document, LABOUR_DAY_ONLY), _evaluator(exported)
    for day in range(4, 12):
        for hour in range(24):
            wall = f"2026-01-{day:02d}T{hour:02d}:30"
            assert _open(original, wall) is _open(copy, wall), wall
    assert _open(copy, "2026-01-10T01:30") and _open(copy, "2026-01-12T00:30")


def test_hours_with_a_comment_stay_open_and_keep_the_comment() -> None:
    hours = parse_opening_hours('Mo-Fr 08:00-17:00 "by appointment"; Sa off "closed"')
    evaluator = _evaluator('Mo-Fr 08:00-17:00 "by appointment"; Sa off "closed"')
    assert evaluator.mode_at(datetime(2026, 1, 5, 10, tzinfo=SHANGHAI)) is Mode.STAFFED
    assert evaluator.note_on(date(2026, 1, 5), Mode.STAFFED) == "by appointment"
    assert evaluator.note_on(date(2026, 1, 10), Mode.STAFFED) == "closed"
    assert evaluator.note_on(date(2026, 1, 11), Mode.STAFFED) == ""
    # "open" before the comment: what opening_hours.js reads as open, not "unknown".
    assert format_opening_hours(hours) == (
        'Mo-Fr 08:00-17:00 open "by appointment"; Sa off "closed"'
    )
    assert parse_opening_hours(format_opening_hours(hours)) == hours


def test_holiday_and_dated_comments_are_kept() -> None:
    evaluator = _evaluator('Mo-Su 10:00-12:00; PH off "劳动节"; 2026 May 02 off "inventory"')
    assert evaluator.note_on(date(2026, 5, 1), Mode.STAFFED) == "劳动节"
    assert evaluator.note_on(date(2026, 5, 2), Mode.STAFFED) == "inventory"
    assert evaluator.note_on(date(2026, 5, 3), Mode.STAFFED) == ""


def test_a_range_across_months_is_read_in_both_forms_and_written_in_the_standard_one() -> None:
    old = parse_opening_hours("2026 Sep 28-Oct 08 off")
    standard = parse_opening_hours("2026 Sep 28-2026 Oct 08 off")
    assert old == standard
    assert format_opening_hours(old) == "2026 Sep 28-2026 Oct 08 off"
    assert format_opening_hours(parse_opening_hours("2026 Oct 01-07 off")) == "2026 Oct 01-07 off"


@pytest.mark.parametrize(
    ("text", "column", "digit"),
    [
        ("Mo-Fr ０８:00-17:00", 7, "０"),  # fullwidth
        ("Mo-Fr 08:00-1７:00", 14, "７"),
        ("Mo-Fr 08:0٠-17:00", 11, "٠"),  # Arabic-Indic
        ("２０２６ Oct 01 off", 1, "２"),
        ("2026 Oct ०1 off", 10, "०"),  # Devanagari
        ("2026 Oct 01-0٧ off", 14, "٧"),
    ],
)
def test_only_ascii_digits_are_digits(text: str, column: int, digit: str) -> None:
    with pytest.raises(OpeningHoursSyntaxError) as caught:
        parse_opening_hours(text)
    assert caught.value.column == column
    assert "ASCII digits" in caught.value.expected
    assert f"U+{ord(digit):04X}" in str(caught.value)


@pytest.mark.parametrize("value", [None, 42, b"Mo-Fr 08:00-17:00", ["Mo off"]])
def test_a_value_that_is_not_text_raises_the_parsers_own_error(value: object) -> None:
    with pytest.raises(OpeningHoursSyntaxError, match="a str") as caught:
        parse_opening_hours(value)  # type: ignore[arg-type]
    assert caught.value.column == 1


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("PH off; PH 10:00-12:00", 9, "PH in one rule only"),
        ("Mo 10:00-12:00; Su,PH 20:00-03:00", 17, "PH in a rule of its own"),
    ],
)
def test_what_the_document_cannot_say_is_refused(text: str, column: int, expected: str) -> None:
    with pytest.raises(OpeningHoursSyntaxError) as caught:
        parse_opening_hours(text)
    assert caught.value.column == column
    assert expected in caught.value.expected


def test_every_station_schedule_round_trips_through_its_export() -> None:
    documents = load_schedule_directory(REPO / "config" / "schedules")
    assert documents
    for document in documents.values():
        for mode in (Mode.STAFFED, Mode.SELF_SERVICE):
            exported = export_opening_hours(document, mode)
            again = apply_opening_hours(document, mode, parse_opening_hours(exported))
            assert export_opening_hours(again, mode) == exported
            assert "-Oct" not in exported and "-Sep" not in exported  # both years written


# --- property-based -------------------------------------------------------------------

_WALK_START = datetime(2026, 4, 27, tzinfo=SHANGHAI)  # Monday before the holiday
_SPANS = st.sampled_from(
    ["18:00-02:00", "20:00-03:00", "22:00-24:00", "00:00-24:00", "09:00-12:00",
     "23:30-00:30", "10:00-26:00", "07:00-22:30", "00:00-01:00", "13:00-13:01"]
)  # fmt: skip
_BODIES = st.just("off") | st.lists(_SPANS, min_size=1, max_size=2).map(",".join)
_DAYS = st.sampled_from(["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "Mo-Fr", "Fr-Mo", "Sa,Su"])
_WEEKDAY_RULES = st.lists(st.builds("{} {}".format, _DAYS, _BODIES), max_size=4)
_DATED = st.builds(
    lambda first, length, body: (
        f"2026 May {first:02d}" + (f"-{first + length:02d}" if length else "") + f" {body}"
    ),
    st.integers(1, 8),
    st.integers(0, 2),
    _BODIES,
)
_RULE_SETS = st.builds(
    lambda lead, weekly, ph, dated: "; ".join([*lead, *weekly, *ph, *dated]),
    st.lists(_BODIES, max_size=1),
    _WEEKDAY_RULES,
    st.lists(st.builds("PH {}".format, _BODIES), max_size=1),
    st.lists(_DATED, max_size=2),
).filter(bool)


@settings(max_examples=120, deadline=None)
@given(_RULE_SETS, st.integers(0, 9 * 24 * 60))
def test_next_change_agrees_with_the_mode_minute_by_minute(text: str, offset: int) -> None:
    evaluator = _evaluator(text)
    document = evaluator.document
    moment = _WALK_START + timedelta(minutes=offset)
    end = moment + timedelta(days=3)
    while moment < end:
        mode = evaluator.mode_at(moment)
        change = evaluator.next_change(moment, end - moment)
        until = end if change is None else change[0]
        minute = moment + timedelta(minutes=1)
        while minute < until:
            assert evaluator.mode_at(minute) is mode, (text, minute)
            if minute.minute % 17 == 0:
                assert reference_mode_at(document, minute, LABOUR_DAY_ONLY) is mode
            minute += timedelta(minutes=1)
        if change is None:
            break
        assert change[1] is not mode and evaluator.mode_at(until) is change[1]
        assert until.second == 0 and until.microsecond == 0  # changes fall on minutes
        moment = until


_DOCUMENT_SPANS = st.builds(
    lambda start, length: TimeSpan(start=start, end=start + length),
    st.integers(0, 1439),
    st.integers(1, 1440),
)
_DAY_HOURS = st.lists(_DOCUMENT_SPANS, max_size=2).map(tuple)
_NOTES = st.sampled_from(["", "", "by appointment", '预约 "only"'])


@st.composite
def _documents(draw: st.DrawFn) -> StationSchedule:
    special = [
        {
            "start": date(2026, 5, draw(st.integers(1, 8))),
            "staffed": draw(_DAY_HOURS),
            "note": draw(_NOTES),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    return StationSchedule.model_validate(
        {
            **BASE.model_dump(),
            "weekly": {
                "staffed": {
                    **{day: draw(_DAY_HOURS) for day in ("mo", "tu", "we", "th", "fr", "sa", "su")},
                    "notes": {"mo-fr": draw(_NOTES), "sa": draw(_NOTES)},
                }
            },
            "holidays": {
                "staffed": draw(st.sampled_from(["closed", "regular", "su"]) | _DAY_HOURS),
                "staffed_note": draw(_NOTES),
            },
            "special": special,
        }
    )


@settings(max_examples=150, deadline=None)
@given(_documents(), st.lists(st.integers(0, 14 * 24 * 60), min_size=20, max_size=20))
def test_a_generated_schedule_round_trips_and_means_the_same(
    document: StationSchedule, minutes: list[int]
) -> None:
    exported = export_opening_hours(document, Mode.STAFFED)
    again = apply_opening_hours(BASE, Mode.STAFFED, parse_opening_hours(exported))
    assert export_opening_hours(again, Mode.STAFFED) == exported
    original = compile_schedule(document, LABOUR_DAY_ONLY)
    copy = compile_schedule(again, LABOUR_DAY_ONLY)
    for minute in minutes:
        moment = _WALK_START + timedelta(minutes=minute)
        assert original.mode_at(moment) is copy.mode_at(moment), (exported, moment)
        day = moment.date()
        # A '"' inside a comment is written as "'" (opening_hours has no escape for it).
        note = original.note_on(day, Mode.STAFFED).replace('"', "'")
        assert copy.note_on(day, Mode.STAFFED) == note
