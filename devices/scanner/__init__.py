"""QR/barcode scanner: line decoder core and serial driver."""

from devices.errors import DeviceBusy, DeviceLost, DeviceTimeout
from devices.scanner.driver import BarcodeScanner
from devices.scanner.protocol import (
    START_TRIGGER,
    STOP_TRIGGER,
    SUFFIXES,
    LineDecoder,
    ScanCode,
    ScanRejected,
)

__all__ = [
    "START_TRIGGER",
    "STOP_TRIGGER",
    "SUFFIXES",
    "BarcodeScanner",
    "DeviceBusy",
    "DeviceLost",
    "DeviceTimeout",
    "LineDecoder",
    "ScanCode",
    "ScanRejected",
]
