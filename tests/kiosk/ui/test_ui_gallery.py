"""A screenshot of every screen in both languages, large text off and on (artifacts/screens)."""

from __future__ import annotations

import pytest
from kiosk_window import open_technician

pytestmark = [pytest.mark.ui, pytest.mark.slow]  # `-m "not slow"` skips it locally

VARIANTS = [("zh", False), ("en", False), ("zh", True), ("en", True)]


def _variant(window, lang: str, large: bool) -> str:
    state = window.state()
    if state["lang"] != lang:
        window.tap("lang")
    if state["large"] != large:
        window.tap("large")
    window.wait_state(f"{lang} large={large}",
                      lambda s: s["lang"] == lang and s["large"] == large)
    return f"{lang}{'-large' if large else ''}"


def _visit_screens(window, lang: str, large: bool) -> None:
    name = _variant(window, lang, large)
    window.screenshot(f"gallery/{name}-01-attract")
    window.tap_card()
    window.wait_step("catalogue")
    window.screenshot(f"gallery/{name}-02-catalogue")
    window.tap("service-dl-renewal-expiry")
    window.wait_step("notice")
    window.screenshot(f"gallery/{name}-03-notice")
    window.call("scroll_end")
    window.wait_state("notice read", lambda s: "notice-accept" in s["tids"])
    window.tap("notice-accept")
    window.wait_step("identify")
    window.screenshot(f"gallery/{name}-04-identify")
    window.tap("identify-confirm")
    window.wait_step("form")
    window.type("1391234567")
    window.tap("choose-delivery-mail")
    window.tap("form-next")
    window.wait_state("a plain message", lambda s: s["step"] == "form")
    window.screenshot(f"gallery/{name}-05-form-error")
    window.type("8")
    window.tap("form-next")
    window.wait_step("confirm")
    window.screenshot(f"gallery/{name}-06-confirm")
    window.remove_card()
    window.tap("confirm-submit")
    window.wait_step("result")
    window.screenshot(f"gallery/{name}-07-result")
    window.tap("result-progress")
    window.wait_state("offline", lambda s: s["step"] == "progress")
    window.screenshot(f"gallery/{name}-08-progress")
    window.tap("progress-home")
    window.wait_step("attract")


def _side_screens(window, lang: str, large: bool) -> None:
    name = _variant(window, lang, large)
    window.tap("start")
    window.wait_step("catalogue")
    window.tap("service-dl-replacement-damaged")
    window.wait_state("booking unavailable", lambda s: s["step"] == "appointment"
                      and s["progress"] == "idle")
    window.screenshot(f"gallery/{name}-09-appointment")
    window.tap("back")
    window.wait_step("catalogue")
    window.tap("back")
    window.wait_step("attract")
    name = _variant(window, lang, large)
    open_technician(window, at_pin=lambda: window.screenshot(
        f"gallery/{name}-10-technician-pin"))
    window.screenshot(f"gallery/{name}-11-technician")
    window.tap("tech-lock")
    window.tap("tech-exit")
    window.wait_step("out_of_service")
    name = _variant(window, lang, large)
    window.screenshot(f"gallery/{name}-12-out-of-service")
    open_technician(window)
    window.tap("tech-lock")
    window.tap("tech-exit")
    window.wait_step("attract")


def test_every_screen_in_both_languages_and_both_text_sizes(kiosk_window, open_schedule):
    window = kiosk_window()
    window.seed(open_schedule("hz-xihu-wensan"))
    window.start()
    window.wait_step("attract")
    for lang, large in VARIANTS:
        _visit_screens(window, lang, large)
        _side_screens(window, lang, large)
    assert len(window.printer.receipts) == len(VARIANTS)
