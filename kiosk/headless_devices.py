"""The command executor's view of the kiosk's devices, headless or with a window.

A headless kiosk with serial ports configured (or given with ``--printer-port`` …) drives
the same :class:`~kiosk.devices_bridge.DevicesBridge` as the touch app (the runtime makes
it), so presence and telemetry carry real device health and technicians' self-tests and
test prints reach the real drivers. :class:`BridgeDevices` is the executor's device
provider over any bridge.
"""

from __future__ import annotations

from devices.printer import Receipt
from sync.messages import DeviceHealth

from .devices_bridge import DevicesBridge

__all__ = ["BridgeDevices"]


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
