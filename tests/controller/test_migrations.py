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
