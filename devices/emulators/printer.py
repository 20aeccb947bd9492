"""The receipt printer emulator: decodes ESC/POS into receipts and answers DLE EOT."""

from __future__ import annotations

import threading
from enum import StrEnum
from pathlib import Path
from typing import Any

from devices.emulators.base import ControlError, SerialEmulator
from devices.emulators.render import render_png, render_text
from devices.printer.decoder import Cut, EscPosDecoder, PrintedReceipt, StatusQuery

__all__ = ["PrinterCondition", "PrinterEmulator"]


class PrinterCondition(StrEnum):
    """Conditions the printer can be put in (the control word is the value)."""

    PAPER_NEAR_END = "paper-near-end"
    PAPER_OUT = "paper-out"
    COVER_OPEN = "cover-open"
    OFFLINE = "offline"
    CUTTER_ERROR = "cutter-error"
    SILENT = "silent"  # no status reply at all
    GARBAGE = "garbage"  # status replies that are not status bytes


_STOPPED = {
    PrinterCondition.PAPER_OUT,
    PrinterCondition.COVER_OPEN,
    PrinterCondition.OFFLINE,
    PrinterCondition.CUTTER_ERROR,
}


class PrinterEmulator(SerialEmulator):
    """An ESC/POS printer; finished receipts collect in ``receipts`` (and ``output_dir``)."""

    kind = "printer"
    commands = ", fault <condition>, fault clear, receipts, last"

    def __init__(
        self, *, encoding: str = "gb18030", output_dir: Path | None = None, **options: Any
    ) -> None:
        super().__init__(**options)
        self.output_dir = output_dir
        self.receipts: list[PrintedReceipt] = []
        self.conditions: set[PrinterCondition] = set()
        self._decoder = EscPosDecoder(encoding)
        self._printed = threading.Condition()

    def set_condition(self, condition: PrinterCondition, active: bool = True) -> None:
        """Enter (or leave) ``condition``."""
        (self.conditions.add if active else self.conditions.discard)(condition)

    def clear(self) -> None:
        """Return to a ready printer with paper."""
        self.conditions.clear()

    def wait_for_receipt(self, count: int = 1, timeout: float = 5.0) -> PrintedReceipt:
        """Return the ``count``-th receipt once it has been cut; raise TimeoutError."""
        with self._printed:
            if not self._printed.wait_for(lambda: len(self.receipts) >= count, timeout):
                raise TimeoutError(f"printer emulator saw {len(self.receipts)} receipts")
            return self.receipts[count - 1]

    def status_byte(self, n: int) -> int:
        """Return this printer's reply to ``DLE EOT n`` in its current condition."""
        c = self.conditions
        if PrinterCondition.GARBAGE in c:
            return 0xFF
        out = PrinterCondition.PAPER_OUT in c
        bits = {
            1: 0x08 if c & _STOPPED else 0,
            2: (0x04 if PrinterCondition.COVER_OPEN in c else 0)
            | (0x20 if out else 0)
            | (0x40 if PrinterCondition.CUTTER_ERROR in c else 0),
            3: 0x08 if PrinterCondition.CUTTER_ERROR in c else 0,
            4: (0x0C if out or PrinterCondition.PAPER_NEAR_END in c else 0) | (0x60 if out else 0),
        }
        return 0x12 | bits[n]

    def on_data(self, data: bytes) -> None:
        for event in self._decoder.receive_data(data):
            if isinstance(event, StatusQuery):
                if PrinterCondition.SILENT not in self.conditions:
                    self.send(bytes([self.status_byte(event.n)]))
            elif isinstance(event, Cut):
                self._finish(event.receipt)

    def _finish(self, receipt: PrintedReceipt) -> None:
        if self.conditions & _STOPPED:
            return  # a stopped printer prints nothing
        with self._printed:
            self.receipts.append(receipt)
            self._printed.notify_all()
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            stem = self.output_dir / f"receipt-{len(self.receipts):04d}"
            stem.with_suffix(".txt").write_text(render_text(receipt), encoding="utf-8")
            render_png(receipt, stem.with_suffix(".png"))

    def control(self, words: list[str]) -> str:
        match words:
            case ["fault", "clear"] | ["clear"]:
                self.clear()
                return "printer ready"
            case ["fault", name]:
                try:
                    self.set_condition(PrinterCondition(name))
                except ValueError:
                    names = ", ".join(c.value for c in PrinterCondition)
                    raise ControlError(f"usage: fault <{names}>|clear") from None
                return f"condition {name} set"
            case ["receipts"]:
                return f"receipts={len(self.receipts)}"
            case ["last"]:
                if not self.receipts:
                    raise ControlError("nothing printed yet")
                return render_text(self.receipts[-1]).replace("\n", " | ")
        return super().control(words)

    def describe(self) -> str:
        state = ",".join(sorted(c.value for c in self.conditions)) or "ready"
        return f"{super().describe()} condition={state} receipts={len(self.receipts)}"
