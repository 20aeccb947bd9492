"""The receipt printer driver: ESC/POS over a pyserial port, with real-time status."""

from __future__ import annotations

import time

from devices.errors import DeviceError
from devices.printer.receipt import Receipt, render_receipt
from devices.printer.status import STATUS_QUERIES, PrinterStatus, decode_status, status_query
from devices.serial_link import Backoff, Clock, SerialDriver, wire_seconds

__all__ = ["PrinterError", "PrinterNotReady", "ReceiptPrinter"]


class PrinterError(DeviceError):
    """Base of the receipt printer's own errors."""


class PrinterNotReady(PrinterError):
    """The printer cannot print now; ``status`` says why."""

    def __init__(self, status: PrinterStatus) -> None:
        self.status = status
        super().__init__(f"receipt printer not ready: {status.reason}")


class ReceiptPrinter(SerialDriver):
    """Prints receipts on an ESC/POS printer and reads its real-time status.

    ``status_timeout`` bounds the wait for each status byte; a printer that stays silent
    yields a status with ``valid_reply`` False, never "paper OK".
    """

    label = "receipt printer"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 115200,
        encoding: str = "gb18030",
        status_timeout: float = 0.2,
        check_before_print: bool = True,
        backoff: Backoff | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(port, baudrate, backoff=backoff, clock=clock)
        self.encoding = encoding
        self.status_timeout = status_timeout
        self.check_before_print = check_before_print

    def status(self) -> PrinterStatus:
        """Return the printer's status from ``DLE EOT 1…4``; raise DeviceLost if unplugged."""
        replies: dict[int, int | None] = {}
        with self.link.lock:
            self.link.discard_input()
            for query in STATUS_QUERIES:
                replies[query] = self._ask(query)
                if replies[query] is None:
                    break
        return decode_status(replies)

    def _ask(self, query: int) -> int | None:
        request = status_query(query)
        self.link.write(request)
        deadline = self._clock() + wire_seconds(4, self.link.baudrate) + self.status_timeout
        reply = self.link.read(1, deadline)
        return reply[0] if reply else None

    def print_receipt(self, receipt: Receipt) -> None:
        """Print ``receipt``; raise PrinterNotReady (with the reason) if it cannot print."""
        self.print_bytes(render_receipt(receipt, self.encoding))

    def print_bytes(self, data: bytes) -> None:
        """Send prepared ESC/POS bytes, checking the printer's status first if configured."""
        with self.link.lock:
            if self.check_before_print:
                status = self.status()
                if not status.ready:
                    raise PrinterNotReady(status)
            self.link.write(data)
