"""A background thread that runs one job every interval, early on request, until stopped.

The controller's housekeepers (alarm evaluation, rollouts, retention) share it: a job's
failure is logged and the job runs again at the next tick, never killing the thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

__all__ = ["Periodic"]

log = logging.getLogger(__name__)


class Periodic:
    """Runs ``job`` every ``interval_s`` (and at once if ``run_first``) in a daemon thread."""

    def __init__(self, name: str, interval_s: float, job: Callable[[], object], *,
                 run_first: bool = False) -> None:
        self.name = name
        self._interval = interval_s
        self._job = job
        self._run_first = run_first
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def wake(self) -> None:
        """Run the job now instead of at the next tick."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the current run (if any); wait up to ``timeout`` seconds."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        if self._run_first:
            self._run()
        while True:
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            self._run()

    def _run(self) -> None:
        try:
            self._job()
        except Exception:
            log.exception("%s failed; it runs again in %.1f s", self.name, self._interval)
