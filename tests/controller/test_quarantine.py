"""The quarantine stays bounded under floods: repeats counted, rows capped, old rows pruned,
one log line per kiosk and reason per interval, personal data masked in excerpts."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from controller.db import QuarantinedMessage, migrate
from controller.quarantine import (
    QuarantinePolicy,
    Rejected,
    RejectionLog,
    prune_quarantine,
    store_rejections,
)
from sync.envelope import RejectReason
from sync.mqtt import ReceivedMessage
from sync.storage import make_engine, sqlite_url

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
POLICY = QuarantinePolicy(interval_s=60, max_rows_per_interval=20, keep_days=30,
                          keep_rows=1000)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(sqlite_url(tmp_path / "c.db"))
    migrate(engine)
    return engine


def _rejected(kiosk: str | None, payload: bytes = b"{}",
              reason: RejectReason = RejectReason.NOT_JSON) -> Rejected:
    topic = f"stationnet/v1/kiosk/{kiosk or 'x'}/up/events"
    return Rejected(ReceivedMessage(topic, payload, 1, False, 1, 1), kiosk, reason, "why")


def _store(engine: Engine, items: list[Rejected], now: datetime = T0) -> None:
    with Session(engine) as session, session.begin():
        store_rejections(session, items, now, POLICY)


def _rows(engine: Engine) -> list[tuple[str | None, str, int]]:
    with Session(engine) as session:
        return [(r.kiosk_id, r.reason, r.repeats) for r in session.scalars(
            select(QuarantinedMessage).order_by(QuarantinedMessage.id))]


def test_excerpt_masks_id_numbers_phones_and_names() -> None:
    body = {"name": "张三丰", "id_number": "330106199001011234", "phone": "13812345678",
            "address": "杭州市西湖区文三路1号"}
    payload = json.dumps(body, ensure_ascii=False).encode()
    from sync.logs import masked_excerpt

    excerpt = masked_excerpt(payload)
    for secret in ("三丰", "199001011234", "12345678", "西湖区文三路"):
        assert secret not in excerpt
    assert excerpt.startswith('{"name": "张**"')


def test_repeats_of_one_refusal_share_a_row_within_the_interval(engine: Engine) -> None:
    _store(engine, [_rejected("k1")] * 1000)
    _store(engine, [_rejected("k1")] * 500, T0 + timedelta(seconds=30))
    _store(engine, [_rejected("k1", reason=RejectReason.OVERSIZED)], T0 + timedelta(seconds=31))
    assert _rows(engine) == [("k1", "not_json", 1500), ("k1", "oversized", 1)]
    _store(engine, [_rejected("k1")], T0 + timedelta(seconds=120))  # a new interval
    assert _rows(engine)[-1] == ("k1", "not_json", 1)


def test_rows_per_interval_are_capped_however_many_kiosks_send(engine: Engine) -> None:
    _store(engine, [_rejected(f"k{n}") for n in range(20_000)])
    rows = _rows(engine)
    assert len(rows) == POLICY.max_rows_per_interval + 1
    assert sum(r[2] for r in rows) == 20_000
    assert rows[-1][0] is None and rows[-1][2] == 20_000 - POLICY.max_rows_per_interval


def test_retention_removes_rows_past_their_age_and_beyond_the_count(engine: Engine) -> None:
    for day in range(40):
        _store(engine, [_rejected(f"k{day}")], T0 + timedelta(days=day))
    with Session(engine) as session, session.begin():
        removed = prune_quarantine(session, T0 + timedelta(days=40), POLICY)
    assert removed == 10
    small = QuarantinePolicy(keep_days=365, keep_rows=5)
    with Session(engine) as session, session.begin():
        prune_quarantine(session, T0 + timedelta(days=40), small)
        assert session.scalar(select(func.count()).select_from(QuarantinedMessage)) == 5


def test_the_log_says_once_per_kiosk_and_reason_then_counts(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    journal = RejectionLog(interval_s=60, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="controller.quarantine"):
        for _ in range(20):
            journal.record([_rejected("k1")] * 1000)
        journal.record([_rejected("k2")])
        assert len(caplog.records) == 2
        now[0] = 61.0
        journal.record([])
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3 and "19999 more message(s) from k1 for not_json" in lines[2]
