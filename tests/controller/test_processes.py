"""Supervised children: ready on READY, output in the log, SIGKILL when SIGTERM is ignored."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from controller.processes import ChildProcess

SERVES = "import signal, time; print('starting'); print('READY x', flush=True); time.sleep(60)"
IGNORES = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
           "print('READY x', flush=True); time.sleep(60)")


def _child(tmp_path: Path, code: str) -> ChildProcess:
    return ChildProcess("child", [sys.executable, "-c", code], dict(os.environ),
                        tmp_path / "logs" / "child.log").start()


def test_a_child_is_ready_when_it_says_so_and_stops_on_sigterm(tmp_path: Path) -> None:
    child = _child(tmp_path, SERVES)
    assert child.ready.wait(10) and child.alive()
    assert child.stop(timeout=10) and not child.alive()
    assert child.popen.returncode == -15
    assert child.tail().splitlines() == ["starting", "READY x"]


def test_a_child_that_ignores_sigterm_is_killed_and_says_so(tmp_path: Path) -> None:
    child = _child(tmp_path, IGNORES)
    assert child.ready.wait(10)
    assert child.stop(timeout=0.5) is False
    assert child.popen.returncode == -9
