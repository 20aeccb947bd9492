"""Typed ID-card reader errors whose messages tell the operator or citizen what to do."""

from __future__ import annotations

from devices.errors import DeviceError, FaultCode
from devices.idcard.protocol import Command, Sw3

__all__ = [
    "CardMovedDuringRead",
    "CardReaderError",
    "CardRejected",
    "ChecksumError",
    "InvalidCardData",
    "NoCard",
    "ReaderProtocolError",
    "SamFault",
    "error_for_status",
]


class CardReaderError(DeviceError):
    """Base of the ID-card reader's own errors."""


class NoCard(CardReaderError):
    """No card is on the reader."""

    def __init__(self) -> None:
        super().__init__("no ID card on the reader — place the card flat on the reader")


class CardMovedDuringRead(CardReaderError):
    """The card left the field between finding it and finishing the read."""

    def __init__(self) -> None:
        super().__init__(
            "the ID card moved during reading — place it flat on the reader, hold still "
            "and try again"
        )


class ChecksumError(CardReaderError):
    """Frames kept arriving corrupted (or the reader rejected our checksum)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "ID-card reader data was corrupted on the cable"
            + (f" ({detail})" if detail else "")
            + " — try again; if it persists, check the serial cable and baud rate"
        )


class SamFault(CardReaderError):
    """The reader's SAM security module failed its self-test or is not authorised."""

    code = FaultCode.SAM_FAILURE

    def __init__(self, status: Sw3) -> None:
        self.status = status
        super().__init__(
            f"ID-card reader security module fault ({status.name.lower()}) — power-cycle "
            "the reader; if it persists, replace it or contact the vendor"
        )


class CardRejected(CardReaderError):
    """The card failed authentication or is of an unknown type."""

    def __init__(self, status: Sw3) -> None:
        self.status = status
        super().__init__(
            f"this card could not be authenticated ({status.name.lower()}) — check it is a "
            "genuine resident ID card or residence permit; otherwise use the staffed counter"
        )


class InvalidCardData(CardReaderError):
    """The card's data does not form a valid identity (bad field, check digit, date)."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(
            f"the card's {field} is not valid — try reading it again; if it persists the "
            "card may be damaged: refer the citizen to the staffed counter"
        )


class ReaderProtocolError(CardReaderError):
    """The reader answered something the protocol does not allow here."""

    def __init__(self, command: Command, detail: str) -> None:
        self.command = command
        super().__init__(
            f"ID-card reader gave an unexpected reply to {command.label} ({detail}) — "
            "power-cycle the reader; if it persists, check its firmware and baud rate"
        )


_AUTH_FAILURES = frozenset(
    {
        Sw3.CARD_AUTH_SAM_FAILED,
        Sw3.SAM_AUTH_CARD_FAILED,
        Sw3.VERIFY_ERROR,
        Sw3.FINGERPRINT_VERIFY_ERROR,
        Sw3.UNKNOWN_CARD_TYPE,
        Sw3.RANDOM_NUMBER_FAILED,
    }
)


def error_for_status(command: Command, sw3: int) -> CardReaderError:
    """Return the typed error for a failure status word ``sw3`` in reply to ``command``."""
    try:
        status = Sw3(sw3)
    except ValueError:
        return ReaderProtocolError(command, f"unknown status 0x{sw3:02X}")
    if status in (Sw3.SAM_SELF_TEST_FAILED, Sw3.SAM_NOT_AUTHORISED):
        return SamFault(status)
    if status in _AUTH_FAILURES:
        return CardRejected(status)
    if status is Sw3.FIND_CARD_FAILED:
        return NoCard()
    if status in (Sw3.SELECT_CARD_FAILED, Sw3.READ_FAILED):
        return CardMovedDuringRead()
    if status is Sw3.CHECKSUM_ERROR:
        return ChecksumError("the reader rejected our frame")
    return ReaderProtocolError(command, f"status {status.name.lower()}")
