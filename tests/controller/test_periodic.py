"""The shared housekeeping thread: runs on time, early when woken, survives a failing job."""

from __future__ import annotations

import threading

from controller.periodic import Periodic


def test_runs_first_then_on_wake_and_keeps_going_after_a_failure() -> None:
    runs: list[int] = []
    ran = threading.Event()

    def job() -> None:
        runs.append(len(runs))
        ran.set()
        if len(runs) == 2:
            raise RuntimeError("a bad run")

    worker = Periodic("test job", 3600, job, run_first=True)
    worker.start()
    for expected in (1, 2, 3):
        assert ran.wait(5)
        ran.clear()
        assert len(runs) == expected
        worker.wake()  # an hour-long interval: only waking runs it again
    worker.stop()
    assert not worker._thread.is_alive()


def test_stop_does_not_run_the_job_again() -> None:
    runs: list[int] = []
    worker = Periodic("idle job", 3600, lambda: runs.append(1))
    worker.start()
    worker.stop(timeout=2)
    assert runs == []
