"""The Alembic migrations produce exactly the schema the ORM models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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
