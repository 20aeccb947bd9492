"""The fleet writer: dedupe, sequence gaps opened and closed, presence, quarantine."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from controller.db import Event, Kiosk, QuarantinedMessage, SequenceGap, migrate
from controller.quarantine import Rejected
from controller.registry import FleetWriter
from sync.envelope import Envelope, RejectReason
from sync.messages import KioskPresence
from sync.mqtt import ReceivedMessage
from sync.storage import make_engine, sqlite_url


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(sqlite_url(tmp_path / "c.db"))
    migrate(engine)
    return engine


def _events(*seqs: int, kiosk: str = "k1") -> list[Envelope]:
    return [Envelope(kiosk=kiosk, seq=s, type="visit.ended", body={"s": s}) for s in seqs]


def _write(engine: Engine, events: list[Envelope], presences: list[KioskPresence] = (),
           rejected: list[Rejected] = ()) -> list[Envelope]:
    with Session(engine) as session, session.begin():
        return FleetWriter(session).write(events, list(presences), [], list(rejected)).inserted


def _open_gaps(engine: Engine) -> list[tuple[int, int]]:
    with Session(engine) as session:
        return [(g.first_missing, g.last_missing) for g in session.scalars(
            select(SequenceGap).where(SequenceGap.closed_at.is_(None))
            .order_by(SequenceGap.first_missing))]


def test_redelivered_events_are_stored_once(engine: Engine) -> None:
    batch = _events(1, 2, 3)
    assert len(_write(engine, batch)) == 3
    assert _write(engine, batch + batch) == []
    with Session(engine) as session:
        assert session.query(Event).count() == 3
        kiosk = session.get(Kiosk, "k1")
        assert kiosk is not None and kiosk.events_total == 3 and kiosk.max_seq == 3


def test_a_gap_is_reported_then_closed_as_late_events_arrive(engine: Engine) -> None:
    early = _events(1, 2, 3, 4, 5, 6, 7, 8)
    _write(engine, early[:2])
    _write(engine, [early[7]])
    assert _open_gaps(engine) == [(3, 7)]
    _write(engine, [early[4]])  # seq 5 splits the gap
    assert _open_gaps(engine) == [(3, 4), (6, 7)]
    _write(engine, [early[2], early[6]])
    assert _open_gaps(engine) == [(4, 4), (6, 6)]
    _write(engine, [early[3], early[5]])
    assert _open_gaps(engine) == []
    with Session(engine) as session:
        assert session.query(SequenceGap).count() == 2  # both rows kept, closed, for history


def test_presence_sets_station_and_online_flag(engine: Engine) -> None:
    _write(engine, [], [KioskPresence(kiosk="k9", state="online", station="s1", software="1")])
    _write(engine, [], [KioskPresence(kiosk="k9", state="offline")])
    with Session(engine) as session:
        kiosk = session.get(Kiosk, "k9")
        assert kiosk is not None
        assert (kiosk.online, kiosk.station_id, kiosk.software) == (False, "s1", "1")


def test_rejected_messages_are_kept_with_reason_and_a_short_excerpt(engine: Engine) -> None:
    message = ReceivedMessage(topic="stationnet/v1/kiosk/k1/up/events", payload=b"x" * 10_000,
                              qos=1, retain=False, mid=1, generation=1)
    _write(engine, [], rejected=[Rejected(message, "k1", RejectReason.OVERSIZED, "too big")])
    with Session(engine) as session:
        row = session.scalars(select(QuarantinedMessage)).one()
        assert (row.reason, row.size, row.excerpt, row.repeats) == (
            "oversized", 10_000, "x" * 160, 1)


def test_a_flood_of_state_messages_from_one_kiosk_applies_only_the_newest(
        engine: Engine) -> None:
    flood = [KioskPresence(kiosk="k7", state="online", station="s1", software=f"{n}")
             for n in range(500)] + [KioskPresence(kiosk="k7", state="offline")]
    _write(engine, [], flood)
    with Session(engine) as session:
        kiosk = session.get(Kiosk, "k7")
        assert kiosk is not None and (kiosk.online, kiosk.software) == (False, None)
