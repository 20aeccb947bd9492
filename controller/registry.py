"""The fleet registry's write side: events, presence, telemetry, gaps and quarantine."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Compiled
from sqlalchemy.orm import Session

from sync.envelope import Envelope, format_utc, utc_now
from sync.messages import KioskPresence, KioskTelemetry

from .db import Event, Kiosk, SequenceGap
from .quarantine import QuarantinePolicy, Rejected, store_rejections

__all__ = ["FleetWriter", "WriteOutcome", "execute_many"]


def _insert_ignoring_duplicates(session: Session) -> Insert:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(Event.__table__).on_conflict_do_nothing(index_elements=["event_id"])


_COMPILED: dict[tuple[str, str, tuple[str, ...]], Compiled] = {}


def execute_many(session: Session, statement: Insert, rows: list[dict[str, Any]]) -> None:
    """Run ``statement`` for every row through the driver's executemany.

    The statement is compiled once per dialect and rows go to the driver as they are:
    SQLAlchemy's per-row parameter processing costs more than the insert itself when a
    backlog drains at thousands of events a second.
    """
    if not rows:
        return
    connection = session.connection()
    columns = list(rows[0])
    key = (connection.dialect.name, str(statement), tuple(columns))
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = statement.compile(dialect=connection.dialect,
                                                      column_keys=columns)
    if compiled.positiontup is not None:
        order = compiled.positiontup
        connection.exec_driver_sql(compiled.string,
                                   [tuple(row[name] for name in order) for row in rows])
    else:
        connection.exec_driver_sql(compiled.string, rows)


@dataclass(slots=True)
class WriteOutcome:
    """What a batch changed: the events that were new (not duplicates)."""

    inserted: list[Envelope] = field(default_factory=list)


class FleetWriter:
    """Applies one batch inside the caller's transaction."""

    def __init__(self, session: Session, quarantine: QuarantinePolicy | None = None) -> None:
        self._session = session
        self._moment = utc_now()
        self._now = format_utc(self._moment)
        self._quarantine_policy = quarantine or QuarantinePolicy()

    def write(
        self,
        events: list[Envelope],
        presences: list[KioskPresence],
        telemetry: list[KioskTelemetry],
        rejected: list[Rejected],
    ) -> WriteOutcome:
        """Store the batch; returns which events were newly inserted."""
        kiosk_ids = {e.kiosk for e in events} | {p.kiosk for p in presences}
        kiosk_ids |= {t.kiosk for t in telemetry}
        kiosks = self._kiosks(kiosk_ids)
        inserted = self._insert_events(events)
        self._track_sequences(kiosks, inserted)
        # Only the newest state of each kiosk in a batch matters: a flood of presence or
        # telemetry from one kiosk costs one row update per batch, not one per message.
        for presence in {p.kiosk: p for p in presences}.values():
            self._apply_presence(kiosks[presence.kiosk], presence)
        for report in {t.kiosk: t for t in telemetry}.values():
            self._apply_telemetry(kiosks[report.kiosk], report)
        for kiosk_id in {e.kiosk for e in events}:
            kiosks[kiosk_id].last_seen = self._now
        store_rejections(self._session, rejected, self._moment, self._quarantine_policy)
        return WriteOutcome(inserted)

    def _kiosks(self, ids: Iterable[str]) -> dict[str, Kiosk]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        found = {k.id: k for k in self._session.scalars(select(Kiosk).where(Kiosk.id.in_(wanted)))}
        for kiosk_id in wanted:
            if kiosk_id not in found:
                kiosk = Kiosk(id=kiosk_id, online=False, first_seen=self._now,
                              last_seen=self._now, devices="[]", documents="{}",
                              max_seq=0, events_total=0)
                self._session.add(kiosk)
                found[kiosk_id] = kiosk
        return found

    def _insert_events(self, events: list[Envelope]) -> list[Envelope]:
        if not events:
            return []
        # Which ids are already stored: one indexed lookup, then a plain executemany of
        # the rest (much cheaper than INSERT … RETURNING per row). ON CONFLICT DO NOTHING
        # still guards against a second controller storing the same event meanwhile.
        known = self._stored_ids([e.id for e in events])
        fresh: dict[str, Envelope] = {}
        for e in events:  # a batch may also carry the same event twice
            if e.id not in known and e.id not in fresh:
                fresh[e.id] = e
        if not fresh:
            return []
        rows = [
            {"event_id": e.id, "kiosk_id": e.kiosk, "seq": e.seq, "type": e.type,
             "ts": e.ts_text, "received_at": self._now,
             "body": e.body_text}
            for e in fresh.values()
        ]
        execute_many(self._session, _insert_ignoring_duplicates(self._session), rows)
        return list(fresh.values())

    def _stored_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            found.update(self._session.scalars(
                select(Event.event_id).where(Event.event_id.in_(ids[start:start + 500]))))
        return found

    def _track_sequences(self, kiosks: dict[str, Kiosk], inserted: list[Envelope]) -> None:
        by_kiosk: dict[str, list[int]] = defaultdict(list)
        for e in inserted:
            by_kiosk[e.kiosk].append(e.seq)
        for kiosk_id, seqs in by_kiosk.items():
            kiosk = kiosks[kiosk_id]
            kiosk.events_total += len(seqs)
            late = []
            highest = kiosk.max_seq  # a local: the ORM attribute is set once per batch
            for seq in sorted(seqs):
                if seq > highest + 1:
                    self._session.add(SequenceGap(
                        kiosk_id=kiosk_id, first_missing=highest + 1,
                        last_missing=seq - 1, detected_at=self._now))
                if seq > highest:
                    highest = seq
                else:
                    late.append(seq)
            kiosk.max_seq = highest
            if late:
                self._session.flush()
                self._fill_gaps(kiosk_id, late)

    def _fill_gaps(self, kiosk_id: str, late: list[int]) -> None:
        gaps = list(self._session.scalars(select(SequenceGap).where(
            SequenceGap.kiosk_id == kiosk_id, SequenceGap.closed_at.is_(None))))
        for seq in late:
            for gap in gaps:
                if gap.closed_at is not None or not gap.first_missing <= seq <= gap.last_missing:
                    continue
                if seq == gap.first_missing:
                    gap.first_missing += 1
                elif seq == gap.last_missing:
                    gap.last_missing -= 1
                else:  # split: the upper part becomes a new open gap
                    upper = SequenceGap(kiosk_id=kiosk_id, first_missing=seq + 1,
                                        last_missing=gap.last_missing, detected_at=gap.detected_at)
                    self._session.add(upper)
                    gaps.append(upper)
                    gap.last_missing = seq - 1
                if gap.first_missing > gap.last_missing:
                    gap.closed_at = self._now
                break

    def _apply_presence(self, kiosk: Kiosk, presence: KioskPresence) -> None:
        online = presence.state == "online"
        if kiosk.online != online:
            kiosk.presence_changed = self._now
        kiosk.online = online
        kiosk.last_seen = self._now
        if online:
            kiosk.station_id = presence.station or kiosk.station_id
            kiosk.software = presence.software
            kiosk.devices = json.dumps([d.model_dump(mode="json") for d in presence.devices],
                                       ensure_ascii=False)
            kiosk.documents = json.dumps(presence.documents)

    def _apply_telemetry(self, kiosk: Kiosk, report: KioskTelemetry) -> None:
        kiosk.last_seen = self._now
        kiosk.telemetry = report.model_dump_json()
        kiosk.devices = json.dumps([d.model_dump(mode="json") for d in report.devices],
                                   ensure_ascii=False)
        kiosk.documents = json.dumps(report.documents)
        if report.station:
            kiosk.station_id = report.station
