"""One kiosk's running parts, wired once: the headless kiosk and the touch app both start here.

:class:`KioskRuntime` owns the store and outbox (through the agent), the devices and
their supervision, the ``device.alarm`` events their faults raise, the command executor
(the one owner of the kiosk's lock) and a technician's restart. The touch UI is a layer
on top (:func:`kiosk.app.run_app`): it adds the window and its listeners, nothing more.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from devices.supervisor import DeviceReport
from sync.events import DeviceAlarm
from sync.messages import DeviceState
from sync.settings import Settings

from .agent import KioskAgent
from .commands import CommandExecutor
from .devices_bridge import DevicePorts, DevicesBridge, wire_health
from .headless_devices import BridgeDevices
from .session import lookup_key

__all__ = ["KioskRuntime", "DeviceAlarms", "kiosk_folder", "kiosk_log_file"]

log = logging.getLogger(__name__)

HEADLESS_SUPERVISE_S = 1.0
WINDOW_SUPERVISE_S = 2.0


def kiosk_folder(settings: Settings, kiosk_id: str, data_dir: Path | None = None) -> Path:
    """Return the kiosk's own data folder (database, documents, log, screenshots)."""
    return (data_dir or settings.data_path()) / "kiosks" / kiosk_id


def kiosk_log_file(settings: Settings, kiosk_id: str, data_dir: Path | None = None) -> Path:
    """Return the kiosk's log file, what a technician's fetch-log command reads."""
    return kiosk_folder(settings, kiosk_id, data_dir) / "kiosk.log"


class DeviceAlarms:
    """Turns device state changes into ``device.alarm`` outbox events and fresh presence."""

    def __init__(self, agent: KioskAgent) -> None:
        self.agent = agent
        self.last: dict[str, DeviceState] = {}

    def report(self, report: DeviceReport) -> None:
        """Record a fault or its clearing (not the first 'ok' at start-up)."""
        health = wire_health(report)
        previous = self.last.get(report.name)
        self.last[report.name] = health.state
        if health.state is DeviceState.OK and previous in (None, DeviceState.OK):
            return
        try:
            self.agent.store.record(DeviceAlarm.of(health))
            self.agent.publish_presence()
        except Exception:
            log.exception("could not record the alarm of %s", report.name)


class KioskRuntime:
    """Everything one kiosk runs, with or without its window."""

    def __init__(self, settings: Settings, kiosk_id: str, *, data_dir: Path | None = None,
                 window: bool = False) -> None:
        config = settings.kiosk(kiosk_id)
        self.folder = kiosk_folder(settings, kiosk_id, data_dir)
        self.log_file = kiosk_log_file(settings, kiosk_id, data_dir)
        self.lookup_key = lookup_key(settings.network_name)
        ports = DevicePorts(config.idcard_port, config.printer_port, config.scanner_port)
        # The window always has a bridge (it shows unfitted devices); a headless kiosk
        # only drives the devices it has.
        fitted = bool(ports.idcard or ports.printer or ports.scanner)
        self.bridge = DevicesBridge(
            ports, self.lookup_key,
            supervise_s=WINDOW_SUPERVISE_S if window else HEADLESS_SUPERVISE_S,
        ) if window or fitted else None
        self.agent = KioskAgent(settings, kiosk_id, data_dir=data_dir,
                                devices=self.bridge.health if self.bridge else None)
        self.executor = CommandExecutor(
            self.agent, devices=BridgeDevices(self.bridge) if self.bridge else None,
            log_file=self.log_file)
        self.alarms = DeviceAlarms(self.agent)
        self._health_listeners: list[Callable[[DeviceReport], None]] = []
        if self.bridge is not None:
            self.bridge.on_health = self._health_changed
        self._flushes: list[Callable[[], None]] = []
        self.stopping = threading.Event()
        self.executor.on_restart = self.stopping.set

    def on_device_health(self, listener: Callable[[DeviceReport], None]) -> None:
        """Call ``listener(report)`` on a device's thread whenever its health changes."""
        self._health_listeners.append(listener)

    def _health_changed(self, report: DeviceReport) -> None:
        self.alarms.report(report)
        for listener in self._health_listeners:
            listener(report)

    def before_network_stops(self, flush: Callable[[], None]) -> None:
        """Call ``flush()`` at stop, after the devices and before the store closes."""
        self._flushes.append(flush)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Start answering commands, the network side and the devices."""
        self.executor.start()
        self.agent.start()
        if self.bridge is not None:
            self.bridge.start()

    def stop(self) -> None:
        """Finish the command in progress, release the devices, stop the network side."""
        self.executor.stop()
        if self.bridge is not None:
            self.bridge.stop()
        for flush in self._flushes:
            flush()
        self.agent.stop()

    def stop_on_signals(self, stop: Callable[[], None] | None = None) -> None:
        """Make SIGTERM and SIGINT call ``stop`` (default: end :meth:`wait`)."""
        action = stop or self.stopping.set
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: action())

    def wait(self) -> None:
        """Block until a signal or a technician's restart asks the kiosk to stop."""
        self.stopping.wait()

    def restart_if_asked(self) -> None:
        """Re-execute this process if a technician asked for a restart; else return.

        Same process id, fresh interpreter (and window): supervisors and tests keep their
        handle, and the kiosk comes back with the command line it was started with.
        """
        if self.executor.restart_requested.is_set():
            log.info("restarting on the controller's command")
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
