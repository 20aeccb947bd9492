"""Technician commands in the touch app: lock shown on screen and kept, screenshots, restart.

The headless kiosk's :class:`~kiosk.commands.CommandExecutor` runs here too; this module
binds it to the window. Screens between visits show no personal data, and a screenshot
is refused while a citizen's visit is in progress (the executor checks
``session_active`` before any handler runs).
"""

from __future__ import annotations

import base64
import io
import threading
from pathlib import Path
from typing import Any

from .commands import CommandExecutor, CommandFailed, LockState
from .session.steps import HOME_STEPS

__all__ = ["bind_commands", "SCREENSHOT_PREVIEW"]

SCREENSHOT_PREVIEW = (640, 360)  # what travels back to the technician (≈ 30-60 KB)


def bind_commands(executor: CommandExecutor, app: Any, folder: Path) -> None:
    """Make remote lock, screenshot and restart act on the running window."""
    session = app.session
    executor.session_active = lambda: session.step not in HOME_STEPS

    def show_lock(state: LockState) -> None:
        app.post(session.lock_changed, state.locked, state.message)

    executor.on_lock_change(show_lock)
    show_lock(executor.lock_state)
    # The executor owns the lock: the technician screen asks it, and is told like a remote
    # lock, so a lock set at the kiosk survives a restart too.
    session.ask_lock = lambda locked: executor.change_lock(locked)
    executor.on_restart = lambda: app.post(app.stop)
    executor.register("screenshot", lambda _command, _args: _screenshot(app, folder))


def _screenshot(app: Any, folder: Path) -> dict[str, Any]:
    """Return a PNG preview of the window (base64) and where the full-size copy is."""
    taken: dict[str, str] = {}
    done = threading.Event()

    def shoot() -> None:
        from kivy.core.window import Window

        try:
            folder.mkdir(parents=True, exist_ok=True)
            taken["path"] = str(Window.screenshot(name=str(folder / "remote.png")))
        finally:
            done.set()

    app.post(shoot)
    if not done.wait(10) or "path" not in taken:
        raise CommandFailed("the window did not produce a screenshot within 10 s")
    from PIL import Image

    with Image.open(taken["path"]) as image:
        size = image.size
        image.thumbnail(SCREENSHOT_PREVIEW)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    return {"path": taken["path"], "width": size[0], "height": size[1],
            "preview_png_base64": base64.b64encode(buffer.getvalue()).decode()}
