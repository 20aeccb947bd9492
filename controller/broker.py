"""The embedded Mosquitto: generated configuration and a supervised child process."""

from __future__ import annotations

import getpass
import logging
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from string import Template

from sync.settings import BrokerConfig, config_file

__all__ = ["BrokerError", "Mosquitto", "render_config", "find_mosquitto", "TEMPLATE_NAME"]

log = logging.getLogger(__name__)

TEMPLATE_NAME = "broker/mosquitto.conf.template"  # in the configuration folder


class BrokerError(RuntimeError):
    """The embedded broker cannot be started or stopped; the message says what to do."""


def find_mosquitto() -> str:
    """Return the path of the mosquitto binary, or raise BrokerError saying how to install it."""
    found = shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if Path(p).exists()),
        None)
    if not found:
        raise BrokerError("mosquitto is not installed: run scripts/demo or scripts/test (they "
                          "install it), or `sudo apt-get install mosquitto`")
    return found


def render_config(settings: BrokerConfig, folder: Path, *, port: int | None = None) -> Path:
    """Write mosquitto.conf for ``settings`` into ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "persistence").mkdir(exist_ok=True)
    template = config_file(TEMPLATE_NAME).read_text(encoding="utf-8")
    text = Template(template).substitute(
        host=settings.host, port=port or settings.port, user=getpass.getuser(),
        persistence_dir=folder / "persistence", log_file=folder / "mosquitto.log",
        autosave_interval_s=settings.autosave_interval_s,
        max_queued_messages=settings.max_queued_messages,
        max_inflight_messages=settings.max_inflight_messages,
        max_packet_bytes=settings.max_packet_bytes,
    )
    path = folder / "mosquitto.conf"
    path.write_text(text, encoding="utf-8")
    return path


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class Mosquitto:
    """A Mosquitto child process on loopback with stationnet's configuration."""

    def __init__(self, settings: BrokerConfig, folder: Path, *, port: int | None = None) -> None:
        self.settings = settings
        self.folder = folder
        self.port = port or settings.port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start the broker and return once it accepts connections."""
        if _port_open(self.settings.host, self.port):
            raise BrokerError(f"port {self.port} on {self.settings.host} is already in use: stop "
                              "whatever listens there or set STATIONNET__BROKER__PORT")
        conf = render_config(self.settings, self.folder, port=self.port)
        self.process = subprocess.Popen([find_mosquitto(), "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr
                err = stderr.read().decode(errors="replace") if stderr else ""
                raise BrokerError(f"mosquitto exited at start ({self.process.returncode}): "
                                  f"{err.strip()} — see {self.folder / 'mosquitto.log'}")
            if _port_open(self.settings.host, self.port):
                log.info("mosquitto listening on %s:%d", self.settings.host, self.port)
                return
            time.sleep(0.05)
        self.stop()
        raise BrokerError(f"mosquitto did not listen on port {self.port} within {timeout:g} s")

    def stop(self, *, kill: bool = False, timeout: float = 10.0) -> None:
        """Stop the broker: SIGTERM saves its persistence file; ``kill`` is a crash."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def running(self) -> bool:
        """Return True while the child process lives."""
        return self.process is not None and self.process.poll() is None
