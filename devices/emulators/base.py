"""A serial device emulator on a pseudo-terminal (or a TCP socket for ``socket://``).

Subclasses implement :meth:`SerialEmulator.on_data` (bytes from the driver) and answer
with :meth:`SerialEmulator.send`, which paces bytes at the configured baud rate. One I/O
thread owns the file descriptors; ``unplug()``/``replug()`` ask it to hang up or reopen
the device. With ``link`` set, the emulator keeps a symlink at that path pointing to the
current ``/dev/pts/N`` (a replugged pty gets a new number; the symlink stays put).
"""

from __future__ import annotations

import logging
import os
import pty
import queue
import select
import socket
import threading
import time
import tty
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self

__all__ = ["ControlError", "SerialEmulator"]

log = logging.getLogger(__name__)


class ControlError(Exception):
    """A control command was not understood; the message says the accepted form."""


class SerialEmulator:
    """Base emulator: the device side of a pty or TCP socket, with unplug and replug."""

    kind: ClassVar[str] = "device"
    commands: ClassVar[str] = ""  # the device-specific control commands, for 'help'

    def __init__(
        self,
        *,
        baudrate: int = 115200,
        link: str | os.PathLike[str] | None = None,
        tcp: tuple[str, int] | None = None,
        pace: bool = True,
    ) -> None:
        self.baudrate = baudrate
        self.link = Path(link) if link is not None else None
        self.pace = pace
        self._tcp_address = tcp
        self._master: int | None = None
        self._slave: int | None = None
        self._listener: socket.socket | None = None
        self._conn: socket.socket | None = None
        self._pts = ""
        self._plugged = False
        self._running = False
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = -1, -1
        self._requests: queue.Queue[tuple[str, threading.Event]] = queue.Queue()
        self._write_lock = threading.RLock()

    # ---- lifecycle -------------------------------------------------------------------
    def start(self) -> Self:
        """Plug the device in and start answering; return self."""
        if self._running:
            return self
        self._wake_r, self._wake_w = os.pipe()
        self._running = True
        self._plug()
        self._thread = threading.Thread(target=self._loop, name=f"{self.kind}-emulator")
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        """Unplug the device and stop the I/O thread."""
        if not self._running:
            return
        self._running = False
        os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._write_lock:
            self._hang_up()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def device_path(self) -> str:
        """Return what the driver opens: the symlink, the pty path, or a socket:// URL."""
        if self._tcp_address is not None:
            host, port = self.address
            return f"socket://{host}:{port}"
        return str(self.link) if self.link is not None else self._pts

    @property
    def address(self) -> tuple[str, int]:
        """Return the TCP address the emulator listens on (TCP mode only)."""
        if self._tcp_address is None:
            raise RuntimeError("this emulator runs on a pty, not a socket")
        return self._tcp_address

    @property
    def plugged(self) -> bool:
        """Return whether the device is plugged in."""
        return self._plugged

    def unplug(self) -> None:
        """Hang up: the driver's next read or write fails as on a pulled USB cable."""
        self._request("unplug")

    def replug(self) -> None:
        """Plug the device back in (a new pty; the symlink, if any, follows it)."""
        self._request("replug")

    def _request(self, what: str) -> None:
        done = threading.Event()
        self._requests.put((what, done))
        os.write(self._wake_w, b"x")
        if not done.wait(timeout=5):
            raise RuntimeError(f"emulator I/O thread did not {what} within 5 s")

    # ---- sending ---------------------------------------------------------------------
    def send(self, data: bytes) -> None:
        """Send ``data`` to the driver, paced at the baud rate (10 bits a byte)."""
        byte_time = 10 / self.baudrate
        chunk = max(1, int(0.002 / byte_time)) if self.pace else len(data) or 1
        start = time.monotonic()
        with self._write_lock:
            for offset in range(0, len(data), chunk):
                piece = data[offset : offset + chunk]
                if self.pace:
                    delay = start + (offset + len(piece)) * byte_time - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                if not self._write(piece):
                    return

    def wire_delay(self, byte_count: int) -> None:
        """Sleep for the time ``byte_count`` received bytes took on the wire."""
        if self.pace:
            time.sleep(byte_count * 10 / self.baudrate)

    def _write(self, data: bytes) -> bool:
        try:
            if self._master is not None:
                os.write(self._master, data)
                return True
            if self._conn is not None:
                self._conn.sendall(data)
                return True
        except (BlockingIOError, OSError):
            pass  # nobody listening: a real UART drops the bytes too
        return False

    # ---- subclass hooks --------------------------------------------------------------
    def on_data(self, data: bytes) -> None:
        """Handle bytes the driver sent (runs on the I/O thread)."""

    def control(self, words: list[str]) -> str:
        """Return the reply to a device-specific control command; raise ControlError."""
        raise ControlError(f"unknown command {' '.join(words)!r}; try 'help'")

    def describe(self) -> str:
        """Return a one-line state summary for the 'status' control command."""
        return "plugged" if self._plugged else "unplugged"

    def handle_control(self, line: str) -> str:
        """Return 'OK …' or 'ERR …' for one control line (see devices/README.md)."""
        words = line.split()
        try:
            if not words:
                raise ControlError("empty command; try 'help'")
            if words == ["unplug"]:
                self.unplug()
                return "OK unplugged"
            if words == ["replug"]:
                self.replug()
                return f"OK DEVICE {self.device_path}"
            if words == ["help"]:
                return "OK commands: status, unplug, replug, help" + self.commands
            if words == ["status"]:
                return f"OK {self.describe()}"
            return "OK " + self.control(words)
        except ControlError as exc:
            return f"ERR {exc}"

    # ---- the I/O thread --------------------------------------------------------------
    def _loop(self) -> None:
        while self._running:
            self._serve_requests()
            ready = self._wait()
            for fd in ready:
                self._on_readable(fd)

    def _serve_requests(self) -> None:
        while not self._requests.empty():
            what, done = self._requests.get()
            with self._write_lock:
                if what == "unplug":
                    self._hang_up()
                elif not self._plugged:
                    self._plug()
            done.set()

    def _wait(self) -> list[int]:
        fds = [self._wake_r]
        for source in (self._master, self._listener, self._conn):
            if source is not None:
                fds.append(source if isinstance(source, int) else source.fileno())
        try:
            ready, _, _ = select.select(fds, [], [], 0.5)
        except (OSError, ValueError):
            return []
        return [fd for fd in ready if isinstance(fd, int)]

    def _on_readable(self, fd: int) -> None:
        if fd == self._wake_r:
            os.read(self._wake_r, 1024)
            return
        if self._listener is not None and fd == self._listener.fileno():
            self._accept()
            return
        data = self._read(fd)
        if data:
            try:
                self.on_data(data)
            except Exception:  # one bad request must not kill the emulator
                log.exception("%s emulator failed to handle %d bytes", self.kind, len(data))

    def _read(self, fd: int) -> bytes:
        try:
            if fd == self._master:
                return os.read(fd, 4096)
            if self._conn is not None and fd == self._conn.fileno():
                data = self._conn.recv(4096)
                if not data:
                    self._conn.close()
                    self._conn = None
                return data
        except OSError:
            pass
        return b""

    def _accept(self) -> None:
        assert self._listener is not None
        conn, _ = self._listener.accept()
        if self._conn is not None:
            self._conn.close()
        self._conn = conn

    # ---- plugging --------------------------------------------------------------------
    def _plug(self) -> None:
        if self._tcp_address is not None:
            self._listen()
        else:
            self._open_pty()
        self._plugged = True

    def _open_pty(self) -> None:
        master, slave = pty.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave, self._pts = master, slave, os.ttyname(slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._pts)
            tmp.replace(self.link)  # atomic re-point: a reader never sees no link mid-swap

    def _listen(self) -> None:
        host, port = self.address
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(1)
        self._tcp_address = (host, listener.getsockname()[1])
        self._listener = listener

    def _hang_up(self) -> None:
        self._plugged = False
        if self.link is not None:
            self.link.unlink(missing_ok=True)
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None
        for sock in (self._conn, self._listener):
            if sock is not None:
                sock.close()
        self._conn = self._listener = None
