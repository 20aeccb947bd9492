"""``run_app``: the touch kiosk -- agent, devices, station hours and the Kivy window.

``python -m kiosk --kiosk-id K`` (``stationnet kiosk``) calls :func:`run_app`. Kivy is
configured (fullscreen, no Escape/F1, no cursor, CJK font) before any widget loads.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.events import DeviceAlarm
from sync.settings import Settings

from .devices_bridge import DevicePorts, DevicesBridge, wire_health
from .session import lookup_key
from .ui.kivy_setup import configure_kivy

__all__ = ["run_app", "UiOptions"]

log = logging.getLogger(__name__)

TEST_CONTROL_ENV = "STATIONNET_KIOSK_TEST_CONTROL"
SCREENSHOTS_ENV = "STATIONNET_KIOSK_SCREENSHOTS"
SCREENSHOT_EVERY_S = 5.0


@dataclass(frozen=True, slots=True)
class UiOptions:
    """How the window behaves: idle timeout and warning, fullscreen."""

    idle_timeout_s: float = 90.0
    idle_warning_s: float = 20.0
    fullscreen: bool = True


def run_app(settings: Settings, kiosk_id: str, *, data_dir: Path | None = None,
            options: UiOptions | None = None) -> None:
    """Run kiosk ``kiosk_id`` with its window until the window closes or SIGTERM."""
    options = options or UiOptions()
    folder = (data_dir or settings.data_path()) / "kiosks" / kiosk_id
    configure_kivy(folder / "kivy", fullscreen=options.fullscreen)
    from .agent import KioskAgent
    from .backend import KioskBackend
    from .commands import CommandExecutor
    from .headless_devices import BridgeDevices
    from .station_state import StationState
    from .ui.app import KioskApp
    from .ui_commands import bind_commands

    config = settings.kiosk(kiosk_id)
    key = lookup_key(settings.network_name)
    bridge = DevicesBridge(DevicePorts(config.idcard_port, config.printer_port,
                                       config.scanner_port), key)
    agent = KioskAgent(settings, kiosk_id, data_dir=data_dir, devices=bridge.health)
    state = StationState(agent)
    backend = KioskBackend(agent, bridge, state)
    app = KioskApp(backend, key, idle_timeout_s=options.idle_timeout_s,
                   idle_warning_s=options.idle_warning_s)
    _wire(app, agent, bridge, state)
    executor = CommandExecutor(agent, devices=BridgeDevices(bridge),
                               log_file=folder / "kiosk.log")
    bind_commands(executor, app, folder / "screenshots")
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.post(app.stop))
    executor.start()
    agent.start()
    bridge.start()
    try:
        app.run()
    finally:
        executor.stop()
        bridge.stop()
        backend.flush()
        agent.stop()
    if executor.restart_requested.is_set():
        # A technician's restart: same process id, fresh interpreter and window.
        os.execv(sys.executable, [sys.executable, "-m", "kiosk", *sys.argv[1:]])


def _wire(app: Any, agent: Any, bridge: DevicesBridge, state: Any) -> None:
    """Connect devices, documents and the test channel to the app's UI thread."""
    session = app.session
    bridge.on_card = lambda identity: app.post(session.card_read, identity)
    bridge.on_card_error = lambda: app.post(session.card_failed)
    bridge.on_code = lambda code: app.post(session.code_scanned, code)
    alarms = DeviceAlarms(agent)
    bridge.on_health = lambda report: (alarms.report(report), app.post(app.refresh_station))
    state.on_change(lambda: app.post(app.refresh_station))
    agent.on_document(lambda _doc: app.post(app.refresh_station))
    port = os.environ.get(TEST_CONTROL_ENV)
    if port is not None:
        from .ui.testing import TestControl

        TestControl(app, int(port)).start()
    folder = os.environ.get(SCREENSHOTS_ENV)
    if folder:
        app.bind(on_start=lambda *_: _keep_screenshots(app, Path(folder)))
    app.bind(on_start=lambda *_: _announce(app, agent.kiosk_id))


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


class DeviceAlarms:
    """Turns device state changes into ``device.alarm`` outbox events and fresh presence."""

    def __init__(self, agent: Any) -> None:
        self.agent = agent
        self.last: dict[str, str] = {}

    def report(self, report: Any) -> None:
        """Record a fault or its clearing (not the first 'ok' at start-up)."""
        previous = self.last.get(report.name)
        self.last[report.name] = report.state.value
        if report.state.value == "ok" and previous in (None, "ok"):
            return
        try:
            self.agent.store.record(DeviceAlarm.of(wire_health(report)))
            self.agent.publish_presence()
        except Exception:
            log.exception("could not record the alarm of %s", report.name)
