"""Device emulators speaking the real byte protocols over a pty or TCP socket."""

from devices.emulators.base import ControlError, SerialEmulator
from devices.emulators.cardfile import VirtualCard, default_cards, load_cards
from devices.emulators.idcard import IdCardEmulator, IdCardFault
from devices.emulators.printer import PrinterCondition, PrinterEmulator
from devices.emulators.render import render_png, render_text
from devices.emulators.scanner import ScannerEmulator

__all__ = [
    "ControlError",
    "IdCardEmulator",
    "IdCardFault",
    "PrinterCondition",
    "PrinterEmulator",
    "ScannerEmulator",
    "SerialEmulator",
    "VirtualCard",
    "default_cards",
    "load_cards",
    "render_png",
    "render_text",
]
