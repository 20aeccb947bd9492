"""SQLAlchemy engines set up the same way on both ends (WAL, durable commits, FKs)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["make_engine", "sqlite_url"]


def sqlite_url(path: Path | str) -> str:
    """Return the SQLAlchemy URL of a SQLite file readable by its owner only.

    The folder is created 0700 and the file 0600 (an existing file is tightened to 0600):
    these databases hold applications and personal data. SQLite gives its -wal and -shm
    files the database file's permissions.
    """
    file = Path(path).resolve()
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(file, os.O_RDWR | os.O_CREAT, 0o600))
    os.chmod(file, 0o600)
    return f"sqlite:///{file}"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Return an engine for ``url``; SQLite files get WAL and fully durable commits.

    ``synchronous=FULL`` because a commit here is a promise (the controller acks the
    broker, the kiosk prints a receipt): after it, a power cut must not take it back.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                           **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine
