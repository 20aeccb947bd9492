"""Technician commands reach the real kiosk window: lock, screenshot, unlock.

A screenshot is refused while a citizen's visit is on screen; a remote lock lets the
visit finish, then shows the technician's message on the out-of-service screen.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kiosk_window
import pytest
from harness import Network
from PIL import Image
from remote_support import keyed, send

pytestmark = pytest.mark.ui


def test_lock_screenshot_and_unlock_act_on_the_window(
        network_factory: Callable[..., Network], display: str, tmp_path: Path) -> None:
    driver = kiosk_window
    net = keyed(network_factory([("k-wensan-1", "hz-xihu-wensan")]))
    net.controller()
    window = driver.KioskWindow(tmp_path / "window", display, kiosk_id="k-wensan-1",
                                config=net.config_path, env=net.env)
    window.data = net.data
    window.seed(driver.schedule_document("hz-xihu-wensan").model_copy(update={"version": 10_000}))
    try:
        window.start()
        window.wait_step("attract")
        shot = send(net, "k-wensan-1", "screenshot", wait_s=20)
        assert shot["state"] == "SUCCEEDED", shot
        _assert_preview(shot["result"])

        window.tap_card()
        window.wait_step("catalogue")
        refused = send(net, "k-wensan-1", "screenshot", wait_s=20)
        assert refused["state"] == "FAILED" and "session" in refused["error"].lower(), refused

        locked = send(net, "k-wensan-1", "lock", {"message": "打印机更换中，请到窗口办理"})
        assert locked["state"] == "SUCCEEDED", locked
        assert window.state()["step"] == "catalogue"  # the citizen's visit is not cut short
        window.remove_card()
        window.tap("back")
        state = window.wait_step("out_of_service")
        assert any("打印机更换中" in text for text in state["texts"])

        assert send(net, "k-wensan-1", "unlock")["state"] == "SUCCEEDED"
        window.wait_step("attract")
    finally:
        window.stop()


def _assert_preview(result: dict[str, Any]) -> None:
    assert (result["width"], result["height"]) == (1920, 1080)
    with Image.open(io.BytesIO(base64.b64decode(result["preview_png_base64"]))) as preview:
        assert preview.size == (640, 360)
