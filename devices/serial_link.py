"""A serial port that reopens itself with backoff after the device disappears.

Every driver talks to its device through a :class:`SerialLink`: it opens the port
exclusively, reads with an explicit deadline (never ``inter_byte_timeout``), and turns
``SerialException``/``OSError`` into :class:`~devices.errors.DeviceLost`. The next
operation after a loss reopens the port, no sooner than the backoff allows.
"""

from __future__ import annotations

import logging
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import ClassVar, Self

import serial

from devices.errors import DeviceBusy, DeviceLost, DeviceTimeout

__all__ = ["Backoff", "SerialDriver", "SerialLink", "wire_seconds"]

# what a vanished port raises: pyserial, the OS, or termios calls on a hung-up tty
_PORT_ERRORS = (OSError, serial.SerialException, termios.error)

Clock = Callable[[], float]
log = logging.getLogger(__name__)


def wire_seconds(byte_count: int, baudrate: int) -> float:
    """Return the time ``byte_count`` bytes take on the wire at 8N1 (10 bits a byte)."""
    return byte_count * 10 / baudrate


@dataclass(frozen=True)
class Backoff:
    """Reconnection delays: ``initial`` seconds, doubling up to ``maximum``."""

    initial: float = 0.1
    maximum: float = 5.0

    def __post_init__(self) -> None:
        if not 0 < self.initial <= self.maximum:
            raise ValueError("backoff needs 0 < initial <= maximum")

    def after(self, failures: int) -> float:
        """Return the delay before the next attempt after ``failures`` failed ones."""
        return float(min(self.maximum, self.initial * 2 ** max(0, failures - 1)))


class SerialLink:
    """A thread-safe, self-reconnecting serial port for one device."""

    def __init__(
        self,
        port: str,
        baudrate: int,
        *,
        label: str,
        backoff: Backoff | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.label = label
        self.lock = threading.RLock()
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._serial: serial.SerialBase | None = None
        self._failures = 0
        self._next_attempt = 0.0

    @property
    def is_open(self) -> bool:
        """Return whether the port is currently open."""
        return self._serial is not None

    def open(self) -> None:
        """Open the port now, ignoring backoff; raise DeviceLost or DeviceBusy on failure."""
        with self.lock:
            self._next_attempt = 0.0
            self._ensure_open()

    def close(self) -> None:
        """Close the port; the next operation reopens it."""
        with self.lock:
            port, self._serial = self._serial, None
            if port is not None:
                try:
                    port.close()
                except _PORT_ERRORS:
                    pass

    def write(self, data: bytes) -> None:
        """Send ``data``; raise DeviceLost if the device is gone."""
        with self.lock:
            port = self._ensure_open()
            try:
                port.write(data)
                port.flush()
            except _PORT_ERRORS as exc:
                raise self._lost(exc) from exc

    def read(self, size: int, deadline: float) -> bytes:
        """Return up to ``size`` bytes, waiting at most until ``deadline`` (clock time)."""
        with self.lock:
            port = self._ensure_open()
            try:
                port.timeout = max(0.0, deadline - self._clock())
                return bytes(port.read(size))
            except _PORT_ERRORS as exc:
                raise self._lost(exc) from exc

    def read_exact(self, size: int, deadline: float, what: str) -> bytes:
        """Return exactly ``size`` bytes or raise DeviceTimeout naming ``what`` was awaited."""
        data = bytearray()
        while len(data) < size and self._clock() < deadline:
            data += self.read(size - len(data), deadline)
        if len(data) < size:
            raise self.timeout(what)
        return bytes(data)

    def discard_input(self) -> None:
        """Drop any bytes already received (late replies from an earlier request)."""
        with self.lock:
            port = self._ensure_open()
            try:
                port.reset_input_buffer()
            except _PORT_ERRORS as exc:
                raise self._lost(exc) from exc

    def poll(self) -> bytes:
        """Return bytes already waiting without blocking; raise DeviceLost on a hang-up."""
        with self.lock:
            port = self._ensure_open()
            try:
                port.timeout = 0
                return bytes(port.read(4096))
            except _PORT_ERRORS as exc:
                raise self._lost(exc) from exc

    def timeout(self, what: str) -> DeviceTimeout:
        """Return the DeviceTimeout for a reply to ``what`` that never came."""
        return DeviceTimeout(
            f"{self.label} at {self.port} did not answer {what} in time — check that it is "
            "powered on and its cable is seated; if it persists, power-cycle the device"
        )

    def _ensure_open(self) -> serial.SerialBase:
        if self._serial is not None:
            return self._serial
        if self._clock() < self._next_attempt:
            raise self._disconnected()
        try:
            port = serial.serial_for_url(
                self.port, baudrate=self.baudrate, timeout=0, exclusive=True, do_not_open=True
            )
            port.open()
        except _PORT_ERRORS as exc:
            raise self._open_failed(exc) from exc
        self._serial, self._failures, self._next_attempt = port, 0, 0.0
        return port

    def _open_failed(self, exc: Exception) -> Exception:
        self._schedule_retry()
        if "lock" in str(exc).lower():
            return DeviceBusy(
                f"{self.label} at {self.port} is in use by another program — stop the other "
                "kiosk process or service that holds it; only one may own the device"
            )
        return self._disconnected()

    def _lost(self, exc: Exception) -> DeviceLost:
        log.info("%s at %s lost: %s", self.label, self.port, exc)
        self.close()
        self._schedule_retry()
        return self._disconnected()

    def _disconnected(self) -> DeviceLost:
        # one stable message, so a supervisor sees one "absent" state, not a flicker
        return DeviceLost(
            f"{self.label} at {self.port} is disconnected or switched off — plug it in and "
            "check its cable and power; reconnecting automatically"
        )

    def _schedule_retry(self) -> None:
        self._failures += 1
        self._next_attempt = self._clock() + self._backoff.after(self._failures)


class SerialDriver:
    """What every device driver shares: its :class:`SerialLink`, opened on first use,
    closed on exit; ``label`` names the device in errors and logs."""

    label: ClassVar[str] = "serial device"

    def __init__(self, port: str, baudrate: int, *, backoff: Backoff | None = None,
                 clock: Clock = time.monotonic) -> None:
        self.link = SerialLink(port, baudrate, label=self.label, backoff=backoff, clock=clock)
        self._clock = clock

    def open(self) -> None:
        """Open the port now (otherwise the first operation opens it)."""
        self.link.open()

    def close(self) -> None:
        """Close the port."""
        self.link.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
