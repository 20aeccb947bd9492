"""Retention: what outsiders can grow is pruned on a schedule, and personal data expires.

Jobs are plain functions of a session and the current time that return how many rows
they changed; the controller registers the quarantine's, features register theirs (the
applications feature erases personal data from stored events once an application has
been closed long enough). Each job runs in its own transaction, so one failing job does
not hold back the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from sync.envelope import utc_now

from .periodic import Periodic

__all__ = ["RetentionJob", "RetentionWorker"]

log = logging.getLogger(__name__)

RetentionJob = Callable[[Session, datetime], int]


class RetentionWorker:
    """Runs every registered job every ``interval_s`` in a background thread."""

    def __init__(self, engine: Engine, interval_s: float) -> None:
        self._engine = engine
        self._interval = interval_s
        self._jobs: dict[str, RetentionJob] = {}
        self._worker = Periodic("retention", interval_s, self.run_once, run_first=True)

    def add(self, name: str, job: RetentionJob) -> None:
        """Register ``job`` under ``name`` (shown in the log when it removes something)."""
        self._jobs[name] = job

    def run_once(self, now: datetime | None = None) -> dict[str, int]:
        """Run every job now; returns rows changed per job (-1 for a job that failed)."""
        moment = now or utc_now()
        done: dict[str, int] = {}
        for name, job in self._jobs.items():
            try:
                with Session(self._engine) as session, session.begin():
                    done[name] = job(session, moment)
            except Exception:
                log.exception("retention job %s failed; it runs again in %.0f s", name,
                              self._interval)
                done[name] = -1
                continue
            if done[name]:
                log.info("retention: %s changed %d row(s)", name, done[name])
        return done

    def start(self) -> None:
        """Run the jobs now and then every interval, until :meth:`stop`."""
        self._worker.start()

    def stop(self) -> None:
        """Stop the background runs."""
        self._worker.stop()
