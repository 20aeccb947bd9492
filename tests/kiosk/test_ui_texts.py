"""The UI's pure parts without a display: contrast, strings, masking on screen."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.i18n import STRINGS, translate
from kiosk.session import ProgressItem
from kiosk.ui import palette, texts

UI = Path(__file__).resolve().parents[2] / "kiosk"


def test_every_text_colour_pair_has_at_least_4_5_to_1_contrast():
    for foreground, background in palette.TEXT_PAIRS:
        assert palette.contrast(foreground, background) >= 4.5, (foreground, background)


def test_every_string_exists_in_both_languages_and_every_key_used_exists():
    for key, (zh, en) in STRINGS.items():
        assert zh.strip() and en.strip() and zh != en or key == "notice.fees", key
    used = set()
    for path in UI.rglob("*.py"):
        used |= set(re.findall(r"""(?:tr|translate)\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""",
                               path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing, f"strings used but not defined: {missing}"


def test_phone_is_masked_outside_the_form_and_statuses_read_plainly():
    assert texts.field_value_text("phone", "13912345678", "zh", masked=True) == "139****5678"
    assert texts.field_value_text("phone", "13912345678", "zh", masked=False) == "13912345678"
    mailed = ProgressItem("T1", "dl-renewal-expiry", "ready", delivery="mail")
    assert texts.status_label(mailed, "en") == "Ready and mailed"
    rejected = ProgressItem("T1", "x", "rejected", reason="certificate expired")
    assert "Reason: certificate expired" in texts.status_label(rejected, "en")
    assert translate("idle.warning", "en", seconds=5) == "No activity: this visit ends in 5 s"


def test_kiosk_buttons_are_at_least_64_px_high():
    common = (UI / "ui" / "kv" / "common.kv").read_text(encoding="utf-8")
    rule = common.split("<KButton>:")[1].split("\n<")[0]
    minimum = int(re.search(r"height: max\((\d+) \* app\.k", rule).group(1))
    assert minimum >= 64
