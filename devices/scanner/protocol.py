"""Sans-I/O scanner core: split the byte stream into validated codes at the suffix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["START_TRIGGER", "STOP_TRIGGER", "SUFFIXES", "LineDecoder", "ScanCode", "ScanRejected"]

START_TRIGGER: Final = b"\x16T\r"
STOP_TRIGGER: Final = b"\x16U\r"
SUFFIXES: Final = {"CR": b"\r", "CRLF": b"\r\n", "LF": b"\n"}


@dataclass(frozen=True)
class ScanCode:
    """A scanned code: printable ASCII, suffix removed."""

    text: str


@dataclass(frozen=True)
class ScanRejected:
    """A line that was not a valid code; ``reason`` says why (its content is dropped)."""

    reason: str
    length: int


class LineDecoder:
    """Feed bytes; get ScanCode or ScanRejected for every suffix-terminated line."""

    def __init__(self, suffix: bytes = b"\r", max_length: int = 512) -> None:
        if suffix not in SUFFIXES.values():
            raise ValueError("scanner suffix must be CR, CR LF or LF")
        if max_length < 1:
            raise ValueError("max_length must be positive")
        self.suffix = suffix
        self.max_length = max_length
        self._buffer = bytearray()
        self._overflowed = 0

    def receive_data(self, data: bytes) -> list[ScanCode | ScanRejected]:
        """Return the codes (and rejections) completed by ``data``."""
        self._buffer += data
        events: list[ScanCode | ScanRejected] = []
        while (end := self._buffer.find(self.suffix)) >= 0:
            line = bytes(self._buffer[:end])
            del self._buffer[: end + len(self.suffix)]
            event = self._judge(line)
            if event is not None:
                events.append(event)
        if len(self._buffer) > self.max_length:
            self._overflowed += len(self._buffer)
            self._buffer.clear()
        return events

    def _judge(self, line: bytes) -> ScanCode | ScanRejected | None:
        overflowed, self._overflowed = self._overflowed, 0
        if overflowed:
            return ScanRejected(f"longer than {self.max_length} characters", overflowed + len(line))
        if self.suffix == b"\r":
            line = line.lstrip(b"\n")  # a scanner configured for CR LF: tolerate the LF
        if not line:
            return None
        if len(line) > self.max_length:
            return ScanRejected(f"longer than {self.max_length} characters", len(line))
        if not all(0x20 <= byte < 0x7F for byte in line):
            return ScanRejected("not printable ASCII", len(line))
        return ScanCode(line.decode("ascii"))
