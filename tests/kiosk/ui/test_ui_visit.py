"""Whole visits through the real window: touches in, screens, outbox events and receipts out."""

from __future__ import annotations

import json

import pytest
from kiosk_window import outbox_until

pytestmark = pytest.mark.ui

FICTITIOUS_NUMBER = "33010619850312001X"  # config/devices/cards.toml "resident"
FICTITIOUS_NAME = "李晓明"


def assert_masked(texts: list[str]) -> None:
    """Fail if the full name or ID number of the fixture card is on screen."""
    joined = "\n".join(texts)
    assert FICTITIOUS_NUMBER not in joined and FICTITIOUS_NAME not in joined


def test_renewal_with_card_and_receipt(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan"))
    window.start()
    window.wait_step("attract")
    window.screenshot("zh-attract")
    window.tap_card()
    state = window.wait_step("catalogue")
    assert "service-dl-renewal-expiry" in state["tids"]
    window.screenshot("zh-catalogue")
    window.tap("service-dl-renewal-expiry")
    state = window.wait_step("notice")
    assert "notice-accept" not in state["tids"], "continue only after reading it all"
    window.screenshot("zh-notice")
    window.call("scroll_end")
    window.wait_state("notice read", lambda s: "notice-accept" in s["tids"])
    window.tap("notice-accept")
    state = window.wait_step("identify")
    assert any("330106" in t and "001X" in t for t in state["texts"])  # masked number shown
    assert_masked(state["texts"])
    window.screenshot("zh-identify")
    window.tap("identify-confirm")
    window.wait_step("form")
    window.type("13912345678")
    window.tap("choose-delivery-pickup")
    window.screenshot("zh-form")
    window.tap("form-next")
    state = window.wait_step("confirm")
    assert_masked(state["texts"])
    assert not any("13912345678" in t for t in state["texts"])
    window.screenshot("zh-confirm")
    window.remove_card()
    window.tap("confirm-submit")
    state = window.wait_step("result")
    window.screenshot("zh-result")
    tracking = next(t.split(": ")[1] for t in state["texts"] if t.startswith("受理编号"))
    receipt = window.printer.wait_for_receipt(1, timeout=10)
    printed = "\n".join(receipt.text)
    assert tracking in printed and "驾驶证有效期满换证" in printed and "李**" in printed
    assert FICTITIOUS_NAME not in printed and FICTITIOUS_NUMBER not in printed
    assert receipt.qr_payloads == [f"stationnet:progress/{tracking}"]
    window.tap("result-done")
    window.wait_step("attract")
    events = outbox_until(window, lambda found: len(found) >= 3)
    kinds = [kind for kind, _ in events]
    assert kinds == ["application.submitted", "receipt.printed", "visit.ended"]
    submitted = events[0][1]
    assert submitted["tracking_no"] == tracking and submitted["id_number"] == FICTITIOUS_NUMBER
    assert submitted["fields"] == {"phone": "13912345678", "delivery": "pickup"}
    assert "photo" not in json.dumps(submitted)
    assert events[2][1]["outcome"] == "finished" and events[2][1]["last_step"] == "result"
