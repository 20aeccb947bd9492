"""Every action a screen names is a real session method; a misspelt one fails at load."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest

from kiosk.ui.actions import UnknownScreenAction, check_kv_file, kv_actions, on_touch

UI = Path(str(importlib.resources.files("kiosk.ui")))


def test_every_action_named_by_the_shipped_screens_exists() -> None:
    kv_files = sorted((UI / "kv").glob("*.kv"))
    assert len(kv_files) >= 10
    for kv in kv_files:
        check_kv_file(kv)
    for py in UI.glob("screens_*.py"):  # app.act("…") written in a screen's Python
        check_kv_file(py)
    assert "mark_notice_read" in kv_actions((UI / "screens_visit.py").read_text("utf-8"))


def test_a_misspelt_action_in_a_kv_file_fails_naming_the_file_and_the_action(
        tmp_path: Path) -> None:
    kv = tmp_path / "confirm.kv"
    kv.write_text("Button:\n    on_release: app.act('confrim')\n", encoding="utf-8")
    with pytest.raises(UnknownScreenAction, match=r"confirm\.kv runs session action 'confrim'"):
        check_kv_file(kv)


def test_a_misspelt_action_bound_in_python_fails_when_the_button_is_made() -> None:
    assert callable(on_touch("toggle_lock"))
    for wrong in ("toggle_lok", "_changed"):
        with pytest.raises(UnknownScreenAction, match=wrong):
            on_touch(wrong)
