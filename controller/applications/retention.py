"""Personal data in stored submission events expires with the application's need for it.

The application record holds what officers need while it is open and drops the personal
fields when it closes (``Applications.move``). The ``application.submitted`` event that
created it keeps a copy in its body; this job erases that copy once the application has
been closed for the configured time, keeping what reports need (service, station, mode,
tracking number, masked applicant).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from controller.db import Event
from sync.envelope import format_utc

from .models import ApplicationRecord
from .projector import SUBMITTED
from .workflow import CLOSED

__all__ = ["PERSONAL_FIELDS", "erase_closed_personal_data"]

# Keys of a submission's body that carry personal data (``fields`` is the citizen's form).
PERSONAL_FIELDS = ("id_number", "fields", "name", "phone", "address")
_ERASED_MARK = "personal_data_erased"
_CHUNK = 500


def erase_closed_personal_data(keep_days: float) -> Callable[[Session, datetime], int]:
    """Return the retention job erasing personal data ``keep_days`` after closing."""
    def job(session: Session, now: datetime) -> int:
        cutoff = format_utc(now - timedelta(days=keep_days))
        event_ids = list(session.scalars(
            select(ApplicationRecord.event_id)
            .where(ApplicationRecord.status.in_([s.value for s in CLOSED]),
                   ApplicationRecord.status_at <= cutoff)))
        erased = 0
        for start in range(0, len(event_ids), _CHUNK):
            rows = session.execute(
                select(Event.pk, Event.body)
                .where(Event.event_id.in_(event_ids[start:start + _CHUNK]),
                       Event.type == SUBMITTED,
                       Event.body.not_like(f'%"{_ERASED_MARK}"%'))).all()
            for pk, body in rows:
                session.execute(update(Event).where(Event.pk == pk)
                                .values(body=_erased(body, now)))
                erased += 1
        return erased

    return job


def _erased(body_text: str, now: datetime) -> str:
    try:
        body = json.loads(body_text)
    except ValueError:
        body = {}
    kept = {k: v for k, v in body.items() if k not in PERSONAL_FIELDS} if isinstance(
        body, dict) else {}
    kept[_ERASED_MARK] = format_utc(now)
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
