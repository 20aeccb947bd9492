"""The scanner emulator: sends codes on demand, optionally only under software trigger."""

from __future__ import annotations

import collections
import threading
from typing import Any

from devices.emulators.base import ControlError, SerialEmulator
from devices.scanner.protocol import START_TRIGGER, STOP_TRIGGER, SUFFIXES

__all__ = ["ScannerEmulator"]


class ScannerEmulator(SerialEmulator):
    """A serial scanner; ``scan(code)`` sends ``code`` plus the suffix."""

    kind = "scanner"
    commands = ", scan <code>, raw <hex>, suffix CR|CRLF|LF"

    def __init__(
        self, *, suffix: bytes = b"\r", trigger_mode: bool = False, **options: Any
    ) -> None:
        options.setdefault("baudrate", 9600)
        super().__init__(**options)
        self.suffix = suffix
        self.trigger_mode = trigger_mode
        self.triggered = False
        self._pending: collections.deque[bytes] = collections.deque()
        self._inbox = bytearray()
        self._lock = threading.Lock()

    def scan(self, code: str | bytes) -> None:
        """Scan ``code``: send it now, or when triggered in trigger mode."""
        raw = code.encode() if isinstance(code, str) else code
        with self._lock:
            self._pending.append(raw + self.suffix)
        self._flush()

    def _flush(self) -> None:
        while True:
            with self._lock:
                if not self._pending or (self.trigger_mode and not self.triggered):
                    return
                line = self._pending.popleft()
            self.send(line)

    def on_data(self, data: bytes) -> None:
        self._inbox += data
        for command, state in ((START_TRIGGER, True), (STOP_TRIGGER, False)):
            while (index := self._inbox.find(command)) >= 0:
                del self._inbox[: index + len(command)]
                self.triggered = state
        del self._inbox[:-2]  # keep only what could start a trigger command
        self._flush()

    def control(self, words: list[str]) -> str:
        match words:
            case ["scan", code]:
                self.scan(code)
                return f"scanned {len(code)} characters"
            case ["raw", hexdigits]:
                try:
                    self.send(bytes.fromhex(hexdigits))
                except ValueError:
                    raise ControlError("usage: raw <hex bytes>") from None
                return "sent"
            case ["suffix", name] if name.upper() in SUFFIXES:
                self.suffix = SUFFIXES[name.upper()]
                return f"suffix {name.upper()}"
        return super().control(words)
