"""``stationnet demo``: a whole station network on one machine, stopped by one Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sync.settings import Settings

from .broker import BrokerError, Mosquitto

__all__ = ["run_demo", "Child"]


@dataclass
class Child:
    """A supervised child process whose output goes to a log file."""

    name: str
    argv: list[str]
    log_file: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    ready: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Start the process; ``ready`` is set when it prints its READY line."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(self.argv, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, env=self.env,
                                        start_new_session=True)
        threading.Thread(target=self._pump, args=(self.process.stdout,), daemon=True).start()

    def _pump(self, stream: IO[bytes] | None) -> None:
        if stream is None:
            return
        with open(self.log_file, "ab") as log:
            for line in stream:
                if line.startswith(b"READY"):
                    self.ready.set()
                log.write(line)
                log.flush()

    def alive(self) -> bool:
        """Return True while the process runs."""
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds."""
        if not self.alive() or self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _children(settings: Settings, config: Path | None, data: Path, rate: float,
              window: bool) -> list[Child]:
    env = {**os.environ, "STATIONNET_DATA_DIR": str(data)}
    base = [sys.executable, "-m"]
    cfg = ["--config", str(config)] if config else []
    logs = data / "logs"
    children = [Child("controller", [*base, "controller.launcher", "controller", *cfg],
                      logs / "controller.log", env)]
    for i, kiosk in enumerate(settings.kiosks):
        headless = not (window and i == 0)
        argv = [*base, "kiosk", "--kiosk-id", kiosk.id, *cfg]
        if headless:
            argv += ["--headless", "--rate", str(rate)]
        children.append(Child(f"kiosk {kiosk.id}", argv, logs / f"{kiosk.id}.log", env))
    return children


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
    children = _children(settings, config, data, rate, window and _ui_available())
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
        _announce(settings, data, children)
        _watch(children, stopping)
    finally:
        for child in reversed(children):
            child.stop()
        broker.stop()
        print("stationnet demo: stopped broker, controller and kiosks", flush=True)


def _ui_available() -> bool:
    return (Path(__file__).resolve().parents[1] / "kiosk" / "app.py").exists()


def _announce(settings: Settings, data: Path, children: list[Child]) -> None:
    cfg = settings.controller
    api = f"http://{cfg.http_host}:{cfg.http_port}/api/v1"
    lines = [
        "", "stationnet demo is running — Ctrl-C stops everything", "",
        f"  broker      mqtt://{settings.broker.host}:{settings.broker.port}  "
        f"(config {data / 'broker' / 'mosquitto.conf'})",
        f"  controller  {api}  (database {data / 'controller' / 'controller.db'})",
    ]
    lines += [f"  {c.name:<11} log {c.log_file}" for c in children[1:]]
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
