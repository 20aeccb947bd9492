"""Child processes supervised the one way: output to a log file, READY awaited, stopped
with SIGTERM and, when that is ignored, SIGKILL.

``stationnet demo`` runs its broker-side children with it and the tests run every
controller and kiosk with it (``tests/harness.py``).
"""

from __future__ import annotations

import signal
import subprocess
import threading
from pathlib import Path
from typing import IO

__all__ = ["ChildProcess", "READY_PREFIX"]

READY_PREFIX = b"READY"  # what every stationnet process prints once it serves


class ChildProcess:
    """One child process whose output goes to ``log_file``; ``ready`` once it says READY."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_file: Path, *,
                 cwd: Path | None = None, own_session: bool = False) -> None:
        self.name, self.argv, self.env, self.log_file = name, argv, env, log_file
        self.cwd = cwd
        self.own_session = own_session  # a terminal's Ctrl-C reaches only the parent
        self.ready = threading.Event()
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def popen(self) -> subprocess.Popen[bytes]:
        """Return the running process; raises RuntimeError before :meth:`start`."""
        if self._popen is None:
            raise RuntimeError(f"{self.name} has not been started; call start() first")
        return self._popen

    def start(self) -> ChildProcess:
        """Start the process and copy its output to the log file; return self."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self._popen = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL,
                                       start_new_session=self.own_session)
        threading.Thread(target=self._pump, args=(self._popen.stdout,), daemon=True,
                         name=f"log {self.name}").start()
        return self

    def _pump(self, stream: IO[bytes] | None) -> None:
        if stream is None:
            return
        with open(self.log_file, "ab") as log:
            for line in stream:
                if line.startswith(READY_PREFIX):
                    self.ready.set()
                log.write(line)
                log.flush()

    def alive(self) -> bool:
        """Return True while the process runs."""
        return self._popen is not None and self._popen.poll() is None

    def tail(self, lines: int = 30) -> str:
        """Return the last ``lines`` lines of its output."""
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no output)"

    def kill(self) -> None:
        """SIGKILL: a crash, nothing flushed, no goodbye."""
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait(10)

    def stop(self, timeout: float = 10.0) -> bool:
        """SIGTERM, then SIGKILL after ``timeout`` s; return False if it had to be killed."""
        if not self.alive():
            return True
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            return False
        return True
