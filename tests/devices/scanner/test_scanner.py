"""Scanner line decoding and the driver against the emulator over a pty."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.emulators import ScannerEmulator
from devices.errors import DeviceLost
from devices.scanner import (
    START_TRIGGER,
    STOP_TRIGGER,
    BarcodeScanner,
    LineDecoder,
    ScanCode,
    ScanRejected,
)
from devices.serial_link import Backoff


def test_cr_terminated_codes_are_split() -> None:
    decoder = LineDecoder(b"\r")
    assert decoder.receive_data(b"ABC\rHZ-1") == [ScanCode("ABC")]
    assert decoder.receive_data(b"23\r") == [ScanCode("HZ-123")]


def test_cr_lf_suffix_is_removed_whole() -> None:
    assert LineDecoder(b"\r\n").receive_data(b"A1\r\nB2\r\n") == [ScanCode("A1"), ScanCode("B2")]


def test_cr_decoder_tolerates_a_scanner_sending_cr_lf() -> None:
    assert LineDecoder(b"\r").receive_data(b"A1\r\nB2\r\n") == [ScanCode("A1"), ScanCode("B2")]


def test_non_printable_line_is_rejected_without_its_content() -> None:
    assert LineDecoder().receive_data(b"A\x00B\r") == [ScanRejected("not printable ASCII", 3)]
    assert LineDecoder().receive_data("码\r".encode()) == [ScanRejected("not printable ASCII", 3)]


def test_overlong_line_is_rejected_and_the_next_code_still_reads() -> None:
    decoder = LineDecoder(max_length=8)
    events = decoder.receive_data(b"0123456789ABCDEF") + decoder.receive_data(b"XYZ\rOK\r")
    assert events == [ScanRejected("longer than 8 characters", 19), ScanCode("OK")]


def test_empty_lines_are_ignored() -> None:
    assert LineDecoder().receive_data(b"\r\r\r") == []


def test_invalid_configuration_is_refused() -> None:
    with pytest.raises(ValueError):
        LineDecoder(b";")
    with pytest.raises(ValueError):
        LineDecoder(max_length=0)


@pytest.fixture
def scanner_emulator(tmp_path: Path) -> Iterator[ScannerEmulator]:
    with ScannerEmulator(link=tmp_path / "scanner") as emulator:
        yield emulator


@pytest.fixture
def scanner(scanner_emulator: ScannerEmulator) -> Iterator[BarcodeScanner]:
    driver = BarcodeScanner(scanner_emulator.device_path, backoff=Backoff(0.05, 0.2))
    driver.open()
    yield driver
    driver.close()


def test_scanned_code_reaches_the_driver(
    scanner: BarcodeScanner, scanner_emulator: ScannerEmulator
) -> None:
    scanner_emulator.scan("HZ20240601-0007")
    assert scanner.read_code(timeout=1) == "HZ20240601-0007"
    assert scanner.read_code(timeout=0.05) is None


def test_garbage_from_the_scanner_is_counted_not_returned(
    scanner: BarcodeScanner, scanner_emulator: ScannerEmulator
) -> None:
    scanner_emulator.scan(b"\x01\x02")
    scanner_emulator.scan("OK1")
    assert scanner.read_code(timeout=1) == "OK1"
    assert len(scanner.rejected) == 1


def test_software_trigger_starts_and_stops_a_scan(tmp_path: Path) -> None:
    with ScannerEmulator(trigger_mode=True, link=tmp_path / "scn") as emulator:
        emulator.scan("QR-42")
        with BarcodeScanner(emulator.device_path) as driver:
            driver.open()
            assert driver.read_code(timeout=0.2) is None
            assert driver.trigger(timeout=1) == "QR-42"
            time.sleep(0.05)
            assert not emulator.triggered


def test_trigger_commands_are_the_documented_bytes() -> None:
    assert START_TRIGGER == bytes.fromhex("16540D")
    assert STOP_TRIGGER == bytes.fromhex("16550D")


def test_unplugged_scanner_is_detected_by_polling_and_recovers(
    scanner: BarcodeScanner, scanner_emulator: ScannerEmulator
) -> None:
    scanner.poll()
    scanner_emulator.unplug()
    with pytest.raises(DeviceLost):
        scanner.poll()
    scanner_emulator.replug()
    time.sleep(0.3)
    scanner.poll()
    scanner_emulator.scan("AFTER")
    assert scanner.read_code(timeout=1) == "AFTER"
