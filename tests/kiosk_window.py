"""Drive the real kiosk window under Xvfb: device emulators, the app process, touches.

Used by tests/kiosk/ui, tests/e2e/test_visit.py, tests/e2e/test_remote_window.py and
bench/bench_kiosk_ui.py. The app
runs in its own process (a real fullscreen Kivy window on the virtual display) with the
test-control channel on; the ID-card reader, printer and scanner are the pty emulators
speaking their real byte protocols to the real drivers.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from harness import REPO, STATIONS_TOML, free_port

from devices.emulators import IdCardEmulator, PrinterEmulator, ScannerEmulator, load_cards
from sync.documents import DocumentCache
from sync.messages import VersionedDocument
from sync.schedule import parse_schedule

ARTIFACTS = REPO / "artifacts" / "screens"



def start_xvfb() -> tuple[subprocess.Popen[bytes] | None, str]:
    """Return (Xvfb process or None, DISPLAY): the current display, else a new 1080p one."""
    if os.environ.get("DISPLAY"):
        return None, os.environ["DISPLAY"]
    binary = shutil.which("Xvfb")
    if binary is None:
        raise RuntimeError("Xvfb is not installed: apt-get install xvfb")
    for number in range(90, 200):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        proc = subprocess.Popen([binary, f":{number}", "-screen", "0", "1920x1080x24",
                                 "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return proc, f":{number}"
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.kill()
    raise RuntimeError("could not start Xvfb on any display :90-:199")


def schedule_document(station: str, self_service: str = "00:00-24:00", staffed: str = ""
                      ) -> VersionedDocument:
    """Return a schedule document: the same hours every day for each mode ('' = never)."""
    text = (f'station_id = "{station}"\nversion = 1\neffective_from = 2026-01-01\n'
            f'timezone = "Asia/Shanghai"\n[weekly.self_service]\n'
            + (f'daily = ["{self_service}"]\n' if self_service else "")
            + "[weekly.staffed]\n" + (f'daily = ["{staffed}"]\n' if staffed else ""))
    body = parse_schedule(tomllib.loads(text), station).model_dump(mode="json")
    return VersionedDocument(kind="schedule", scope=station, version=1, body=body)


class KioskWindow:
    """One kiosk app process with its three device emulators, driven by touches."""

    def __init__(self, root: Path, display: str, *, kiosk_id: str = "k-wensan-1",
                 config: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.display = display
        self.kiosk_id = kiosk_id
        self.data = root / "data"
        (root / "dev").mkdir(parents=True, exist_ok=True)
        self.config = config or self._write_config()
        self.env = env
        self.idcard = IdCardEmulator(load_cards(), link=root / "dev" / "idcard", pace=False)
        self.printer = PrinterEmulator(output_dir=root / "receipts", link=root / "dev" / "printer",
                                       pace=False)
        self.scanner = ScannerEmulator(link=root / "dev" / "scanner", pace=False)
        self.proc: subprocess.Popen[bytes] | None = None
        self.lines: list[str] = []
        self._conn: Any = None
        self.started_at = 0.0
        self.drawn_at: float | None = None

    def _write_config(self) -> Path:
        path = self.root / "stationnet.toml"
        path.write_text(f'data_dir = "{self.root / "data"}"\n[broker]\nport = {free_port()}\n'
                        + STATIONS_TOML + f'\n[[kiosks]]\nid = "{self.kiosk_id}"\n'
                        'station = "hz-xihu-wensan"\ntechnician_pin = "246810"\n',
                        encoding="utf-8")
        return path

    def seed(self, *documents: VersionedDocument) -> None:
        """Put documents in the kiosk's cache, as if received before a restart."""
        cache = DocumentCache(self.data / "kiosks" / self.kiosk_id / "documents")
        for document in documents:
            cache.offer(document)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self, *args: str, timeout: float = 30.0) -> KioskWindow:
        """Start the emulators (no card on the reader) and the app; wait for the window."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.drawn_at = None  # a restarted app must draw its own first frame
        for emulator in (self.idcard, self.printer, self.scanner):
            emulator.start()
        self.idcard.remove()
        port = free_port()
        env = {**(self.env or os.environ), "DISPLAY": self.display,
               "STATIONNET_KIOSK_TEST_CONTROL": str(port), "PYTHONUNBUFFERED": "1",
               "STATIONNET_DATA_DIR": str(self.data)}
        argv = [sys.executable, str(REPO / "tests" / "kiosk_under_test.py"), "--kiosk-id",
                self.kiosk_id, "--config",
                str(self.config), "--idcard-port", self.idcard.device_path, "--printer-port",
                self.printer.device_path, "--scanner-port", self.scanner.device_path, *args]
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._pump, daemon=True).start()
        self._wait(lambda: self.drawn_at is not None, timeout, "the first frame drawn")
        self._conn = socket.create_connection(("127.0.0.1", port), timeout=30).makefile("rwb")
        return self

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        log = (self.root / "app.log").open("ab")
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip()
            if line.startswith("DRAWN") and self.drawn_at is None:
                self.drawn_at = time.perf_counter()
            self.lines.append(line)
            log.write(raw)
            log.flush()

    def _wait(self, predicate: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"kiosk app exited waiting for {what}:\n{self.tail()}")
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout:g} s waiting for {what}:\n{self.tail()}")

    def tail(self, count: int = 40) -> str:
        """Return the app's last output lines."""
        return "\n".join(self.lines[-count:])

    def stop(self) -> None:
        """Stop the app (SIGTERM) and the emulators."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for emulator in (self.idcard, self.printer, self.scanner):
            emulator.stop()

    # -- driving --------------------------------------------------------------------------
    def call(self, op: str, **args: Any) -> dict[str, Any]:
        """Send one test command; raise AssertionError when it fails."""
        self._conn.write(json.dumps({"op": op, **args}).encode() + b"\n")
        self._conn.flush()
        answer: dict[str, Any] = json.loads(self._conn.readline())
        if not answer.get("ok"):
            raise AssertionError(f"{op} {args}: {answer.get('error')}")
        return answer

    def state(self) -> dict[str, Any]:
        """Return the current step, language, texts on screen and touchable ids."""
        return self.call("state")

    def tap(self, tid: str) -> None:
        """Touch the widget ``tid`` (down and up at its centre)."""
        self.call("tap", tid=tid)

    def wait_step(self, step: str, timeout: float = 10.0) -> dict[str, Any]:
        """Wait until the app shows ``step``; return its state."""
        found: dict[str, Any] = {}

        def reached() -> bool:
            found.update(self.state())
            return bool(found["step"] == step)

        try:
            self._wait(reached, timeout, f"screen {step!r}")
        except AssertionError as exc:
            raise AssertionError(f"still on {found.get('step')!r}: {exc}") from None
        return found

    def wait_state(self, what: str, check: Any, timeout: float = 10.0) -> dict[str, Any]:
        """Wait until ``check(state)`` is true; return that state."""
        found: dict[str, Any] = {}

        def ok() -> bool:
            found.clear()
            found.update(self.state())
            return bool(check(found))

        self._wait(ok, timeout, what)
        return found

    def tap_card(self, key: str = "resident") -> None:
        """Put a fixture card on the reader (the driver sees it appear)."""
        self.idcard.insert(key)

    def remove_card(self) -> None:
        """Take the card off the reader."""
        self.idcard.remove()

    def type(self, text: str) -> None:
        """Tap the keypad keys for ``text``."""
        for char in text:
            self.tap(f"key-{char}")

    def screenshot(self, name: str) -> Path:
        """Save the window as artifacts/screens/<name>.png."""
        path = ARTIFACTS / f"{name}.png"
        self.call("screenshot", path=str(path))
        return path

    def screens(self) -> Iterator[str]:
        """Yield every text currently on screen."""
        yield from self.state()["texts"]


def outbox(window: KioskWindow) -> list[tuple[str, dict[str, Any]]]:
    """Return the kiosk's outbox events (type, body) in order."""
    path = Path(window.data) / "kiosks" / window.kiosk_id / "kiosk.db"
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT type, body FROM outbox ORDER BY seq").fetchall()
    return [(kind, json.loads(body)) for kind, body in rows]


def outbox_until(window: KioskWindow, done: Any, timeout: float = 10.0
                 ) -> list[tuple[str, dict[str, Any]]]:
    """Return the outbox once ``done(events)`` holds (events commit off the UI thread)."""
    deadline = time.monotonic() + timeout
    while True:
        events = outbox(window)
        if done(events):
            return events
        if time.monotonic() > deadline:
            raise AssertionError(f"outbox never matched; it holds {[k for k, _ in events]}")
        time.sleep(0.1)


def walk_to_form(window: KioskWindow, service: str = "dl-renewal-expiry") -> None:
    """Tap a card and take ``service`` from the catalogue through its notice to the form."""
    window.tap_card()
    window.wait_step("catalogue")
    window.tap(f"service-{service}")
    window.wait_step("notice")
    window.call("scroll_end")
    window.wait_state("notice read", lambda s: "notice-accept" in s["tids"])
    window.tap("notice-accept")
    window.wait_step("identify")
    window.tap("identify-confirm")
    window.wait_step("form")


def open_technician(window: KioskWindow, pin: str = "246810",
                    at_pin: Callable[[], None] | None = None) -> dict[str, Any]:
    """Long-press the station name, enter ``pin``; return the diagnostics screen's state.

    ``at_pin`` runs while the PIN pad is shown (the gallery photographs it).
    """
    window.call("longpress", tid="tech-entry", seconds=2.3)
    window.wait_step("technician")
    if at_pin is not None:
        at_pin()
    for digit in pin:
        window.tap(f"pin-{digit}")
    window.tap("pin-ok")
    return window.wait_state("diagnostics", lambda s: "tech-lock" in s["tids"])
