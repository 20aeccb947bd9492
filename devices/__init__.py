"""stationnet devices: ID-card reader, receipt printer, scanner, emulators, supervision.

Subpackages: ``devices.idcard``, ``devices.printer``, ``devices.scanner``,
``devices.emulators``; ``devices.supervisor`` watches them. See devices/README.md.
"""

from devices.errors import DeviceBusy, DeviceError, DeviceLost, DeviceTimeout

__all__ = ["DeviceBusy", "DeviceError", "DeviceLost", "DeviceTimeout"]
