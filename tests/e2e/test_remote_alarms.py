"""Alarms raised and cleared by real conditions: device emulators, a killed kiosk, and (where
no real way exists on one machine) telemetry a kiosk could send."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import Network
from remote_support import Rogue, api, ctl, keyed, send, until

from devices.emulators import IdCardEmulator, PrinterEmulator
from devices.emulators.cardfile import load_cards
from devices.emulators.printer import PrinterCondition
from sync.messages import KioskPresence, KioskTelemetry
from sync.topics import KioskChannel, kiosk_topic

KIOSK = "k-test-1"


def _active(net: Network, kiosk: str | None = None) -> dict[str, dict[str, Any]]:
    return {a["type"]: a for a in api(net, "GET", "/alarms", kiosk=kiosk)}


def _raised(net: Network, alarm_type: str, kiosk: str | None = None) -> dict[str, Any]:
    return until(lambda: _active(net, kiosk).get(alarm_type), 20, f"{alarm_type} raised")


def _cleared(net: Network, alarm_id: int) -> dict[str, Any]:
    return until(lambda: (a := api(net, "GET", f"/alarms/{alarm_id}"))["cleared_at"] and a, 20,
                 f"alarm {alarm_id} cleared")


@pytest.fixture
def emulators(tmp_path: Path) -> Iterator[tuple[PrinterEmulator, IdCardEmulator]]:
    (tmp_path / "dev").mkdir()
    with PrinterEmulator(link=tmp_path / "dev" / "printer", pace=False) as printer, \
            IdCardEmulator(load_cards(), link=tmp_path / "dev" / "idcard", pace=False) as idcard:
        yield printer, idcard


def test_device_alarms_follow_the_emulators_and_device_commands_reach_them(
        network_factory, emulators: tuple[PrinterEmulator, IdCardEmulator]) -> None:
    printer, idcard = emulators
    net = keyed(network_factory())
    net.controller()
    net.kiosk(KIOSK, rate=5, count=1, args=["--printer-port", printer.device_path,
                                           "--idcard-port", idcard.device_path])
    until(lambda: net.kiosk_online(KIOSK), 10, "kiosk online")
    healthy = send(net, KIOSK, "selftest")
    assert healthy["state"] == "SUCCEEDED", healthy
    assert {d["name"]: d["state"] for d in healthy["result"]["devices"]} == {
        "idcard": "ok", "printer": "ok"}
    assert send(net, KIOSK, "test_print")["state"] == "SUCCEEDED"
    assert "受理编号：TEST" in printer.wait_for_receipt(1).text
    reprint = send(net, KIOSK, "reprint")
    assert reprint["state"] == "SUCCEEDED", reprint
    assert f"受理编号：{reprint['result']['reprinted']}" in printer.wait_for_receipt(2).text
    assert not _active(net, KIOSK)  # an unfitted scanner is not an alarm

    printer.set_condition(PrinterCondition.PAPER_OUT)
    paper = _raised(net, "printer_paper_out", KIOSK)
    assert paper["severity"] == "critical" and "paper out" in paper["message"]
    refused = send(net, KIOSK, "test_print")
    assert refused["state"] == "FAILED" and "paper out" in refused["error"]
    printer.clear()
    assert _cleared(net, paper["id"])["active"] is False

    printer.set_condition(PrinterCondition.PAPER_NEAR_END)
    near = _raised(net, "printer_paper_near_end", KIOSK)
    assert near["severity"] == "warning"
    printer.clear()
    _cleared(net, near["id"])

    idcard.unplug()
    absent = _raised(net, "card_reader_absent", KIOSK)
    assert "absent" in send(net, KIOSK, "selftest")["error"]
    idcard.replug()
    history = [h["action"] for h in _cleared(net, absent["id"])["history"]]
    assert history == ["raised", "cleared"]


def test_offline_alarm_after_threshold_ack_with_comment_and_clear_on_return(
        network_factory) -> None:
    net = keyed(network_factory())
    net.controller()
    kiosk = net.kiosk(KIOSK)
    until(lambda: net.kiosk_online(KIOSK), 10, "kiosk online")
    kiosk.kill()  # no goodbye: the broker publishes its last will
    offline = _raised(net, "kiosk_offline", KIOSK)
    assert offline["first_seen"] < offline["raised_at"]  # held before raising

    ack = ctl(net, "alarm", "ack", str(offline["id"]), "--comment", "站点断电，已通知物业")
    assert ack.returncode == 0, ack.stderr
    listed = ctl(net, "alarms", "--kiosk", KIOSK)
    assert "kiosk_offline" in listed.stdout and "tech-li" in listed.stdout

    net.kiosk(KIOSK)
    cleared = _cleared(net, offline["id"])
    assert [h["action"] for h in cleared["history"]] == ["raised", "acknowledged", "cleared"]
    assert cleared["ack_comment"] == "站点断电，已通知物业"
    assert "kiosk_offline" in ctl(net, "alarms", "--all").stdout
    assert ctl(net, "alarms", "--kiosk", KIOSK).stdout.strip().endswith("(none)")


def _report(rogue: Rogue, kiosk: str, documents: dict[str, int], **telemetry: Any) -> None:
    presence = KioskPresence(kiosk=kiosk, state="online", station="hz-xihu-wensan",
                             documents=documents)
    rogue.publish(kiosk_topic(kiosk, KioskChannel.PRESENCE), presence.encode(), retain=True)
    report = KioskTelemetry(kiosk=kiosk, station="hz-xihu-wensan", uptime_s=10,
                            documents=documents, **telemetry)
    rogue.publish(kiosk_topic(kiosk, KioskChannel.TELEMETRY), report.encode())


def test_clock_skew_backlog_and_outdated_documents_raise_and_clear(network_factory) -> None:
    # One machine has one clock and a backlog needs the broker away (then telemetry cannot
    # arrive either), so these two are reported as a kiosk would report them.
    net = keyed(network_factory())
    net.controller()
    until(lambda: api(net, "GET", "/health")["documents"], 10, "documents published")
    rogue = Rogue(net)
    _report(rogue, KIOSK, {}, outbox_depth=300, outbox_oldest_age_s=900.0,
            clock_offset_ms=-42_000.0)
    skew = _raised(net, "clock_skew", KIOSK)
    assert "-42.0 s" in skew["message"]
    backlog = _raised(net, "outbox_backlog", KIOSK)
    outdated = _raised(net, "document_outdated", KIOSK)
    assert "stations/all" in outdated["message"]

    def healthy_report() -> bool:  # telemetry keeps coming while the conditions are gone
        newest = api(net, "GET", "/health")["documents"]
        held = {k: v for k, v in newest.items() if k.endswith(("/all", "/hz-xihu-wensan"))}
        _report(rogue, KIOSK, held, outbox_depth=0, clock_offset_ms=12.0)
        return all(api(net, "GET", f"/alarms/{a['id']}")["cleared_at"]
                   for a in (skew, backlog, outdated))

    until(healthy_report, 20, "skew, backlog and outdated alarms cleared")
    rogue.close()


def test_missing_calendar_year_is_a_network_alarm_exactly_when_schedules_lack_one(
        network_factory) -> None:
    net = keyed(network_factory(), STATIONNET__ALARMS__HOLD_RAISE_S="0")
    net.controller()
    status = until(lambda: api(net, "GET", "/schedules/status"), 10, "schedules status")
    missing = status["calendar_missing_years"]
    if missing:
        alarm = _raised(net, "calendar_year_missing")
        assert alarm["subject"] == "network" and str(missing[0]) in alarm["message"]
    else:
        until(lambda: api(net, "GET", "/health"), 5, "controller up")
        assert "calendar_year_missing" not in _active(net)
