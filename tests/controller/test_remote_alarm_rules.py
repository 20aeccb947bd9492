"""Alarm rules and hold times, pure: conditions from registry values, no flapping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controller.remote.alarm_rules import (
    Condition,
    HoldTracker,
    KioskView,
    calendar_conditions,
    kiosk_conditions,
)
from sync.messages import DeviceHealth
from sync.settings import AlarmsConfig

T0 = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
CFG = AlarmsConfig(offline_after_s=300, silent_after_s=120, outbox_age_s=600, clock_skew_s=30)


def _view(**changes) -> KioskView:
    base = dict(id="k-1", station="s-1", online=True, last_seen=T0, presence_changed=T0,
                devices=[], documents={"schedule/s-1": 3, "stations/all": 1}, telemetry=None)
    return KioskView(**{**base, **changes})


def _types(view: KioskView, now: datetime = T0, newest=None) -> set[str]:
    newest = newest if newest is not None else {"schedule/s-1": 3, "stations/all": 1}
    return {c.type for c in kiosk_conditions(view, now, CFG, newest)}


def _device(kind: str, state: str, reason: str, code: str | None = None) -> DeviceHealth:
    return DeviceHealth.model_validate(
        {"name": kind, "kind": kind, "state": state, "reason": reason, "code": code})


def test_a_healthy_current_kiosk_has_no_condition() -> None:
    assert _types(_view()) == set()


def test_printer_fault_codes_map_to_their_own_alarms() -> None:
    for code, alarm in (("paper_out", "printer_paper_out"),
                        ("paper_near_end", "printer_paper_near_end"),
                        ("cover_open", "printer_cover_open"),
                        ("cutter_error", "printer_cutter_error"),
                        ("printer_error", "printer_fault")):
        assert _types(_view(devices=[_device("printer", "fault", "x", code)])) == {alarm}


def test_alarms_follow_the_code_whatever_the_wording() -> None:
    reworded = _device("printer", "fault", "纸用完了 — 请换纸", "paper_out")
    assert _types(_view(devices=[reworded])) == {"printer_paper_out"}
    misleading = _device("printer", "fault", "paper out? no: cover open", "cover_open")
    assert _types(_view(devices=[misleading])) == {"printer_cover_open"}
    # A kiosk that predates codes still alarms, by kind and state.
    assert _types(_view(devices=[_device("printer", "fault", "paper out")])) == {
        "printer_fault"}


def test_card_reader_and_scanner_states_and_unfitted_devices() -> None:
    assert _types(_view(devices=[_device("idcard", "fault", "SAM failure")])) == {
        "card_reader_fault"}
    assert _types(_view(devices=[_device("idcard", "absent", "unplugged")])) == {
        "card_reader_absent"}
    assert _types(_view(devices=[_device("scanner", "absent", "unplugged")])) == {
        "scanner_absent"}
    unfitted = _device("scanner", "absent", "anything at all", "not_fitted")
    assert _types(_view(devices=[unfitted])) == set()


def test_offline_only_after_the_threshold_and_only_presence_is_judged_then() -> None:
    gone = _view(online=False, devices=[_device("idcard", "absent", "x")], documents={})
    assert _types(gone, T0 + timedelta(seconds=299)) == set()
    assert _types(gone, T0 + timedelta(seconds=300)) == {"kiosk_offline"}
    assert _types(_view(), T0 + timedelta(seconds=121)) == {"kiosk_offline"}  # silent


def test_backlog_skew_and_outdated_documents() -> None:
    telemetry = {"outbox_depth": 5, "outbox_oldest_age_s": 601, "clock_offset_ms": -31_000}
    assert _types(_view(telemetry=telemetry)) == {"outbox_backlog", "clock_skew"}
    newer = {"schedule/s-1": 4, "stations/all": 1, "schedule/other": 9}
    conditions = kiosk_conditions(_view(), T0, CFG, newer)
    assert [c.message for c in conditions] == ["outdated: schedule/s-1 v3 < v4"]


def test_calendar_gap_is_one_network_condition() -> None:
    assert calendar_conditions([]) == []
    [gap] = calendar_conditions([2027, 2028])
    assert (gap.subject, gap.severity) == ("network", "critical") and "2027, 2028" in gap.message


PAPER = Condition("printer_paper_out", "k-1", "critical", "paper out", "k-1")


def _run(tracker: HoldTracker, timeline: list[tuple[float, bool]], frozen=None) -> list[str]:
    events = []
    for second, present in timeline:
        out = tracker.observe([PAPER] if present else [], T0 + timedelta(seconds=second), frozen)
        events += ["raised" for _ in out.raised] + ["cleared" for _ in out.cleared]
    return events


def test_a_condition_flickering_faster_than_the_hold_never_raises() -> None:
    tracker = HoldTracker(hold_raise_s=5, hold_clear_s=5)
    flicker = [(s, s % 2 == 0) for s in range(30)]
    assert _run(tracker, flicker) == []


def test_raise_after_holding_and_clear_after_being_gone_for_the_hold_times() -> None:
    tracker = HoldTracker(hold_raise_s=5, hold_clear_s=10)
    timeline = [(s, True) for s in range(0, 7)] + [(s, s == 12) for s in range(7, 30)]
    assert _run(tracker, timeline) == ["raised", "cleared"]
    out = tracker.observe([PAPER], T0)
    assert not out.raised  # a new occurrence holds again before raising


def test_an_offline_kiosks_device_alarm_is_frozen_not_cleared() -> None:
    tracker = HoldTracker(hold_raise_s=0, hold_clear_s=1, active={PAPER.key})
    assert _run(tracker, [(s, False) for s in range(10)], frozen={"k-1"}) == []
    assert _run(tracker, [(s, False) for s in range(10, 13)]) == ["cleared"]


def test_a_failing_ingest_database_is_a_critical_controller_condition() -> None:
    from controller.remote.alarm_rules import ingest_conditions

    assert ingest_conditions(None, 0) == []
    [failing] = ingest_conditions("2026-05-04T12:00:00+00:00", 7)
    assert (failing.type, failing.subject, failing.severity) == (
        "ingest_database_failing", "controller", "critical")
    assert "2026-05-04T12:00:00+00:00" in failing.message and "7 attempt" in failing.message


def test_a_fault_code_from_a_newer_kiosk_is_read_as_a_device_error_and_still_alarms() -> None:
    newer = _device("printer", "fault", "toner low", "toner_low")
    assert newer.code == "device_error"
    assert _types(_view(devices=[newer])) == {"printer_fault"}
