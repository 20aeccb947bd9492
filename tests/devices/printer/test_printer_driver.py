"""The printer driver against the emulator over a real pty: print, status, unplug."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from devices.emulators import PrinterCondition, PrinterEmulator, render_png, render_text
from devices.errors import DeviceLost
from devices.printer import PrinterNotReady, Receipt, ReceiptPrinter


def test_printed_receipt_is_decoded_back_by_the_printer(
    printer: ReceiptPrinter, printer_emulator: PrinterEmulator, receipt: Receipt
) -> None:
    printer.print_receipt(receipt)
    page = printer_emulator.wait_for_receipt()
    assert page.qr_payloads == [receipt.qr_payload]
    assert f"受理编号：{receipt.tracking_number}" in page.text
    assert page.lines[0].bold and page.lines[0].width == 2
    assert "[QR https://stationnet.example/t/HZ20240601-0007]" in render_text(page)


def test_receipt_renders_to_a_png(
    printer: ReceiptPrinter, printer_emulator: PrinterEmulator, receipt: Receipt, tmp_path: Path
) -> None:
    printer.print_receipt(receipt)
    target = tmp_path / "receipt.png"
    render_png(printer_emulator.wait_for_receipt(), target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_emulator_with_output_dir_writes_text_and_png(receipt: Receipt, tmp_path: Path) -> None:
    with PrinterEmulator(output_dir=tmp_path, pace=False) as emulator:
        with ReceiptPrinter(emulator.device_path) as driver:
            driver.print_receipt(receipt)
        emulator.wait_for_receipt()
    assert (tmp_path / "receipt-0001.txt").read_text(encoding="utf-8").endswith("-- cut --\n")
    assert (tmp_path / "receipt-0001.png").exists()


@pytest.mark.parametrize(
    ("condition", "flag"),
    [
        (PrinterCondition.PAPER_OUT, "paper_out"),
        (PrinterCondition.COVER_OPEN, "cover_open"),
        (PrinterCondition.CUTTER_ERROR, "cutter_error"),
    ],
)
def test_printer_conditions_show_in_status_and_block_printing(
    printer: ReceiptPrinter,
    printer_emulator: PrinterEmulator,
    receipt: Receipt,
    condition: PrinterCondition,
    flag: str,
) -> None:
    assert printer.status().ready
    printer_emulator.set_condition(condition)
    status = printer.status()
    assert getattr(status, flag) and not status.ready
    with pytest.raises(PrinterNotReady) as raised:
        printer.print_receipt(receipt)
    assert raised.value.status == status
    printer_emulator.clear()
    assert printer.status().ready


def test_paper_near_end_still_prints(
    printer: ReceiptPrinter, printer_emulator: PrinterEmulator, receipt: Receipt
) -> None:
    printer_emulator.set_condition(PrinterCondition.PAPER_NEAR_END)
    assert printer.status().warnings
    printer.print_receipt(receipt)
    assert printer_emulator.wait_for_receipt().qr_payloads == [receipt.qr_payload]


def test_offline_printer_is_not_ready(
    printer: ReceiptPrinter, printer_emulator: PrinterEmulator
) -> None:
    printer_emulator.set_condition(PrinterCondition.OFFLINE)
    status = printer.status()
    assert status.valid_reply and not status.online and not status.ready


@pytest.mark.parametrize("condition", [PrinterCondition.SILENT, PrinterCondition.GARBAGE])
def test_silent_or_garbage_printer_is_a_communication_fault(
    printer: ReceiptPrinter, printer_emulator: PrinterEmulator, condition: PrinterCondition
) -> None:
    printer_emulator.set_condition(condition)
    started = time.monotonic()
    status = printer.status()
    assert not status.valid_reply and not status.ready
    assert time.monotonic() - started < 0.5


def test_unplugged_printer_raises_device_lost_then_recovers(
    printer: ReceiptPrinter, printer_emulator: PrinterEmulator
) -> None:
    assert printer.status().ready
    printer_emulator.unplug()
    with pytest.raises(DeviceLost):
        printer.status()
    printer_emulator.replug()
    deadline = time.monotonic() + 3
    while True:
        try:
            assert printer.status().ready
            return
        except DeviceLost:
            assert time.monotonic() < deadline, "printer did not reconnect within 3 s"
            time.sleep(0.05)
