"""``run_app``: the touch kiosk -- the Kivy window layered on the kiosk runtime.

``python -m kiosk --kiosk-id K`` (``stationnet-kiosk``) calls :func:`run_app`. The
:class:`~kiosk.runtime.KioskRuntime` runs what a headless kiosk runs (store, outbox,
devices, device alarms, commands, restart); this adds station hours, the session and the
window. Kivy is configured (fullscreen, no Escape/F1, no cursor, CJK font) before any
widget loads.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.settings import Settings

from .runtime import KioskRuntime, kiosk_folder
from .ui.kivy_setup import configure_kivy

__all__ = ["run_app", "UiOptions", "on_window"]

log = logging.getLogger(__name__)

SCREENSHOTS_ENV = "STATIONNET_KIOSK_SCREENSHOTS"
SCREENSHOT_EVERY_S = 5.0
_WINDOW_HOOKS: list[Callable[[Any], None]] = []


@dataclass(frozen=True, slots=True)
class UiOptions:
    """How the window behaves: idle timeout and warning, fullscreen."""

    idle_timeout_s: float = 90.0
    idle_warning_s: float = 20.0
    fullscreen: bool = True


def on_window(hook: Callable[[Any], None]) -> None:
    """Call ``hook(app)`` for the window's app before it runs (development and test tools).

    Nothing is registered in production: a kiosk opens no channel but the broker's.
    """
    _WINDOW_HOOKS.append(hook)


def run_app(settings: Settings, kiosk_id: str, *, data_dir: Path | None = None,
            options: UiOptions | None = None) -> None:
    """Run kiosk ``kiosk_id`` with its window until the window closes or SIGTERM."""
    options = options or UiOptions()
    configure_kivy(kiosk_folder(settings, kiosk_id, data_dir) / "kivy",
                   fullscreen=options.fullscreen)
    from .backend import KioskBackend
    from .station_state import StationState
    from .ui.app import KioskApp
    from .ui_commands import bind_commands

    runtime = KioskRuntime(settings, kiosk_id, data_dir=data_dir, window=True)
    assert runtime.bridge is not None  # a window always has its devices' bridge
    state = StationState(runtime.agent)
    backend = KioskBackend(runtime.agent, runtime.bridge, state)
    runtime.before_network_stops(backend.flush)
    app = KioskApp(backend, runtime.lookup_key, idle_timeout_s=options.idle_timeout_s,
                   idle_warning_s=options.idle_warning_s)
    _wire(app, runtime, state)
    bind_commands(runtime.executor, app, runtime.folder / "screenshots")
    runtime.stop_on_signals(lambda: app.post(app.stop))
    runtime.start()
    try:
        app.run()
    finally:
        runtime.stop()
    runtime.restart_if_asked()


def _wire(app: Any, runtime: KioskRuntime, state: Any) -> None:
    """Connect devices, documents and the window's hooks to the app's UI thread."""
    session = app.session
    bridge = runtime.bridge
    assert bridge is not None
    bridge.on_card = lambda identity: app.post(session.card_read, identity)
    bridge.on_card_error = lambda: app.post(session.card_failed)
    bridge.on_code = lambda code: app.post(session.code_scanned, code)
    runtime.on_device_health(lambda _report: app.post(app.refresh_station))
    state.on_change(lambda: app.post(app.refresh_station))
    runtime.agent.on_document(lambda _doc: app.post(app.refresh_station))
    for hook in _WINDOW_HOOKS:
        hook(app)
    folder = os.environ.get(SCREENSHOTS_ENV)
    if folder:
        app.bind(on_start=lambda *_: _keep_screenshots(app, Path(folder)))
    app.bind(on_start=lambda *_: _announce(app, runtime.agent.kiosk_id))


def _announce(app: Any, kiosk_id: str) -> None:
    print(f"READY kiosk {kiosk_id} window", flush=True)

    def drawn() -> None:
        print(f"DRAWN {app.session.step.value}", flush=True)

    app.frames_after_render.append(drawn)


def _keep_screenshots(app: Any, folder: Path) -> None:
    """Save the window every few seconds: latest.png and the last look of each screen."""
    from kivy.clock import Clock
    from kivy.core.window import Window

    folder.mkdir(parents=True, exist_ok=True)

    def shoot(_dt: float) -> None:
        try:
            saved = Path(Window.screenshot(name=str(folder / "shot.png")))
            step = app.session.step.value
            os.replace(saved, folder / f"{step}.png")
            (folder / "latest.png").unlink(missing_ok=True)
            (folder / "latest.png").symlink_to(f"{step}.png")
        except OSError as exc:
            log.warning("could not save a screenshot in %s: %s", folder, exc)

    Clock.schedule_interval(shoot, SCREENSHOT_EVERY_S)
