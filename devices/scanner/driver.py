"""The QR/barcode scanner driver: line-oriented codes from a pyserial port."""

from __future__ import annotations

import collections
import time

from devices.scanner.protocol import (
    START_TRIGGER,
    STOP_TRIGGER,
    LineDecoder,
    ScanCode,
    ScanRejected,
)
from devices.serial_link import Backoff, Clock, SerialDriver

__all__ = ["BarcodeScanner"]


class BarcodeScanner(SerialDriver):
    """Reads codes from a serial scanner; rejected lines are counted, not returned."""

    label = "code scanner"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        suffix: bytes = b"\r",
        max_length: int = 512,
        backoff: Backoff | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(port, baudrate, backoff=backoff, clock=clock)
        self.rejected: list[ScanRejected] = []
        self._decoder = LineDecoder(suffix, max_length)
        self._codes: collections.deque[str] = collections.deque()

    def poll(self) -> None:
        """Collect codes already received without waiting; raise DeviceLost if unplugged."""
        self._accept(self.link.poll())

    def read_code(self, timeout: float) -> str | None:
        """Return the next valid code, or None if none arrives within ``timeout`` seconds."""
        deadline = self._clock() + timeout
        while not self._codes:
            remaining = deadline - self._clock()
            if remaining <= 0:
                return None
            self._accept(self.link.read(1, deadline))
            self._accept(self.link.poll())
        return self._codes.popleft()

    def trigger(self, timeout: float) -> str | None:
        """Return one code scanned under software trigger (16 54 0D … 16 55 0D)."""
        self.link.write(START_TRIGGER)
        try:
            return self.read_code(timeout)
        finally:
            self.link.write(STOP_TRIGGER)

    def _accept(self, data: bytes) -> None:
        for event in self._decoder.receive_data(data):
            if isinstance(event, ScanCode):
                self._codes.append(event.text)
            else:
                self.rejected.append(event)
