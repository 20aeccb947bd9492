"""The Alembic migrations produce exactly the schema the ORM models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

import controller.features  # noqa: F401  (features may add tables)
from controller.db import Base, migrate
from sync.storage import make_engine, sqlite_url


def test_migrated_schema_matches_models(tmp_path: Path) -> None:
    for feature in controller.features.discover():
        assert feature.__name__  # importing registers their tables on Base.metadata
    engine = make_engine(sqlite_url(tmp_path / "m.db"))
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_migrating_twice_is_harmless(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "m.db"))
    migrate(engine)
    migrate(engine)
    assert "events" in inspect(engine).get_table_names()


def _upgrade(engine, *revisions: str) -> None:
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("controller") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        for revision in revisions:
            command.upgrade(config, revision)


def test_postgresql_schema_matches_models(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"models and migrations disagree on PostgreSQL: {diff}"
    engine.dispose()


def test_an_existing_postgresql_database_takes_64_bit_sequence_numbers_after_upgrade(
        postgres_url: str) -> None:
    from sqlalchemy import text

    engine = make_engine(postgres_url)
    _upgrade(engine, "0002_schedules", "0003_applications", "0004_remote")  # before 0005
    insert = text("INSERT INTO events (event_id, kiosk_id, seq, type, ts, received_at, body) "
                  "VALUES (:id, 'k1', :seq, 'visit.ended', :ts, :ts, '{}')")
    ts = "2026-01-01T00:00:00.000000Z"
    with engine.begin() as connection:
        connection.execute(insert, {"id": "e1", "seq": 7, "ts": ts})
        connection.execute(text(
            "INSERT INTO quarantine (received_at, topic, reason, detail, size, payload_head) "
            "VALUES (:ts, 't', 'not_json', 'd', 3, 'abc')"), {"ts": ts})
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(insert, {"id": "e2", "seq": 2**62, "ts": ts})
        seqs = sorted(connection.execute(text("SELECT seq FROM events")).scalars())
        kept = connection.execute(text("SELECT repeats, excerpt FROM quarantine")).one()
    assert seqs == [7, 2**62] and tuple(kept) == (1, "")
    engine.dispose()


def _old_command_rows(engine) -> None:
    """Store a command, its history and a rollout as 0004_remote wrote them (strings)."""
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO rollouts (name, args, selector, targets, rate_per_s, abort_pct, "
            "abort_first, expiry_s, state, operator, created_at, finished_at) VALUES "
            "('reboot', '{}', '{}', '[\"k1\"]', 1, 50, 0, 60, 'completed', 'ops', "
            "'2026-11-25T20:00:00.000000Z', '2026-11-25T20:05:00.250000Z')"))
        connection.execute(text(
            "INSERT INTO remote_commands (id, kiosk_id, name, args, state, operator, "
            "rollout_id, payload, created_at, expires_at, result_timeout_s, sent_at, "
            "delivered_at, finished_at) VALUES ('c1', 'k1', 'reboot', '{}', 'DELIVERED', "
            "'ops', 1, 'p', '2026-11-25T20:00:01.123456Z', '2026-11-25T20:10:01.123456Z', "
            "30, '2026-11-25T20:00:02.000000Z', '2026-11-25T20:00:03.000001Z', NULL)"))
        connection.execute(text(
            "INSERT INTO remote_command_history (command_id, ts, state, detail) "
            "VALUES ('c1', '2026-11-25T20:00:01.123456Z', 'QUEUED', 'by ops')"))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_command_timestamps_stored_as_strings_are_kept_as_utc_datetimes(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from controller.remote.models import CommandHistory, RemoteCommand, Rollout

    url = (sqlite_url(tmp_path / "m.db") if backend == "sqlite"
           else request.getfixturevalue("postgres_url"))
    engine = make_engine(url)
    _upgrade(engine, "0004_remote")
    _old_command_rows(engine)
    migrate(engine)
    with Session(engine) as session:
        command = session.get(RemoteCommand, "c1")
        history = session.scalars(select(CommandHistory)).one()
        rollout = session.scalars(select(Rollout)).one()
        assert command is not None
        assert (command.created_at, command.expires_at, command.sent_at,
                command.delivered_at, command.finished_at) == (
            datetime(2026, 11, 25, 20, 0, 1, 123456, tzinfo=UTC),
            datetime(2026, 11, 25, 20, 10, 1, 123456, tzinfo=UTC),
            datetime(2026, 11, 25, 20, 0, 2, tzinfo=UTC),
            datetime(2026, 11, 25, 20, 0, 3, 1, tzinfo=UTC), None)
        assert command.created_at.tzinfo == UTC
        assert history.ts == datetime(2026, 11, 25, 20, 0, 1, 123456, tzinfo=UTC)
        assert (rollout.created_at, rollout.finished_at) == (
            datetime(2026, 11, 25, 20, 0, tzinfo=UTC),
            datetime(2026, 11, 25, 20, 5, 0, 250000, tzinfo=UTC))
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"models and migrations disagree after the upgrade: {diff}"
    engine.dispose()
