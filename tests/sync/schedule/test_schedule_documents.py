"""The schedule document, its TOML loader, the demo configs and version ordering."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from sync.schedule import (
    Mode,
    ScheduleError,
    ScheduleLoadError,
    StationSchedule,
    TimeSpan,
    VersionConflictError,
    Weekday,
    applicable_version,
    compile_schedule,
    load_schedule,
    load_schedule_directory,
    supersedes,
)

Factory = Callable[..., StationSchedule]
REPO = Path(__file__).resolve().parents[3]
DEMO_IDS = {"hz-xihu-wensan", "hz-gongshu-daguan", "hz-binjiang-changhe"}


def test_document_round_trips_through_json(schedule_factory: Factory) -> None:
    document = schedule_factory(
        special=[{"start": "2026-10-01", "end": "2026-10-03", "staffed": [], "note": "国庆"}],
        closures=[
            {"start": "2026-03-14T08:00+08:00", "end": "2026-03-14T12:00+08:00", "reason": "r"}
        ],
        holidays={"staffed": ["09:00-12:00"], "self_service": "su"},
    )
    assert StationSchedule.from_json(document.to_json()) == document
    assert StationSchedule.model_validate(document.model_dump(mode="json")) == document


def test_document_is_frozen(schedule_factory: Factory) -> None:
    document = schedule_factory()
    with pytest.raises(ValidationError):
        document.version = 2  # type: ignore[misc]


def test_spans_are_sorted_and_merged() -> None:
    from sync.schedule import WeeklyHours

    hours = WeeklyHours.model_validate({"mo": ["13:00-17:00", "08:00-12:00", "11:00-13:00"]})
    assert [s.text for s in hours.mo] == ["08:00-17:00"]


@pytest.mark.parametrize(
    ("text", "start", "end", "shown"),
    [
        ("08:30-12:00", 510, 720, "08:30-12:00"),
        ("20:00-02:00", 1200, 1560, "20:00-02:00"),
        ("00:00-24:00", 0, 1440, "00:00-24:00"),
        ("18:00-24:00", 1080, 1440, "18:00-24:00"),
        ("00:00-26:00", 0, 1560, "00:00-26:00"),
    ],
)
def test_time_span_text(text: str, start: int, end: int, shown: str) -> None:
    span = TimeSpan.model_validate(text)
    assert (span.start, span.end, span.text) == (start, end, shown)


@pytest.mark.parametrize("text", ["8-12", "08:00-08:00", "24:00-25:00", "08:60-09:00", "x"])
def test_bad_time_spans_are_rejected(text: str) -> None:
    with pytest.raises(ValidationError):
        TimeSpan.model_validate(text)


def test_day_groups_expand_and_may_not_repeat_a_day() -> None:
    from sync.schedule import WeeklyHours

    hours = WeeklyHours.model_validate({"fr-mo": ["10:00-11:00"]})
    assert [d for d in Weekday if hours.on(d)] == [Weekday.MO, Weekday.FR, Weekday.SA, Weekday.SU]
    with pytest.raises(ValidationError, match="given twice"):
        WeeklyHours.model_validate({"daily": ["10:00-11:00"], "mo": []})


def test_unknown_time_zone_is_rejected_with_advice(schedule_factory: Factory) -> None:
    with pytest.raises(ValidationError, match="IANA"):
        schedule_factory(timezone="Asia/Shangai")


def test_demo_schedules_load_and_are_realistic() -> None:
    schedules = load_schedule_directory(REPO / "config" / "schedules")
    assert set(schedules) == DEMO_IDS
    for document in schedules.values():
        assert document.closures and all(c.reason for c in document.closures)
        stats = compile_schedule(document).open_time_stats(date(2026, 3, 1), date(2026, 12, 31))
        assert stats.hours_per_day[Mode.STAFFED] > 2
        assert stats.open_hours_per_day > 14
    daguan = compile_schedule(schedules["hz-gongshu-daguan"])
    assert daguan.open_hours_per_day(date(2026, 7, 1), date(2026, 7, 31))[Mode.CLOSED] == 0


def test_demo_national_day_closes_staffed_keeps_kiosks() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    noon = datetime(2026, 10, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    for document in load_schedule_directory(REPO / "config" / "schedules").values():
        assert compile_schedule(document).mode_at(noon) is Mode.SELF_SERVICE


def test_loader_names_every_bad_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'station_id = "hz-x"\nversion = 1\neffective_from = 2026-01-01\n'
        'timezon = "Asia/Shanghai"\n'
        '[weekly.staffed]\nmo = ["25:00-26:00"]\n'
        "[[closures]]\nstart = 2026-03-14T08:00:00\n"
        "end = 2026-03-14T09:00:00+08:00\nreason = 'x'\n",
        encoding="utf-8",
    )
    with pytest.raises(ScheduleLoadError) as caught:
        load_schedule(path)
    problems = caught.value.problems
    assert any(p.startswith("weekly.staffed.mo[0]: '25:00' is out of range") for p in problems)
    assert any(p.startswith("closures[0].start:") and "UTC offset" in p for p in problems)
    assert any(p.startswith("timezon:") and "spelling" in p for p in problems)
    assert str(path) in str(caught.value)


def test_loader_reports_toml_syntax_with_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('station_id = "hz-x\n', encoding="utf-8")
    with pytest.raises(ScheduleLoadError, match="line 1"):
        load_schedule(path)
    with pytest.raises(ScheduleLoadError, match="not found"):
        load_schedule(tmp_path / "missing.toml")


def test_higher_version_supersedes(schedule_factory: Factory) -> None:
    v1, v2 = schedule_factory(version=1), schedule_factory(version=2)
    assert supersedes(v2, v1) and not supersedes(v1, v2)
    assert not supersedes(v1, v1)  # a re-delivery
    assert supersedes(v1, None)


def test_same_version_different_content_is_a_conflict(schedule_factory: Factory) -> None:
    with pytest.raises(VersionConflictError, match="higher version"):
        supersedes(schedule_factory(version=3), schedule_factory(version=3, timezone="UTC"))
    with pytest.raises(ScheduleError, match="topic"):
        supersedes(schedule_factory(station_id="hz-a"), schedule_factory(station_id="hz-b"))


def test_applicable_version_waits_for_effective_date(schedule_factory: Factory) -> None:
    v7 = schedule_factory(version=7, effective_from="2026-01-01")
    v8 = schedule_factory(version=8, effective_from="2026-07-01")
    assert applicable_version([v8, v7], date(2026, 6, 30)) == v7
    assert applicable_version([v7, v8], date(2026, 7, 1)) == v8
    assert applicable_version([v7, v8], date(2025, 12, 31)) is None


def test_special_closed_cannot_carry_hours(schedule_factory: Factory) -> None:
    with pytest.raises(ValidationError, match="drop one"):
        schedule_factory(
            special=[{"start": "2026-01-01", "closed": True, "staffed": ["10:00-11:00"]}]
        )


def test_closure_needs_a_reason_and_an_order(schedule_factory: Factory) -> None:
    closure = {
        "start": "2026-01-02T00:00:00+08:00",
        "end": "2026-01-01T00:00:00+08:00",
        "reason": "x",
    }
    with pytest.raises(ValidationError, match="not after start"):
        schedule_factory(closures=[closure])
    with pytest.raises(ValidationError, match="reason"):
        schedule_factory(closures=[{**closure, "end": "2026-01-03T00:00:00+08:00", "reason": ""}])
