"""The operators' audit log: every action through the API, appended and never changed."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sync.envelope import format_utc, utc_now

from .models import AuditEntry

__all__ = ["AuditLog"]


class AuditLog:
    """Appends who did what, to what, when, and with which result."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, operator: str, action: str, target: str, result: str,
               detail: dict[str, Any] | None = None) -> int:
        """Append one entry; return its id."""
        entry = AuditEntry(ts=format_utc(utc_now()), operator=operator[:100],
                           action=action[:60], target=target[:200], result=result[:2000],
                           detail=json.dumps(detail or {}, ensure_ascii=False))
        with Session(self._engine) as session, session.begin():
            session.add(entry)
            session.flush()
            return entry.id

    def entries(self, *, operator: str | None = None, action: str | None = None,
                after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """Return entries in order, optionally one operator's or one action's."""
        query = select(AuditEntry).where(AuditEntry.id > after)
        if operator:
            query = query.where(AuditEntry.operator == operator)
        if action:
            query = query.where(AuditEntry.action.startswith(action))
        with Session(self._engine) as session:
            rows = session.scalars(query.order_by(AuditEntry.id).limit(limit)).all()
            return [{"id": r.id, "ts": r.ts, "operator": r.operator, "action": r.action,
                     "target": r.target, "detail": json.loads(r.detail), "result": r.result}
                    for r in rows]
