"""Touches name the session actions they run; each name is checked against the session.

``app.act('name')`` in a ``.kv`` file and :func:`on_touch` in a screen both name a
:class:`~kiosk.session.KioskSession` method. A misspelt name would otherwise fail only
when a citizen touches that button; here it fails when the screens load (and in the
tests). No Kivy import at module level: the checks run without a display.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..session import KioskSession

__all__ = ["UnknownScreenAction", "require_action", "kv_actions", "check_kv_file", "on_touch"]

_KV_ACT = re.compile(r"""\bapp\.act\(\s*['"]([^'"]*)['"]""")


class UnknownScreenAction(LookupError):
    """A screen names a session action that does not exist; the message says where."""


def require_action(name: str, where: str = "a screen") -> None:
    """Raise UnknownScreenAction unless ``name`` is a public method of the session."""
    if name.startswith("_") or not callable(getattr(KioskSession, name, None)):
        raise UnknownScreenAction(f"{where} runs session action {name!r}, which KioskSession "
                                  "does not have; fix the name or add the method")


def kv_actions(text: str) -> list[str]:
    """Return the action names of every ``app.act('name', …)`` in a kv source, in order."""
    return _KV_ACT.findall(text)


def check_kv_file(path: Path) -> None:
    """Raise UnknownScreenAction if ``path`` names an action the session does not have."""
    for name in kv_actions(path.read_text(encoding="utf-8")):
        require_action(name, path.name)


def on_touch(name: str, *args: Any) -> Callable[..., None]:
    """Return a button callback that runs session action ``name`` (checked now)."""
    require_action(name)

    def run(*_event: Any) -> None:
        from kivy.app import App

        App.get_running_app().act(name, *args)

    return run
