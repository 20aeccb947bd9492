"""Device supervision: probe each device, report ok/degraded/fault/absent on change.

Each probe runs on its own thread, so a hung or crashing device never stalls the
others; every exception a probe raises is contained and reported as that device's state.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from types import TracebackType
from typing import Protocol

from devices.errors import DeviceError, DeviceLost, FaultCode
from devices.idcard.driver import IdCardReader
from devices.printer.driver import ReceiptPrinter
from devices.scanner.driver import BarcodeScanner

__all__ = [
    "DeviceProbe",
    "DeviceReport",
    "DeviceState",
    "DeviceSupervisor",
    "Health",
    "IdCardReaderProbe",
    "PrinterProbe",
    "ScannerProbe",
]

log = logging.getLogger(__name__)


class DeviceState(StrEnum):
    """A device's health as its supervisor sees it.

    The wire has its own ``sync.messages.DeviceState`` with the same values (this package
    imports nothing of ours); the kiosk's bridge maps one to the other.
    """

    OK = "ok"
    DEGRADED = "degraded"
    FAULT = "fault"
    ABSENT = "absent"


@dataclass(frozen=True)
class Health:
    """What one probe found: a state, a human reason and, unless ok, a fault code."""

    state: DeviceState
    reason: str
    code: FaultCode | None = None


@dataclass(frozen=True)
class DeviceReport:
    """A device's state since ``since`` (UTC), reported whenever state or reason changes."""

    name: str
    kind: str
    state: DeviceState
    reason: str
    since: datetime
    code: FaultCode | None = None


class DeviceProbe(Protocol):
    """Checks one device; may raise (DeviceLost means absent, anything else a fault)."""

    name: str
    kind: str

    def check(self) -> Health:
        """Return the device's health now."""
        ...


class IdCardReaderProbe:
    """Probes an ID-card reader with the SAM status command."""

    kind = "idcard"

    def __init__(self, reader: IdCardReader, name: str = "idcard") -> None:
        self.reader, self.name = reader, name

    def check(self) -> Health:
        """Return ok if the SAM passes its self-test."""
        self.reader.check_sam()
        return Health(DeviceState.OK, "ready")


class PrinterProbe:
    """Probes a receipt printer with DLE EOT; paper near end is degraded."""

    kind = "printer"

    def __init__(self, printer: ReceiptPrinter, name: str = "printer") -> None:
        self.printer, self.name = printer, name

    def check(self) -> Health:
        """Return the printer's health from its real-time status."""
        status = self.printer.status()
        if status.faults:
            return Health(DeviceState.FAULT, status.reason, status.code)
        if status.warnings:
            return Health(DeviceState.DEGRADED, status.reason, status.code)
        return Health(DeviceState.OK, "ready")


class ScannerProbe:
    """Probes a scanner by polling its port (scanners take no commands)."""

    kind = "scanner"

    def __init__(self, scanner: BarcodeScanner, name: str = "scanner") -> None:
        self.scanner, self.name = scanner, name

    def check(self) -> Health:
        """Return ok while the port is open and not hung up."""
        self.scanner.poll()
        return Health(DeviceState.OK, "ready")


def utc_now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def probe_health(probe: DeviceProbe) -> Health:
    """Return the probe's health, turning any exception into absent or fault."""
    try:
        return probe.check()
    except DeviceLost as exc:
        return Health(DeviceState.ABSENT, str(exc), exc.code)
    except DeviceError as exc:
        return Health(DeviceState.FAULT, str(exc), exc.code)
    except Exception as exc:  # a broken driver must not take the supervisor down
        log.exception("probe %s crashed", probe.name)
        return Health(
            DeviceState.FAULT,
            f"device check failed ({type(exc).__name__}) — restart the kiosk agent and "
            "report this to the technician",
            FaultCode.PROBE_CRASHED,
        )


class DeviceSupervisor:
    """Watches devices and calls ``on_change(DeviceReport)`` when one changes state."""

    def __init__(
        self,
        probes: Sequence[DeviceProbe],
        on_change: Callable[[DeviceReport], None],
        *,
        interval: float = 2.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if len({p.name for p in probes}) != len(probes):
            raise ValueError("each supervised device needs a unique name")
        self.probes = list(probes)
        self.on_change = on_change
        self.interval = interval
        self._clock = clock
        self._reports: dict[str, DeviceReport] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def reports(self) -> dict[str, DeviceReport]:
        """Return the latest report of every device checked so far, by name."""
        with self._lock:
            return dict(self._reports)

    def check_now(self) -> list[DeviceReport]:
        """Check every device once, on this thread; return the reports that changed."""
        changed = [self._check(probe) for probe in self.probes]
        return [report for report in changed if report is not None]

    def start(self) -> DeviceSupervisor:
        """Start one watcher thread per device; return self."""
        self._stop.clear()
        for probe in self.probes:
            thread = threading.Thread(
                target=self._watch, args=(probe,), name=f"supervise-{probe.name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop watching (waits for probes in progress)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    def __enter__(self) -> DeviceSupervisor:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _watch(self, probe: DeviceProbe) -> None:
        while not self._stop.is_set():
            self._check(probe)
            self._stop.wait(self.interval)

    def _check(self, probe: DeviceProbe) -> DeviceReport | None:
        health = probe_health(probe)
        with self._lock:
            previous = self._reports.get(probe.name)
            if previous and (previous.state, previous.reason) == (health.state, health.reason):
                return None
            since = previous.since if previous and previous.state is health.state else None
            report = DeviceReport(probe.name, probe.kind, health.state, health.reason,
                                  since or self._clock(), health.code)
            self._reports[probe.name] = report
        try:
            self.on_change(report)
        except Exception:  # the listener's bug must not stop supervision
            log.exception("on_change listener failed for %s", probe.name)
        return report
