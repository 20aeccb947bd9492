"""Bulk rollouts: one command over many kiosks, rate-limited, aborted when too many fail.

Everything a rollout needs to go on is in the database — its plan (targets in order,
rate, threshold) and its commands (tagged with the rollout id) — so after a controller
restart the runner picks every running rollout up where it stopped, and no kiosk of a
rollout ever gets its command twice. The first ``abort_first`` commands are a canary:
the rest wait until those are final, and the rollout aborts as soon as more than
``abort_pct`` % of them have failed.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from controller.db import Kiosk, Station
from sync.envelope import format_utc, utc_now
from sync.settings import Settings

from ..periodic import Periodic
from .commands import TERMINAL, CommandState, CommandTracker, InvalidCommand, validate_args
from .models import RemoteCommand, Rollout

__all__ = ["RolloutService", "RolloutNotFound", "select_kiosks"]

log = logging.getLogger(__name__)

FAILED_STATES = {CommandState.FAILED, CommandState.TIMED_OUT, CommandState.EXPIRED}


class RolloutNotFound(LookupError):
    """No rollout with that id."""


def select_kiosks(engine: Engine, settings: Settings, *, station: str | None = None,
                  district: str | None = None, all_kiosks: bool = False,
                  kiosks: list[str] | None = None) -> list[str]:
    """Return the kiosk ids a selector names (configured and seen kiosks), sorted."""
    with Session(engine) as session:
        seen = {k.id: k.station_id for k in session.scalars(select(Kiosk))}
        districts = {s.id: s.district for s in session.scalars(select(Station))}
    known = {**seen, **{k.id: k.station for k in settings.kiosks}}
    if kiosks:
        unknown = sorted(set(kiosks) - set(known))
        if unknown:
            raise InvalidCommand(f"unknown kiosk(s) {', '.join(unknown)}; see `stationctl fleet`")
        return list(dict.fromkeys(kiosks))
    if station:
        chosen = [k for k, s in known.items() if s == station]
    elif district:
        chosen = [k for k, s in known.items() if s is not None and districts.get(s) == district]
    elif all_kiosks:
        chosen = list(known)
    else:
        raise InvalidCommand("choose kiosks: --station, --district, --all or --kiosks a,b")
    if not chosen:
        raise InvalidCommand("the selection matches no kiosk; see `stationctl fleet`")
    return sorted(chosen)


def rollout_dict(row: Rollout, commands: list[RemoteCommand]) -> dict[str, Any]:
    """Return a rollout with its progress as JSON-ready data."""
    targets = json.loads(row.targets)
    counts = Counter(c.state for c in commands)
    done = sum(n for state, n in counts.items() if state in TERMINAL)
    return {"id": row.id, "name": row.name, "args": json.loads(row.args),
            "selector": json.loads(row.selector), "state": row.state, "reason": row.reason,
            "operator": row.operator, "created_at": format_utc(row.created_at),
            "finished_at": format_utc(row.finished_at) if row.finished_at else None,
            "rate_per_s": row.rate_per_s, "abort_pct": row.abort_pct,
            "abort_first": row.abort_first,
            "total": len(targets), "dispatched": len(commands), "done": done,
            "succeeded": counts.get(CommandState.SUCCEEDED, 0),
            "failed": sum(counts.get(s, 0) for s in FAILED_STATES),
            "not_dispatched": len(targets) - len(commands), "counts": dict(counts),
            "commands": [{"kiosk": c.kiosk_id, "id": c.id, "state": c.state, "error": c.error}
                         for c in commands]}


class RolloutService:
    """Creates rollouts and advances the running ones in a background thread."""

    def __init__(self, engine: Engine, tracker: CommandTracker, tick_s: float = 0.2) -> None:
        self._engine, self._tracker, self._tick_s = engine, tracker, tick_s
        self._worker = Periodic("rollouts", tick_s, lambda: self.advance(utc_now()),
                                run_first=True)

    def start(self) -> None:
        """Resume running rollouts and advance them from now on."""
        self._worker.start()

    def stop(self) -> None:
        """Stop advancing (rollouts stay running in the database)."""
        self._worker.stop()

    def wake(self) -> None:
        """Advance now (a command just became final)."""
        self._worker.wake()

    def create(self, name: str, args: dict[str, Any], targets: list[str],
               selector: dict[str, Any], *, rate_per_s: float, abort_pct: float,
               abort_first: int, expiry_s: int, operator: str) -> dict[str, Any]:
        """Store a running rollout; return it."""
        validate_args(name, args)
        if rate_per_s <= 0 or not 0 <= abort_pct <= 100 or abort_first < 0:
            raise InvalidCommand("--rate must be > 0, --abort-pct 0-100, --abort-first >= 0")
        row = Rollout(name=name, args=json.dumps(args, ensure_ascii=False),
                      selector=json.dumps(selector, ensure_ascii=False),
                      targets=json.dumps(targets), rate_per_s=rate_per_s, abort_pct=abort_pct,
                      abort_first=min(abort_first, len(targets)), expiry_s=expiry_s,
                      state="running", operator=operator, created_at=utc_now())
        with Session(self._engine) as session, session.begin():
            session.add(row)
            session.flush()
            rollout_id = row.id
        self.wake()
        return self.get(rollout_id)

    def get(self, rollout_id: int) -> dict[str, Any]:
        """Return one rollout with its progress, or raise RolloutNotFound."""
        with Session(self._engine) as session:
            row = session.get(Rollout, rollout_id)
            if row is None:
                raise RolloutNotFound(f"no rollout {rollout_id}; see `stationctl rollout list`")
            return rollout_dict(row, self._commands(session, rollout_id))

    def find(self, limit: int = 50) -> list[dict[str, Any]]:
        """Return the newest rollouts first."""
        with Session(self._engine) as session:
            rows = session.scalars(select(Rollout).order_by(Rollout.id.desc()).limit(limit))
            return [rollout_dict(r, self._commands(session, r.id)) for r in rows]

    def cancel(self, rollout_id: int, reason: str) -> dict[str, Any]:
        """Stop dispatching a running rollout (commands already sent go on)."""
        with Session(self._engine) as session, session.begin():
            row = session.get(Rollout, rollout_id)
            if row is None:
                raise RolloutNotFound(f"no rollout {rollout_id}; see `stationctl rollout list`")
            if row.state == "running":
                row.state, row.reason = "cancelled", reason
                row.finished_at = utc_now()
        return self.get(rollout_id)

    @staticmethod
    def _commands(session: Session, rollout_id: int) -> list[RemoteCommand]:
        return list(session.scalars(select(RemoteCommand).where(
            RemoteCommand.rollout_id == rollout_id).order_by(RemoteCommand.created_at,
                                                             RemoteCommand.id)))

    # -- advancing ------------------------------------------------------------------------
    def advance(self, now: datetime) -> None:
        """Dispatch, abort or complete every running rollout as its plan says."""
        with Session(self._engine) as session:
            running = [r.id for r in session.scalars(
                select(Rollout).where(Rollout.state == "running"))]
        for rollout_id in running:
            self._advance_one(rollout_id, now)

    def _advance_one(self, rollout_id: int, now: datetime) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(Rollout, rollout_id)
            if row is None or row.state != "running":
                return
            commands = self._commands(session, rollout_id)
            verdict = _verdict(row, commands, now)
            if verdict in ("completed", "aborted"):
                row.state, row.finished_at = verdict, now
                row.reason = _summary(row, commands) if verdict == "aborted" else None
                log.info("rollout %d %s", rollout_id, verdict)
                return
            if verdict != "dispatch":
                return
            kiosk_id = json.loads(row.targets)[len(commands)]
            name, args, expiry, operator = row.name, json.loads(row.args), row.expiry_s, \
                row.operator
        self._tracker.issue(kiosk_id, name, args, operator=operator, expiry_s=expiry,
                            rollout_id=rollout_id)


def _failed_first(row: Rollout, commands: list[RemoteCommand]) -> int:
    return sum(1 for c in commands[:row.abort_first] if c.state in FAILED_STATES)


def _verdict(row: Rollout, commands: list[RemoteCommand], now: datetime) -> str:
    """Return what to do next: dispatch, wait, aborted or completed."""
    total = len(json.loads(row.targets))
    if row.abort_first and _failed_first(row, commands) > row.abort_pct / 100 * row.abort_first:
        return "aborted"
    if len(commands) >= total:
        return "completed" if all(c.state in TERMINAL for c in commands) else "wait"
    canary = commands[:row.abort_first]
    if len(commands) >= row.abort_first and any(c.state not in TERMINAL for c in canary):
        return "wait"  # the rest go only once the first N have shown they work
    if commands:
        last = commands[-1].created_at
        if now < last + timedelta(seconds=1 / row.rate_per_s):
            return "wait"
    return "dispatch"


def _summary(row: Rollout, commands: list[RemoteCommand]) -> str:
    failed = _failed_first(row, commands)
    return (f"{failed} of the first {row.abort_first} failed (more than {row.abort_pct:g} %); "
            f"{len(json.loads(row.targets)) - len(commands)} kiosk(s) not sent")
