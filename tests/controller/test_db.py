"""The controller's UTC datetime column: aware UTC in, the same moment in UTC out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError

from controller.db import NaiveDatetimeError, UtcDateTime
from sync.storage import make_engine, sqlite_url

_moments = Table("moments", MetaData(), Column("id", Integer, primary_key=True),
                 Column("at", UtcDateTime, nullable=True))


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "t.db")
    return str(request.getfixturevalue("postgres_url"))


def test_a_moment_in_any_zone_comes_back_as_the_same_moment_in_utc(url: str) -> None:
    engine = make_engine(url)
    _moments.metadata.create_all(engine)
    shanghai = datetime(2026, 12, 3, 17, 30, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
    with engine.begin() as connection:
        connection.execute(insert(_moments), [{"id": 1, "at": shanghai}, {"id": 2, "at": None}])
        stored = connection.execute(select(_moments.c.at).order_by(_moments.c.id)).scalars()
        first, second = list(stored)
    assert first == shanghai and first.tzinfo == UTC and first.hour == 9
    assert second is None
    engine.dispose()


def test_a_naive_datetime_is_refused_with_what_to_pass(url: str) -> None:
    engine = make_engine(url)
    _moments.metadata.create_all(engine)
    with engine.begin() as connection, pytest.raises(StatementError) as raised:
        connection.execute(insert(_moments), {"id": 1, "at": datetime(2026, 12, 3, 9, 0)})
    assert isinstance(raised.value.orig, NaiveDatetimeError)
    assert "aware datetime" in str(raised.value.orig)
    engine.dispose()
