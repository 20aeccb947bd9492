"""The outbox: an event exists exactly when its business record does; order; depth."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.store import Application, KioskStore
from sync.events import ApplicationSubmitted, VisitEnded


@pytest.fixture
def store(tmp_path: Path) -> KioskStore:
    return KioskStore(tmp_path / "kiosk.db", "k1")


def test_application_and_event_commit_together(store: KioskStore) -> None:
    submitted = store.submit_application(
        lambda tracking_no: ApplicationSubmitted(tracking_no=tracking_no,
                                                 service="dl-renewal-expiry", lang="zh"))
    with store.sessions() as session:
        pending = store.outbox.pending(session)
        assert [e.id for e in pending] == [submitted.event.id]
        assert pending[0].body["tracking_no"] == submitted.tracking_no
        assert pending[0].body["service"] == "dl-renewal-expiry"
        assert session.query(Application).count() == 1


def test_rolled_back_business_transaction_leaves_no_event(store: KioskStore) -> None:
    with pytest.raises(RuntimeError), store.sessions() as session, session.begin():
        session.add(Application(tracking_no="T-x", service_id="s", station_day="20261125",
                                created_ts="2026-11-25T00:00:00.000000Z"))
        store.outbox.append(session, "application.submitted", {"n": 1})
        raise RuntimeError("printer jammed before commit")
    assert store.depth().pending == 0
    with store.sessions() as session:
        assert session.query(Application).count() == 0


def test_sequence_numbers_increase_and_are_never_reused(store: KioskStore) -> None:
    first = [store.record(VisitEnded(duration_s=i)).seq for i in range(5)]
    assert first == [1, 2, 3, 4, 5]
    with store.sessions() as session, session.begin():
        store.outbox.mark_delivered(session, first)
        from sqlalchemy import delete

        from sync.outbox import OutboxEvent
        session.execute(delete(OutboxEvent))
    assert store.record(VisitEnded()).seq == 6


def test_pending_is_in_order_and_marking_is_idempotent(store: KioskStore) -> None:
    for i in range(10):
        store.record(VisitEnded(duration_s=i))
    with store.sessions() as session, session.begin():
        assert [e.seq for e in store.outbox.pending(session, after_seq=3, limit=4)] == [4, 5, 6, 7]
        assert store.outbox.mark_delivered(session, [1, 2, 2, 3]) == 3
        assert store.outbox.mark_delivered(session, [1, 2, 3]) == 0
    depth = store.depth()
    assert depth.pending == 7 and depth.oldest_age_s is not None and depth.oldest_age_s >= 0


def test_outbox_survives_reopening(tmp_path: Path) -> None:
    first = KioskStore(tmp_path / "k.db", "k1")
    event = first.record(VisitEnded(duration_s=1))
    first.close()
    again = KioskStore(tmp_path / "k.db", "k1")
    with again.sessions() as session:
        assert [e.id for e in again.outbox.pending(session)] == [event.id]


def test_delivered_events_are_pruned_after_the_retention_and_pending_ones_never(
        store: KioskStore) -> None:
    from datetime import timedelta

    from sync.envelope import utc_now

    seqs = [store.record(VisitEnded(duration_s=i)).seq for i in range(4)]
    with store.sessions() as session, session.begin():
        store.outbox.mark_delivered(session, seqs[:3])
    week = timedelta(days=7)
    assert store.prune_delivered(week, now=utc_now() + timedelta(days=6)) == 0
    assert store.prune_delivered(week, now=utc_now() + timedelta(days=400)) == 3
    assert store.depth().pending == 1  # undelivered: kept however old
    assert store.record(VisitEnded()).seq == 5  # numbers are not reused after pruning
