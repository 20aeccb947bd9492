"""The kiosk runtime: what a headless kiosk runs is what the window runs under its UI."""

from __future__ import annotations

from pathlib import Path

from harness import free_port, wait_for

from devices.emulators import PrinterCondition, PrinterEmulator
from kiosk.runtime import KioskRuntime
from sync.settings import Settings


def _settings(tmp_path: Path, printer_port: str = "") -> Settings:
    return Settings.model_validate({
        "data_dir": str(tmp_path / "data"), "broker": {"port": free_port()},
        "stations": [{"id": "s-1", "name": "站", "district": "d", "address": "a",
                      "lat": 30.0, "lon": 120.0}],
        "kiosks": [{"id": "k-1", "station": "s-1", "printer_port": printer_port}]})


def _events(runtime: KioskRuntime) -> list[tuple[str, dict[str, object]]]:
    store = runtime.agent.store
    with store.sessions() as session:
        return [(e.type, e.body) for e in store.outbox.pending(session)]


def test_a_headless_kiosk_reports_a_printer_fault_as_a_device_alarm(tmp_path: Path) -> None:
    with PrinterEmulator(link=tmp_path / "printer", pace=False) as printer:
        runtime = KioskRuntime(_settings(tmp_path, printer.device_path), "k-1")
        runtime.start()
        try:
            printer.set_condition(PrinterCondition.PAPER_OUT)
            alarms = wait_for(lambda: [b for t, b in _events(runtime) if t == "device.alarm"],
                              15, "a device.alarm in the outbox")
        finally:
            runtime.stop()
    assert alarms[0]["device"] == "printer" and alarms[0]["code"] == "paper_out"


def test_a_headless_kiosk_without_devices_has_no_bridge_but_answers_commands(
        tmp_path: Path) -> None:
    runtime = KioskRuntime(_settings(tmp_path), "k-1")
    assert runtime.bridge is None and runtime.executor.devices is None
    assert runtime.log_file == tmp_path / "data" / "kiosks" / "k-1" / "kiosk.log"
    assert not runtime.executor.restart_requested.is_set()
    runtime.agent.store.close()
