"""A throwaway PostgreSQL cluster for tests: initdb in a temp folder, loopback port."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from harness import free_port


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed."""


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise PostgresUnavailable("PostgreSQL is not installed: scripts/test installs it "
                                  "(apt-get install postgresql)")
    return found[-1]


class PostgresCluster:
    """A private PostgreSQL server on 127.0.0.1 with trust authentication."""

    def __init__(self) -> None:
        # Its own folder under /tmp: pytest's temp folders are private to root, and the
        # server must run as 'postgres' when the tests run as root.
        self.folder = Path(tempfile.mkdtemp(prefix="stationnet-pg-"))
        self.port = free_port()
        self.data = self.folder / "pgdata"

    def _run(self, argv: list[str]) -> None:
        # initdb refuses to run as root: run the server as the 'postgres' user then.
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run([_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                   "--no-sync", "-E", "UTF8", "--locale", "C"])
        self._run([_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "pg.log"),
                   "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                         "-c fsync=on", "-w", "start"])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if subprocess.run([_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                              capture_output=True).returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL did not start; see {self.folder / 'pg.log'}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run([_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
