"""``stationnet demo``: a whole station network on one machine, stopped by one Ctrl-C."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sync.settings import Settings

from .broker import BrokerError, Mosquitto
from .processes import ChildProcess as Child
from .remote.keys import demo_signing_env

__all__ = ["run_demo"]


@dataclass(frozen=True)
class WindowKiosk:
    """The kiosk that gets a window: its emulated devices and where to watch it."""

    kiosk_id: str
    devices: Path
    controls: dict[str, int]
    display: str
    screens: Path

    def device(self, name: str) -> Path:
        """Return the stable symlink of emulated device ``name``."""
        return self.devices / name


def _children(settings: Settings, config: Path | None, data: Path, rate: float,
              window: WindowKiosk | None) -> list[Child]:
    # The controller signs technician commands; its kiosks get the public key.
    signing = demo_signing_env(data / "controller" / "command-signing.pem")
    env = {**os.environ, "STATIONNET_DATA_DIR": str(data), **signing}
    base = [sys.executable, "-m"]
    cfg = ["--config", str(config)] if config else []
    logs = data / "logs"
    children = [_child("controller", [*base, "controller.launcher", "controller", *cfg],
                       logs / "controller.log", env)]
    if window is not None:
        children += _window_children(window, env, logs)
    for kiosk in settings.kiosks:
        argv = [*base, "kiosk", "--kiosk-id", kiosk.id, *cfg]
        kiosk_env = env
        if window is not None and kiosk.id == window.kiosk_id:
            argv += [f"--{name}-port={window.device(name)}" for name in DEVICES]
            kiosk_env = {**env, "DISPLAY": window.display,
                         "STATIONNET_KIOSK_SCREENSHOTS": str(window.screens)}
        else:
            argv += ["--headless", "--rate", str(rate)]
        children.append(_child(f"kiosk {kiosk.id}", argv, logs / f"{kiosk.id}.log", kiosk_env))
    return children


DEVICES = ("idcard", "printer", "scanner")


def _child(name: str, argv: list[str], log_file: Path, env: dict[str, str]) -> Child:
    # Their own session: the terminal's Ctrl-C reaches the demo, which stops them in order.
    return Child(name, argv, env, log_file, own_session=True)


def _window_children(window: WindowKiosk, env: dict[str, str], logs: Path) -> list[Child]:
    """Return Xvfb (when there is no display) and the three device emulators."""
    children = []
    if not os.environ.get("DISPLAY"):
        children.append(_child("xvfb", ["Xvfb", window.display, "-screen", "0", "1920x1080x24",
                                         "-nolisten", "tcp"], logs / "xvfb.log", env))
    window.devices.mkdir(parents=True, exist_ok=True)
    for name in DEVICES:
        argv = [sys.executable, "-m", "devices.emulate", name, "--link",
                str(window.device(name)), "--control", f"127.0.0.1:{window.controls[name]}"]
        if name == "printer":
            argv += ["--output", str(window.devices / "receipts")]
        children.append(_child(f"{name} emulator", argv, logs / f"emulate-{name}.log", env))
    return children


def _window_kiosk(settings: Settings, data: Path) -> WindowKiosk | None:
    if not settings.kiosks:
        return None
    kiosk_id = settings.kiosks[0].id
    display = os.environ.get("DISPLAY") or f":{_free_display()}"
    return WindowKiosk(kiosk_id, data / "devices" / kiosk_id,
                       {name: _free_port() for name in DEVICES}, display, data / "screens")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _free_display() -> int:
    for number in range(50, 200):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(
                f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise SystemExit("stationnet demo: no free X display number for Xvfb (:50-:199)")


def _control(port: int, line: str) -> str:
    """Send one control line to an emulator; return its reply ('' if it is not up)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(line.encode() + b"\n")
            return sock.makefile().readline().strip()
    except OSError:
        return ""


def run_demo(settings: Settings, config: Path | None, *, rate: float, data_dir: Path | None,
             window: bool) -> None:
    """Start broker, controller and kiosks; print where everything is; wait for Ctrl-C."""
    data = (data_dir or settings.data_path() / "demo").resolve()
    broker = Mosquitto(settings.broker, data / "broker")
    try:
        broker.start()
    except BrokerError as exc:
        print(f"stationnet demo: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    window_kiosk = _window_kiosk(settings, data) if window and _ui_available() else None
    children = _children(settings, config, data, rate, window_kiosk)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    try:
        children[0].start()
        if not children[0].ready.wait(30):
            print("stationnet demo: the controller did not start; see "
                  f"{children[0].log_file}", file=sys.stderr)
            return
        for child in children[1:]:
            child.start()
        if window_kiosk is not None:
            _empty_reader(window_kiosk)
        _announce(settings, data, children, window_kiosk)
        _watch(children, stopping)
    finally:
        for child in reversed(children):
            child.stop()
        broker.stop()
        print("stationnet demo: stopped broker, controller and kiosks", flush=True)


def _ui_available() -> bool:
    """Return True if the kiosk's touch UI is installed (stationnet[kiosk]); imports nothing."""
    return all(importlib.util.find_spec(name) is not None for name in ("kiosk", "kivy"))


def _empty_reader(window: WindowKiosk) -> None:
    """Take the emulator's start-up card off the reader, so the first tap is a real one."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _control(window.controls["idcard"], "card remove").startswith("OK"):
            return
        time.sleep(0.2)


def _window_lines(window: WindowKiosk | None) -> list[str]:
    if window is None:
        return []
    card, scan = window.controls["idcard"], window.controls["scanner"]
    tcp = "exec 3<>/dev/tcp/127.0.0.1/{port}; echo '{line}' >&3; head -1 <&3"
    return [
        f"  window      kiosk {window.kiosk_id} on DISPLAY={window.display}; screenshots "
        f"every few seconds in {window.screens}",
        f"  devices     emulators in {window.devices} (receipts in "
        f"{window.devices / 'receipts'})",
        "  tap a card:   " + tcp.format(port=card, line="card insert resident"),
        "  take it off:  " + tcp.format(port=card, line="card remove"),
        "  scan a QR:    " + tcp.format(port=scan,
                                        line="scan stationnet:progress/<tracking no>"),
        f"  printer out of paper: "
        f"{tcp.format(port=window.controls['printer'], line='fault paper-out')}",
    ]


def _announce(settings: Settings, data: Path, children: list[Child],
              window: WindowKiosk | None = None) -> None:
    cfg = settings.controller
    api = f"http://{cfg.http_host}:{cfg.http_port}/api/v1"
    lines = [
        "", "stationnet demo is running — Ctrl-C stops everything", "",
        f"  broker      mqtt://{settings.broker.host}:{settings.broker.port}  "
        f"(config {data / 'broker' / 'mosquitto.conf'})",
        f"  controller  {api}  (database {data / 'controller' / 'controller.db'})",
    ]
    lines += [f"  {c.name:<11} log {c.log_file}" for c in children[1:]]
    lines += _window_lines(window)
    lines += ["", "  try:  stationctl fleet      stationctl events --limit 10",
              f"        curl {api}/fleet", f"  logs: {data / 'logs'}", ""]
    print("\n".join(lines), flush=True)


def _watch(children: list[Child], stopping: threading.Event) -> None:
    reported: set[str] = set()
    while not stopping.wait(1.0):
        for child in children:
            if not child.alive() and child.name not in reported:
                reported.add(child.name)
                print(f"stationnet demo: {child.name} exited; see {child.log_file}", flush=True)
        if not children[0].alive():
            return
