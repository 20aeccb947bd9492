"""Real-time printer status: decode the ``DLE EOT n`` replies into a PrinterStatus."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from devices.errors import FaultCode

__all__ = ["STATUS_QUERIES", "PrinterStatus", "decode_status", "is_status_byte", "status_query"]

STATUS_QUERIES: Final = (1, 2, 3, 4)
_FIXED_MASK: Final = 0b1001_0011  # bits 0, 1, 4, 7 ...
_FIXED_BITS: Final = 0b0001_0010  # ... are always 0, 1, 1, 0 in a status byte


def status_query(n: int) -> bytes:
    """Return the ``DLE EOT n`` request for status ``n`` (1 printer … 4 paper sensor)."""
    if n not in STATUS_QUERIES:
        raise ValueError("DLE EOT takes n = 1, 2, 3 or 4")
    return bytes([0x10, 0x04, n])


def is_status_byte(value: int) -> bool:
    """Return whether ``value`` has the shape 0xx1xx10b every status reply has."""
    return (value & _FIXED_MASK) == _FIXED_BITS


def _bit(value: int, bit: int) -> bool:
    return bool(value >> bit & 1)


@dataclass(frozen=True)
class PrinterStatus:
    """The printer's condition; ``valid_reply`` False means we could not tell (a fault)."""

    valid_reply: bool
    online: bool = False
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    recoverable_error: bool = False
    detail: str = ""

    @classmethod
    def no_reply(cls, query: int, reply: int | None) -> PrinterStatus:
        """Return the status for a missing or malformed reply to ``DLE EOT query``."""
        got = "no reply" if reply is None else f"reply 0x{reply:02X} is not a status byte"
        return cls(valid_reply=False, detail=f"status query {query}: {got}")

    @property
    def ready(self) -> bool:
        """Return whether a receipt can be printed now."""
        return self.valid_reply and self.online and not self.faults

    def _fault_list(self) -> list[tuple[FaultCode, str]]:
        if not self.valid_reply:
            return [(FaultCode.NOT_ANSWERING, f"printer not answering ({self.detail}) — "
                                              "check its power, cable and baud rate")]
        reasons = [
            (self.paper_out, FaultCode.PAPER_OUT, "paper out — load a new paper roll"),
            (self.cover_open, FaultCode.COVER_OPEN, "cover open — close the printer cover"),
            (self.cutter_error, FaultCode.CUTTER_ERROR,
             "paper cutter jammed — clear the cutter and close the cover"),
            (self.unrecoverable_error, FaultCode.PRINTER_ERROR,
             "printer error — power-cycle the printer"),
            (self.recoverable_error, FaultCode.PRINTER_ERROR,
             "printer error — open and close the cover to recover"),
        ]
        found = [(code, text) for flag, code, text in reasons if flag]
        if not self.online and not found:
            found.append((FaultCode.OFFLINE,
                          "printer offline — check it is switched on and not paused"))
        return found

    def _warning_list(self) -> list[tuple[FaultCode, str]]:
        return ([(FaultCode.PAPER_NEAR_END, "paper near end — replace the roll soon")]
                if self.paper_near_end else [])

    @property
    def faults(self) -> list[str]:
        """Return the operator-facing reasons the printer cannot print (empty if none)."""
        return [text for _, text in self._fault_list()]

    @property
    def warnings(self) -> list[str]:
        """Return conditions that allow printing but need attention soon."""
        return [text for _, text in self._warning_list()]

    @property
    def code(self) -> FaultCode | None:
        """Return the code of the most urgent condition (the first fault, else the warning)."""
        found = self._fault_list() + self._warning_list()
        return found[0][0] if found else None

    @property
    def reason(self) -> str:
        """Return one human sentence for the whole condition."""
        return "; ".join(self.faults + self.warnings) or "ready"


def decode_status(replies: Mapping[int, int | None]) -> PrinterStatus:
    """Return the PrinterStatus for the replies to ``DLE EOT 1…4`` (None: nothing came)."""
    for query in STATUS_QUERIES:
        reply = replies.get(query)
        if reply is None or not is_status_byte(reply):
            return PrinterStatus.no_reply(query, reply)
    printer, cause, error, paper = (int(replies[q] or 0) for q in STATUS_QUERIES)
    return PrinterStatus(
        valid_reply=True,
        online=not _bit(printer, 3),
        cover_open=_bit(cause, 2),
        paper_near_end=_bit(paper, 2) or _bit(paper, 3),
        paper_out=_bit(paper, 5) or _bit(paper, 6) or _bit(cause, 5),
        cutter_error=_bit(error, 3),
        unrecoverable_error=_bit(error, 5),
        recoverable_error=_bit(error, 2),
    )
