"""A whole after-hours visit through the real window, broker and controller.

Card tapped → renewal submitted at the kiosk → receipt printed → event delivered →
controller's application record → staff accept it → the citizen scans the receipt's QR
(and taps the card) at the kiosk and sees the new status.
"""

from __future__ import annotations

from typing import Any

import httpx
import kiosk_window
import pytest
from harness import wait_for

pytestmark = pytest.mark.ui

def test_after_hours_renewal_reaches_the_controller_and_progress_comes_back(
        network, display, tmp_path):
    driver = kiosk_window
    network.controller()
    window = driver.KioskWindow(tmp_path / "window", display, kiosk_id="k-wensan-1",
                                config=network.config_path, env=network.env)
    window.data = network.data
    # The kiosk's last good schedule says self-service now, whatever the wall clock says;
    # a high version keeps the controller's seeded schedule from replacing it mid-test.
    document = driver.schedule_document("hz-xihu-wensan")
    window.seed(document.model_copy(update={"version": 10_000}))
    try:
        window.start()
        _visit(window)
        state = window.wait_step("result")
        tracking = next(t.split(": ")[1] for t in state["texts"] if t.startswith("受理编号"))
        window.tap("result-done")
        api = f"{network.api}/api/v1"
        record = wait_for(lambda: _get(f"{api}/applications/{tracking}"), 30,
                          "the application record on the controller")
        assert record["status"] == "submitted" and record["mode"] == "self_service"
        assert record["applicant"] == "李**" and record["id_number_held"]
        assert httpx.post(f"{api}/applications/{tracking}/status",
                          json={"status": "accepted", "actor": "officer"}).status_code == 200
        window.wait_step("attract")
        window.scanner.scan(f"stationnet:progress/{tracking}")
        state = window.wait_state("the answer", lambda s: s["progress"] == "found", 15)
        assert any("已受理" in t for t in state["texts"])
        window.screenshot("zh-progress-found")
        window.tap_card()
        state = window.wait_state("the card's applications",
                                  lambda s: s["progress"] == "found"
                                  and any(tracking in t for t in s["texts"]), 15)
        window.remove_card()
        window.tap("progress-home")
        window.wait_step("attract")
    finally:
        window.stop()


def _visit(window: Any) -> None:
    window.wait_step("attract")
    kiosk_window.walk_to_form(window)
    window.type("13912345678")
    window.tap("form-next")
    window.wait_step("confirm")
    window.remove_card()
    window.tap("confirm-submit")


def _get(url: str) -> dict[str, Any] | None:
    response = httpx.get(url, timeout=5)
    return response.json() if response.status_code == 200 else None
