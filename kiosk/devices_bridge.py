"""The kiosk's devices for the session: cards read, codes scanned, receipts printed, health.

Binds the serial drivers and the :class:`~devices.supervisor.DeviceSupervisor` to plain
callbacks. A device that is missing, unplugged or broken never raises into the UI: the
bridge reports it as faulty (with a reason) and keeps polling until it comes back.
Callbacks run on the bridge's threads; the app moves them onto its UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from devices.idcard import IdCardReader, IdentityCard
from devices.printer import Receipt, ReceiptPrinter
from devices.scanner import BarcodeScanner
from devices.supervisor import (
    DeviceProbe,
    DeviceReport,
    DeviceSupervisor,
    IdCardReaderProbe,
    PrinterProbe,
    ScannerProbe,
)
from sync.messages import DeviceFault, DeviceHealth
from sync.messages import DeviceState as WireState

from .session import Identity, applicant_ref

__all__ = ["DevicePorts", "DevicesBridge", "PrinterUnavailable", "identity_from_card",
           "wire_health"]

log = logging.getLogger(__name__)

NAMES = ("idcard", "printer", "scanner")
_NOT_CONFIGURED = "no serial port configured — set {name}_port in the kiosk's configuration"


class PrinterUnavailable(RuntimeError):
    """The receipt could not be printed; the message says why (for the technician)."""


@dataclass(frozen=True, slots=True)
class DevicePorts:
    """Serial ports of the three devices ('' when a device is not fitted)."""

    idcard: str = ""
    printer: str = ""
    scanner: str = ""


def identity_from_card(card: IdentityCard, key: bytes, today: date) -> Identity:
    """Return the session's identity for ``card``, then zero the card's photo."""
    identity = Identity("idcard", card.masked_name, card.masked_number,
                        applicant_ref(card.number, key), card.is_expired(today),
                        card.number, card.address)
    card.wipe()
    return identity


class DevicesBridge:
    """Owns the drivers; reports cards, codes and health changes through callbacks."""

    def __init__(self, ports: DevicePorts, key: bytes, *, poll_s: float = 0.25,
                 supervise_s: float = 2.0, today: Callable[[], date] = date.today) -> None:
        self.key = key
        self.today = today
        self.poll_s = poll_s
        self.reader = IdCardReader(ports.idcard, reply_timeout=0.5) if ports.idcard else None
        self.printer = ReceiptPrinter(ports.printer) if ports.printer else None
        self.scanner = BarcodeScanner(ports.scanner) if ports.scanner else None
        self.on_card: Callable[[Identity], None] = lambda _identity: None
        self.on_card_error: Callable[[], None] = lambda: None
        self.on_code: Callable[[str], None] = lambda _code: None
        self.on_health: Callable[[DeviceReport], None] = lambda _report: None
        self._stop = threading.Event()
        self._card_baseline: bool | None = None
        self._threads: list[threading.Thread] = []
        probes: list[DeviceProbe] = []
        if self.reader:
            probes.append(IdCardReaderProbe(self.reader))
        if self.printer:
            probes.append(PrinterProbe(self.printer))
        if self.scanner:
            probes.append(ScannerProbe(self.scanner))
        self.supervisor = DeviceSupervisor(probes, self._health_changed, interval=supervise_s)

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Check every device once, then watch them and poll for cards and codes."""
        self.supervisor.check_now()
        self.supervisor.start()
        self._card_baseline = self._card_present()
        for name, loop in (("card-poll", self._card_loop), ("scanner", self._scan_loop)):
            thread = threading.Thread(target=loop, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop polling and supervision and close the ports."""
        self._stop.set()
        self.supervisor.stop()
        for thread in self._threads:
            thread.join(timeout=3)
        for device in (self.reader, self.printer, self.scanner):
            if device is not None:
                device.close()

    def _health_changed(self, report: DeviceReport) -> None:
        log.info("device %s is %s: %s", report.name, report.state.value, report.reason)
        self.on_health(report)

    # -- health ---------------------------------------------------------------------------
    def health(self) -> list[DeviceHealth]:
        """Return every device's health for presence and telemetry."""
        reports = self.supervisor.reports
        found = []
        for name in NAMES:
            report = reports.get(name)
            if report is None:
                configured = getattr(self, _attr(name)) is not None
                reason = "starting" if configured else _NOT_CONFIGURED.format(name=name)
                code = DeviceFault.STARTING if configured else DeviceFault.NOT_FITTED
                found.append(DeviceHealth(name=name, kind=name, state=WireState.ABSENT,
                                          code=code, reason=reason))
            else:
                found.append(wire_health(report))
        return found

    def faults(self) -> dict[str, str]:
        """Return the devices that cannot serve now (fault or absent) with their reasons."""
        return {h.name: h.reason for h in self.health()
                if h.state in (WireState.FAULT, WireState.ABSENT)}

    # -- printing -------------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt) -> None:
        """Print ``receipt``; raise PrinterUnavailable saying why it could not."""
        if self.printer is None:
            raise PrinterUnavailable(_NOT_CONFIGURED.format(name="printer"))
        try:
            self.printer.print_receipt(receipt)
        except Exception as exc:  # any driver failure: the visit goes on without a receipt
            raise PrinterUnavailable(str(exc)) from exc
        finally:
            self.supervisor.check_now()

    def read_card_once(self) -> Identity:
        """Read the card on the reader now (technician test); raise on any failure."""
        if self.reader is None:
            raise RuntimeError(_NOT_CONFIGURED.format(name="idcard"))
        return identity_from_card(self.reader.read_card(), self.key, self.today())

    # -- polling loops --------------------------------------------------------------------
    def _card_loop(self) -> None:
        if self.reader is None:
            return
        was_present = self._card_baseline  # a card already there at start-up is not a tap
        while not self._stop.wait(self.poll_s):
            present = self._card_present()
            if present is None:  # reported by the supervisor; keep polling
                self._stop.wait(1.0)
                continue
            if present and was_present is False:
                self._read_card()
            was_present = present

    def _card_present(self) -> bool | None:
        """Return whether a card is on the reader, or None when the reader cannot tell."""
        if self.reader is None:
            return None
        try:
            return self.reader.card_present()
        except Exception:
            return None

    def _read_card(self) -> None:
        assert self.reader is not None
        try:
            card = self.reader.read_card()
        except Exception as exc:
            log.info("card read failed: %s", type(exc).__name__)
            self.on_card_error()
            return
        self.on_card(identity_from_card(card, self.key, self.today()))

    def _scan_loop(self) -> None:
        if self.scanner is None:
            return
        while not self._stop.is_set():
            try:
                code = self.scanner.read_code(0.5)
            except Exception:
                self._stop.wait(1.0)
                continue
            if code:
                self.on_code(code)


def wire_health(report: DeviceReport) -> DeviceHealth:
    """Return the supervisor's report as the wire's DeviceHealth (same states and codes)."""
    return DeviceHealth(name=report.name, kind=report.kind,
                        state=WireState(report.state.value),
                        code=DeviceFault(report.code.value) if report.code else None,
                        reason=report.reason[:500], since=report.since)


def _attr(name: str) -> str:
    return {"idcard": "reader", "printer": "printer", "scanner": "scanner"}[name]

