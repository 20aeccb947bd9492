"""Device supervision over real emulators: states, unplug/replug, contained failures."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

from devices.emulators import IdCardEmulator, IdCardFault, PrinterCondition, PrinterEmulator
from devices.errors import DeviceLost
from devices.idcard import IdCardReader
from devices.printer import ReceiptPrinter
from devices.supervisor import (
    DeviceReport,
    DeviceState,
    DeviceSupervisor,
    Health,
    IdCardReaderProbe,
    PrinterProbe,
)


class Recorder:
    def __init__(self) -> None:
        self.reports: list[DeviceReport] = []
        self.changed = threading.Condition()

    def __call__(self, report: DeviceReport) -> None:
        with self.changed:
            self.reports.append(report)
            self.changed.notify_all()

    def wait_for(self, name: str, state: DeviceState, timeout: float = 5) -> DeviceReport:
        def found() -> DeviceReport | None:
            latest = next((r for r in reversed(self.reports) if r.name == name), None)
            return latest if latest is not None and latest.state is state else None

        with self.changed:
            assert self.changed.wait_for(lambda: found() is not None, timeout), self.reports
        report = found()
        assert report is not None
        return report


class Exploding:
    name, kind = "broken", "custom"

    def check(self) -> Health:
        raise ZeroDivisionError("driver bug")


class Flaky:
    name, kind = "flaky", "custom"

    def __init__(self) -> None:
        self.lost = False

    def check(self) -> Health:
        if self.lost:
            raise DeviceLost("flaky device unplugged — plug it in")
        return Health(DeviceState.OK, "ready")


def test_state_values_are_the_wire_strings() -> None:
    assert [s.value for s in DeviceState] == ["ok", "degraded", "fault", "absent"]


def test_reports_only_changes_with_utc_since() -> None:
    recorder, flaky = Recorder(), Flaky()
    supervisor = DeviceSupervisor([flaky], recorder)
    first = supervisor.check_now()
    assert [(r.name, r.state) for r in first] == [("flaky", DeviceState.OK)]
    assert first[0].since.tzinfo is UTC
    assert supervisor.check_now() == []
    flaky.lost = True
    (absent,) = supervisor.check_now()
    assert absent.state is DeviceState.ABSENT and "plug it in" in absent.reason
    assert absent.code == "absent" and first[0].code is None
    assert supervisor.reports["flaky"] == absent


def test_crashing_probe_and_listener_do_not_stop_the_others() -> None:
    seen: list[DeviceReport] = []

    def listener(report: DeviceReport) -> None:
        seen.append(report)
        raise RuntimeError("listener bug")

    supervisor = DeviceSupervisor([Exploding(), Flaky()], listener)
    reports = supervisor.check_now()
    assert {r.name: r.state for r in reports} == {
        "broken": DeviceState.FAULT,
        "flaky": DeviceState.OK,
    }
    assert "report this to the technician" in reports[0].reason
    assert reports[0].code == "probe_crashed"
    assert len(seen) == 2


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ValueError):
        DeviceSupervisor([Flaky(), Flaky()], print)


def test_supervisor_follows_real_devices_through_faults_and_unplug(
    idcard_emulator: IdCardEmulator, printer_emulator: PrinterEmulator
) -> None:
    recorder = Recorder()
    reader = IdCardReader(idcard_emulator.device_path, reply_timeout=0.2)
    printer = ReceiptPrinter(printer_emulator.device_path, status_timeout=0.1)
    probes = [IdCardReaderProbe(reader), PrinterProbe(printer)]
    with DeviceSupervisor(probes, recorder, interval=0.05):
        recorder.wait_for("idcard", DeviceState.OK)
        recorder.wait_for("printer", DeviceState.OK)
        printer_emulator.set_condition(PrinterCondition.PAPER_NEAR_END)
        near_end = recorder.wait_for("printer", DeviceState.DEGRADED)
        assert near_end.reason == "paper near end — replace the roll soon"
        assert near_end.code == "paper_near_end"
        printer_emulator.set_condition(PrinterCondition.PAPER_OUT)
        paper_out = recorder.wait_for("printer", DeviceState.FAULT)
        assert "load a new paper roll" in paper_out.reason and paper_out.code == "paper_out"
        idcard_emulator.set_fault(IdCardFault.SAM_FAILURE)
        sam = recorder.wait_for("idcard", DeviceState.FAULT)
        assert "power-cycle" in sam.reason and sam.code == "sam_failure"
        idcard_emulator.clear_faults()
        idcard_emulator.unplug()
        absent = recorder.wait_for("idcard", DeviceState.ABSENT)
        assert absent.kind == "idcard"
        idcard_emulator.replug()
        back = recorder.wait_for("idcard", DeviceState.OK)
        assert back.since >= absent.since
        assert back.since <= datetime.now(UTC)
    reader.close()
    printer.close()


def test_hung_device_does_not_delay_the_other(
    idcard_emulator: IdCardEmulator, printer_emulator: PrinterEmulator
) -> None:
    recorder = Recorder()
    idcard_emulator.set_fault(IdCardFault.SILENT)
    reader = IdCardReader(idcard_emulator.device_path, reply_timeout=2.0)
    printer = ReceiptPrinter(printer_emulator.device_path, status_timeout=0.1)
    with DeviceSupervisor(
        [IdCardReaderProbe(reader), PrinterProbe(printer)], recorder, interval=0.05
    ):
        started = time.monotonic()
        recorder.wait_for("printer", DeviceState.OK)
        printer_emulator.set_condition(PrinterCondition.COVER_OPEN)
        recorder.wait_for("printer", DeviceState.FAULT)
        assert time.monotonic() - started < 1.5
        recorder.wait_for("idcard", DeviceState.FAULT)
    reader.close()
    printer.close()
