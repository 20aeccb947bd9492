"""Device emulators speaking the real byte protocols over a pty or TCP socket."""

from devices.emulators.base import ControlError, SerialEmulator
from devices.emulators.cardfile import DEFAULT_CARDS, VirtualCard, load_cards
from devices.emulators.idcard import IdCardEmulator, IdCardFault

__all__ = [
    "DEFAULT_CARDS",
    "ControlError",
    "IdCardEmulator",
    "IdCardFault",
    "SerialEmulator",
    "VirtualCard",
    "load_cards",
]
