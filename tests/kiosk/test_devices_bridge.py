"""The devices bridge over the real drivers and pty emulators (no display needed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from harness import wait_for

from devices.emulators import (
    IdCardEmulator,
    PrinterCondition,
    PrinterEmulator,
    ScannerEmulator,
    load_cards,
)
from devices.errors import FaultCode
from devices.printer import Receipt
from devices.supervisor import DeviceState
from kiosk.devices_bridge import DevicePorts, DevicesBridge, PrinterUnavailable
from kiosk.session import Identity
from sync.messages import DeviceFault
from sync.messages import DeviceState as WireState


@pytest.fixture
def emulators(tmp_path: Path) -> Iterator[tuple[IdCardEmulator, PrinterEmulator,
                                                 ScannerEmulator]]:
    made = (IdCardEmulator(load_cards(), link=tmp_path / "idcard", pace=False),
            PrinterEmulator(link=tmp_path / "printer", pace=False),
            ScannerEmulator(link=tmp_path / "scanner", pace=False))
    for emulator in made:
        emulator.start()
    yield made
    for emulator in made:
        emulator.stop()


@pytest.fixture
def bridge(emulators) -> Iterator[DevicesBridge]:
    idcard, printer, scanner = emulators
    made = DevicesBridge(DevicePorts(idcard.device_path, printer.device_path,
                                     scanner.device_path), b"k", poll_s=0.05, supervise_s=0.2,
                         today=lambda: date(2026, 11, 25))
    yield made
    made.stop()


def test_a_card_placed_after_start_is_read_masked_and_its_photo_wiped(emulators, bridge):
    idcard, _, _ = emulators
    cards: list[Identity] = []
    bridge.on_card = cards.append
    bridge.start()  # the emulator's start-up card is already there: not a tap
    idcard.remove()
    time.sleep(0.3)  # the reader polls: a card swapped faster than a poll is not a new tap
    idcard.insert("resident")
    wait_for(lambda: cards, 10, "the card read")
    identity = cards[0]
    assert identity.masked_name == "李**" and identity.masked_number.endswith("001X")
    assert identity.id_number == "33010619850312001X" and not identity.expired
    assert "李晓明" not in repr(identity)


def test_scanned_codes_arrive_and_printer_faults_are_reported_not_raised(emulators, bridge):
    _, printer, scanner = emulators
    codes: list[str] = []
    changed = threading.Event()
    bridge.on_code = codes.append
    bridge.on_health = lambda _report: changed.set()
    bridge.start()
    scanner.scan("stationnet:progress/T261125-K-WENSAN-1-000001")
    wait_for(lambda: codes, 10, "the scanned code")
    printer.set_condition(PrinterCondition.PAPER_OUT)
    wait_for(lambda: "printer" in bridge.faults(), 10, "the printer fault")
    assert "paper out" in bridge.faults()["printer"]
    printer_health = {h.name: h for h in bridge.health()}["printer"]
    assert printer_health.code is DeviceFault.PAPER_OUT
    receipt = Receipt("站", "业务", "T1", datetime(2026, 11, 25, 20, 0), "李*", (), "x")
    with pytest.raises(PrinterUnavailable, match="paper out"):
        bridge.print_receipt(receipt)
    assert {h.name for h in bridge.health()} == {"idcard", "printer", "scanner"}


def test_devices_not_configured_are_faults_with_what_to_do():
    bridge = DevicesBridge(DevicePorts(), b"k")
    bridge.start()
    try:
        assert "set idcard_port" in bridge.faults()["idcard"]
        assert {h.code for h in bridge.health()} == {DeviceFault.NOT_FITTED}
        with pytest.raises(PrinterUnavailable, match="printer_port"):
            bridge.print_receipt(Receipt("站", "业务", "T1", datetime(2026, 1, 1), "", (), "x"))
    finally:
        bridge.stop()


def test_device_states_and_fault_codes_are_the_same_on_both_sides_of_the_bridge():
    # devices/ imports nothing of ours, so it names its states and codes itself; the wire
    # types in sync/ must hold every one of them, or the bridge could not map a report.
    assert [s.value for s in DeviceState] == [s.value for s in WireState]
    assert {c.value for c in FaultCode} <= {c.value for c in DeviceFault}
    wire_only = {c.value for c in DeviceFault} - {c.value for c in FaultCode}
    assert wire_only == {"not_fitted", "starting"}  # what only the bridge knows
