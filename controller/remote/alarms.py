"""Alarms in the database: evaluated every second from the fleet registry, with history.

The rules and the hold times are in :mod:`controller.remote.alarm_rules`; this module
reads the registry, stores raises, changes and clears with their history, and lets an
operator acknowledge an alarm with a comment.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from controller.db import Kiosk
from sync.envelope import format_utc, parse_utc, utc_now
from sync.messages import DeviceHealth
from sync.settings import AlarmsConfig

from ..periodic import Periodic
from .alarm_rules import (
    Condition,
    HoldTracker,
    KioskView,
    Transitions,
    calendar_conditions,
    kiosk_conditions,
)
from .models import Alarm, AlarmHistory

__all__ = ["AlarmService", "AlarmNotFound"]

log = logging.getLogger(__name__)

CALENDAR_CHECK_S = 60.0


class AlarmNotFound(LookupError):
    """No alarm with that id."""


def _view(row: Kiosk) -> KioskView | None:
    try:
        return _parse_view(row)
    except ValueError:  # a row no kiosk wrote (bad timestamps): nothing to judge
        return None


def _parse_view(row: Kiosk) -> KioskView:
    return KioskView(
        id=row.id, station=row.station_id, online=row.online,
        last_seen=parse_utc(row.last_seen),
        presence_changed=parse_utc(row.presence_changed) if row.presence_changed else None,
        devices=[DeviceHealth.model_validate(d) for d in json.loads(row.devices or "[]")],
        documents=json.loads(row.documents or "{}"),
        telemetry=json.loads(row.telemetry) if row.telemetry else None)


def alarm_dict(row: Alarm, history: list[AlarmHistory] | None = None) -> dict[str, Any]:
    """Return an alarm as JSON-ready data (with its history when given)."""
    data: dict[str, Any] = {
        "id": row.id, "type": row.type, "subject": row.subject, "kiosk": row.kiosk_id,
        "severity": row.severity, "message": row.message, "first_seen": row.first_seen,
        "raised_at": row.raised_at, "last_seen": row.last_seen, "cleared_at": row.cleared_at,
        "active": row.cleared_at is None, "acked_at": row.acked_at, "acked_by": row.acked_by,
        "ack_comment": row.ack_comment}
    if history is not None:
        data["history"] = [{"ts": h.ts, "action": h.action, "actor": h.actor,
                            "detail": h.detail} for h in history]
    return data


class AlarmService:
    """Evaluates, stores and lists alarms."""

    def __init__(self, engine: Engine, config: AlarmsConfig,
                 newest_documents: Callable[[], dict[str, int]],
                 uncovered_years: Callable[[], list[int]] | None = None,
                 controller_conditions: Callable[[], list[Condition]] | None = None) -> None:
        self._engine = engine
        self.config = config
        self._newest = newest_documents
        self._uncovered = uncovered_years
        self._controller_conditions = controller_conditions or (lambda: [])
        self._calendar: tuple[float, list[Condition]] = (0.0, [])
        self._worker = Periodic("alarm evaluation", config.evaluate_interval_s,
                                lambda: self.evaluate(utc_now()))
        with Session(engine) as session:
            active = session.execute(select(Alarm.type, Alarm.subject)
                                     .where(Alarm.cleared_at.is_(None))).all()
        self.tracker = HoldTracker(config.hold_raise_s, config.hold_clear_s,
                                   {(t, s) for t, s in active})

    def start(self) -> None:
        """Evaluate every ``evaluate_interval_s`` in the background."""
        self._worker.start()

    def stop(self) -> None:
        """Stop evaluating."""
        self._worker.stop()

    # -- evaluation -------------------------------------------------------------------------
    def _calendar_conditions(self) -> list[Condition]:
        checked, found = self._calendar
        if self._uncovered is None or time.monotonic() - checked < CALENDAR_CHECK_S:
            return found
        try:
            found = calendar_conditions(self._uncovered())
        except Exception:
            log.exception("checking calendar years failed")
        self._calendar = (time.monotonic(), found)
        return found

    def evaluate(self, now: datetime) -> Transitions:
        """Judge every kiosk and the calendar now; store what changed."""
        newest = self._newest()
        with Session(self._engine) as session:
            views = [v for v in map(_view, session.scalars(select(Kiosk))) if v is not None]
        conditions = list(self._calendar_conditions()) + self._controller_conditions()
        for view in views:
            conditions += kiosk_conditions(view, now, self.config, newest)
        frozen = {v.id for v in views if not v.online}
        changes = self.tracker.observe(conditions, now, frozen)
        if changes.raised or changes.held or changes.cleared:
            self._store(changes, now)
        return changes

    def _store(self, changes: Transitions, now: datetime) -> None:
        ts = format_utc(now)
        with Session(self._engine) as session, session.begin():
            active = {(a.type, a.subject): a for a in session.scalars(
                select(Alarm).where(Alarm.cleared_at.is_(None)))}
            for condition, since in changes.raised:
                alarm = Alarm(type=condition.type, subject=condition.subject,
                              kiosk_id=condition.kiosk, severity=condition.severity,
                              message=condition.message, first_seen=format_utc(since),
                              raised_at=ts, last_seen=ts)
                session.add(alarm)
                session.flush()
                session.add(AlarmHistory(alarm_id=alarm.id, ts=ts, action="raised",
                                         actor="controller", detail=condition.message))
                log.warning("alarm %s raised on %s: %s", condition.type, condition.subject,
                            condition.message)
            for condition in changes.held:
                _held(session, active.get(condition.key), condition, ts)
            for key in changes.cleared:
                gone = active.get(key)
                if gone is not None:
                    gone.cleared_at = ts
                    session.add(AlarmHistory(alarm_id=gone.id, ts=ts, action="cleared",
                                             actor="controller", detail="condition gone"))
                    log.info("alarm %s cleared on %s", key[0], key[1])

    # -- reading and acknowledging ------------------------------------------------------
    def find(self, *, include_cleared: bool = False, kiosk: str | None = None,
             limit: int = 500) -> list[dict[str, Any]]:
        """Return active alarms (or all), newest first."""
        query = select(Alarm)
        if not include_cleared:
            query = query.where(Alarm.cleared_at.is_(None))
        if kiosk:
            query = query.where(Alarm.kiosk_id == kiosk)
        with Session(self._engine) as session:
            return [alarm_dict(a) for a in session.scalars(
                query.order_by(Alarm.id.desc()).limit(limit))]

    def get(self, alarm_id: int) -> dict[str, Any]:
        """Return one alarm with its history, or raise AlarmNotFound."""
        with Session(self._engine) as session:
            alarm = session.get(Alarm, alarm_id)
            if alarm is None:
                raise AlarmNotFound(f"no alarm {alarm_id}; list them with `stationctl alarms "
                                    "--all`")
            history = list(session.scalars(select(AlarmHistory).where(
                AlarmHistory.alarm_id == alarm_id).order_by(AlarmHistory.id)))
            return alarm_dict(alarm, history)

    def acknowledge(self, alarm_id: int, operator: str, comment: str) -> dict[str, Any]:
        """Acknowledge an alarm with a comment; return it."""
        ts = format_utc(utc_now())
        with Session(self._engine) as session, session.begin():
            alarm = session.get(Alarm, alarm_id)
            if alarm is None:
                raise AlarmNotFound(f"no alarm {alarm_id}; list them with `stationctl alarms "
                                    "--all`")
            alarm.acked_at, alarm.acked_by, alarm.ack_comment = ts, operator, comment
            session.add(AlarmHistory(alarm_id=alarm_id, ts=ts, action="acknowledged",
                                     actor=operator, detail=comment))
        return self.get(alarm_id)


def _held(session: Session, alarm: Alarm | None, condition: Condition, ts: str) -> None:
    if alarm is None:
        return
    alarm.last_seen = ts
    if alarm.message != condition.message or alarm.severity != condition.severity:
        alarm.message, alarm.severity = condition.message, condition.severity
        session.add(AlarmHistory(alarm_id=alarm.id, ts=ts, action="changed",
                                 actor="controller", detail=condition.message))
