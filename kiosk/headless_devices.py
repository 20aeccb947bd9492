"""Devices of a kiosk running without its window: supervised for health and commands.

A headless kiosk with serial ports configured (or given with ``--printer-port`` …) drives
the same :class:`~kiosk.devices_bridge.DevicesBridge` as the touch app, so presence and
telemetry carry real device health and technicians' self-tests and test prints reach the
real drivers. :class:`BridgeDevices` is the executor's device provider over any bridge.
"""

from __future__ import annotations

from devices.printer import Receipt
from sync.messages import DeviceHealth
from sync.settings import KioskConfig

from .devices_bridge import DevicePorts, DevicesBridge
from .session import lookup_key

__all__ = ["BridgeDevices", "headless_bridge"]


class BridgeDevices:
    """The command executor's view of a :class:`DevicesBridge`."""

    def __init__(self, bridge: DevicesBridge) -> None:
        self.bridge = bridge

    def health(self) -> list[DeviceHealth]:
        """Return every device's last known health."""
        return self.bridge.health()

    def self_test(self) -> list[DeviceHealth]:
        """Probe every fitted device now and return its health (unfitted ones left out)."""
        self.bridge.supervisor.check_now()
        fitted = {p.name for p in self.bridge.supervisor.probes}
        return [h for h in self.bridge.health() if h.name in fitted]

    def print_receipt(self, receipt: Receipt) -> None:
        """Print ``receipt``; raises PrinterUnavailable saying why it could not."""
        self.bridge.print_receipt(receipt)


def headless_bridge(config: KioskConfig, network_name: str,
                    supervise_s: float = 1.0) -> DevicesBridge | None:
    """Return a bridge over the kiosk's configured ports, or None when it has none."""
    ports = DevicePorts(config.idcard_port, config.printer_port, config.scanner_port)
    if not (ports.idcard or ports.printer or ports.scanner):
        return None
    return DevicesBridge(ports, lookup_key(network_name), supervise_s=supervise_s)
