"""The window's rules: idle wipe, printer faults, closed station, progress offline, toggles."""

from __future__ import annotations

import pytest
from kiosk_window import open_technician, outbox_until, walk_to_form

from devices.emulators import PrinterCondition

pytestmark = pytest.mark.ui

def test_idle_timeout_mid_form_wipes_data(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan"))
    window.start("--idle-timeout", "6", "--idle-warning", "4")
    window.wait_step("attract")
    walk_to_form(window)
    window.type("139")
    state = window.wait_state("the countdown", lambda s: s["idle_warning"] is not None)
    assert any("秒后将结束办理" in t for t in state["texts"])
    window.screenshot("zh-idle-warning")
    window.wait_step("attract", timeout=10)
    held = window.call("all_texts")["texts"]
    assert not any("李*" in t or "139" in t or "001X" in t for t in held), held
    events = outbox_until(window, lambda found: found)
    assert [kind for kind, _ in events] == ["visit.ended"]
    assert events[0][1]["outcome"] == "timeout" and events[0][1]["last_step"] == "form"


def test_printer_out_of_paper_disables_print_needing_services(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan"))
    window.printer.set_condition(PrinterCondition.PAPER_OUT)
    window.start()
    window.wait_step("attract")
    window.tap("start")
    state = window.wait_state(
        "renewal shown as unavailable",
        lambda s: any(t.startswith("驾驶证有效期满换证\n打印机故障") for t in s["texts"]))
    assert any(t.startswith("违法记分查询") or "记分" in t for t in state["texts"])
    window.screenshot("zh-catalogue-printer-fault")
    window.tap("service-dl-renewal-expiry")
    state = window.wait_state("the reason", lambda s: "打印机" in s["message"])
    assert state["step"] == "catalogue"
    window.tap("service-points-violation-enquiry")
    window.wait_step("notice")
    alarms = [body for kind, body in outbox_until(window, lambda found: found)
              if kind == "device.alarm"]
    assert alarms and alarms[0]["device"] == "printer" and alarms[0]["state"] == "fault"


def test_closed_station_shows_the_nearest_open_one(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan", self_service="", staffed=""),
                open_schedule("hz-gongshu-daguan"))
    window.start()
    state = window.wait_step("closed")
    assert any("拱墅区大关社区交警服务站" in t and "km" in t for t in state["texts"])
    window.screenshot("zh-closed")
    window.tap("lang")
    state = window.wait_state("English", lambda s: s["lang"] == "en")
    assert any("Daguan" in t for t in state["texts"])
    window.screenshot("en-closed")
    window.tap("large")
    window.wait_state("large text", lambda s: s["large"])
    window.screenshot("en-large-closed")
    window.tap("lang")
    window.wait_state("Chinese", lambda s: s["lang"] == "zh")
    window.screenshot("zh-large-closed")


def test_progress_lookup_offline_says_so_plainly(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan"))
    window.start()
    window.wait_step("attract")
    window.scanner.scan("stationnet:progress/T261125-K-WENSAN-1-000001")
    state = window.wait_state("offline answer", lambda s: s["progress"] == "offline")
    assert state["step"] == "progress"
    assert any("暂时无法查询进度" in t for t in state["texts"])
    window.screenshot("zh-progress-offline")
    window.tap("progress-home")
    window.wait_step("attract")


def test_language_and_large_text_toggles(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan"))
    window.start()
    window.wait_step("attract")
    window.tap("lang")
    state = window.wait_state("English", lambda s: s["lang"] == "en")
    assert "Tap your ID card to start" in state["texts"]
    window.tap("large")
    state = window.wait_state("large text", lambda s: s["large"])
    assert state["k"] > 1.2
    window.tap("start")
    state = window.wait_step("catalogue")
    assert "Choose a service" in state["texts"] and state["large"]
    window.tap("large")
    window.tap("lang")
    state = window.wait_state("back to normal Chinese", lambda s: s["lang"] == "zh"
                              and not s["large"])
    assert "请选择业务" in state["texts"]


def test_technician_long_press_pin_diagnostics_and_lock(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan"))
    window.start()
    window.wait_step("attract")
    state = open_technician(window)
    assert "tech-print" in state["tids"]
    assert any("printer: ok" in t for t in state["texts"])
    window.tap("tech-print")
    assert window.printer.wait_for_receipt(1, timeout=10)
    window.screenshot("zh-technician")
    window.tap("tech-lock")
    window.tap("tech-exit")
    state = window.wait_step("out_of_service")
    assert any("技术人员维护中" in t for t in state["texts"])
    window.screenshot("zh-out-of-service")
    outbox_until(window, lambda found: ("kiosk.locked", {}) in found)
    window.stop()  # the lock outlives a restart of the app
    window.start()
    window.wait_step("out_of_service")
