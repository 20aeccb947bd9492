"""Test harness: a real Mosquitto, real controller and kiosk processes, real SQLite files."""

from __future__ import annotations

import os
import socket
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# pytest puts tests/ on sys.path, where tests/sync and tests/kiosk would shadow the real
# packages as empty namespace packages (``from sync import __version__`` then fails in
# tests that run a KioskAgent in-process); the repository root must be searched first.
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.exc import ProgrammingError  # noqa: E402

from controller.broker import Mosquitto  # noqa: E402
from controller.processes import ChildProcess  # noqa: E402
from sync.settings import BrokerConfig, Settings, load_settings  # noqa: E402

STATIONS_TOML = """
[[stations]]
id = "hz-xihu-wensan"
name = "西湖区文三路社区交警服务站"
name_en = "Wensan Road Community Traffic Police Station"
district = "西湖区"
address = "杭州市西湖区文三路"
lat = 30.2795
lon = 120.1302

[[stations]]
id = "hz-gongshu-daguan"
name = "拱墅区大关社区交警服务站"
name_en = "Daguan Community Traffic Police Station"
district = "拱墅区"
address = "杭州市拱墅区大关路"
lat = 30.3107
lon = 120.1480
"""


def free_port() -> int:
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    """Return the first truthy value of ``predicate`` or fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


class Proc(ChildProcess):
    """A stationnet child process of a test, started at once, its output in a file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        super().__init__(name, argv, env, log, cwd=REPO)
        self.log = log
        self.start()

    def wait_ready(self, timeout: float = 30) -> Proc:
        if not self.ready.wait(timeout):
            raise AssertionError(f"{self.name} not ready in {timeout:g} s:\n{self.tail()}")
        return self

    def terminate(self, timeout: float = 20) -> int:
        """SIGTERM and wait: the clean stop path (a process that ignores it fails the test)."""
        if not self.stop(timeout):
            raise AssertionError(f"{self.name} ignored SIGTERM:\n{self.tail()}")
        return int(self.popen.returncode)


class Network:
    """One isolated station network for a test: broker, config, data folder, processes."""

    def __init__(self, root: Path, kiosks: list[tuple[str, str]], *, keepalive_s: int = 2,
                 database_url: str = "",
                 broker_overrides: dict[str, Any] | None = None) -> None:
        self.root = root
        self.port = free_port()
        self.http_port = free_port()
        self.data = root / "data"
        self.config_path = root / "stationnet.toml"
        self.database_url = database_url
        self.kiosk_ids = [k for k, _ in kiosks]
        self._write_config(kiosks, keepalive_s)
        self.settings: Settings = load_settings(self.config_path, environ={})
        broker_cfg = self.settings.broker
        if broker_overrides:
            broker_cfg = BrokerConfig(**{**broker_cfg.model_dump(), **broker_overrides})
        self.broker = Mosquitto(broker_cfg, root / "broker", port=self.port)
        self.procs: list[Proc] = []
        self.env = {**os.environ, "STATIONNET_DATA_DIR": str(self.data),
                    "STATIONNET_CONFIG": str(self.config_path), "PYTHONUNBUFFERED": "1"}
        self.env = {k: v for k, v in self.env.items() if not k.startswith("STATIONNET__")}

    def _write_config(self, kiosks: list[tuple[str, str]], keepalive_s: int) -> None:
        kiosk_toml = "".join(
            f'\n[[kiosks]]\nid = "{k}"\nstation = "{s}"\ntelemetry_interval_s = 1.0\n'
            for k, s in kiosks)
        self.config_path.write_text(
            f'data_dir = "{self.data}"\n[broker]\nport = {self.port}\n'
            f"keepalive_s = {keepalive_s}\n"
            f'[controller]\nhttp_port = {self.http_port}\nbatch_wait_ms = 10\n'
            f'database_url = "{self.database_url}"\n'
            + STATIONS_TOML + kiosk_toml, encoding="utf-8")

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start_broker(self) -> None:
        self.broker.start()

    def controller(self) -> Proc:
        proc = Proc("controller", [sys.executable, "-m", "controller.launcher", "controller",
                                   "--config", str(self.config_path)],
                    self.env, self.root / "logs" / "controller.log")
        self.procs.append(proc)
        return proc.wait_ready()

    def kiosk(self, kiosk_id: str, *, rate: float = 0, count: int = 0,
              args: list[str] | None = None) -> Proc:
        argv = [sys.executable, "-m", "kiosk", "--kiosk-id", kiosk_id, "--headless",
                "--config", str(self.config_path), *(args or [])]
        if rate:
            argv += ["--rate", str(rate), "--count", str(count)]
        proc = Proc(f"kiosk {kiosk_id}", argv, self.env, self.root / "logs" / f"{kiosk_id}.log")
        self.procs.append(proc)
        return proc.wait_ready()

    def controller_db(self) -> Path:
        return self.data / "controller" / "controller.db"

    def kiosk_db(self, kiosk_id: str) -> Path:
        return self.data / "kiosks" / kiosk_id / "kiosk.db"

    def _query(self, path: Path, sql: str, **params: Any) -> list[Any]:
        if not path.exists():
            return []
        engine = create_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params).all())
        finally:
            engine.dispose()

    def _controller_query(self, sql: str, **params: Any) -> list[Any]:
        if not self.database_url:
            return self._query(self.controller_db(), sql, **params)
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params).all())
        except ProgrammingError:  # the controller has not created its tables yet
            return []
        finally:
            engine.dispose()

    def controller_event_ids(self, kiosk_id: str | None = None) -> list[str]:
        sql = "SELECT event_id FROM events" + (" WHERE kiosk_id = :k" if kiosk_id else "")
        return [r[0] for r in self._controller_query(sql, k=kiosk_id)]

    def kiosk_event_ids(self, kiosk_id: str) -> list[str]:
        return [r[0] for r in self._query(self.kiosk_db(kiosk_id), "SELECT event_id FROM outbox")]

    def kiosk_pending(self, kiosk_id: str) -> int:
        rows = self._query(self.kiosk_db(kiosk_id),
                           "SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
        return int(rows[0][0]) if rows else -1

    def kiosk_online(self, kiosk_id: str) -> bool | None:
        rows = self._controller_query("SELECT online FROM kiosks WHERE id = :k", k=kiosk_id)
        return bool(rows[0][0]) if rows else None

    def quarantine(self) -> list[Any]:
        return self._controller_query("SELECT reason, detail, topic FROM quarantine ORDER BY id")

    def assert_all_delivered_once(self, timeout: float = 60) -> int:
        """Wait until every kiosk event is in the controller once and every outbox is empty."""
        def stored_ids() -> list[str]:
            return [e for k in self.kiosk_ids for e in self.controller_event_ids(k)]

        def settled() -> bool:
            stored = stored_ids()
            produced = [e for k in self.kiosk_ids for e in self.kiosk_event_ids(k)]
            pending = sum(max(0, self.kiosk_pending(k)) for k in self.kiosk_ids)
            return bool(produced) and sorted(stored) == sorted(produced) and pending == 0

        try:
            wait_for(settled, timeout, "every kiosk event stored once and every outbox empty",
                     interval=0.5)
        except AssertionError:
            stored = stored_ids()
            produced = {e for k in self.kiosk_ids for e in self.kiosk_event_ids(k)}
            raise AssertionError(
                f"produced {len(produced)}, stored {len(stored)} "
                f"({len(set(stored))} distinct), missing {len(produced - set(stored))}, "
                f"pending {[self.kiosk_pending(k) for k in self.kiosk_ids]}\n"
                + self.describe_processes()) from None
        stored = stored_ids()
        assert len(stored) == len(set(stored))
        return len(stored)

    def describe_processes(self, lines: int = 15) -> str:
        """Return each process's state and last log lines, for failure messages."""
        parts = []
        for proc in self.procs:
            state = "running" if proc.alive() else f"exited {proc.popen.returncode}"
            parts.append(f"--- {proc.name} ({state}) ---\n{proc.tail(lines)}")
        return "\n".join(parts)

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.alive():
                try:
                    proc.terminate(10)
                except AssertionError:
                    pass
        self.broker.stop(kill=True)


def in_process_controller(root: Path) -> Any:
    """Return a ControllerService on a SQLite file under ``root``, not connected (no broker).

    Its documents are stored but not delivered; features' start hooks (seeding) have run.
    Point features at a config folder with ``monkeypatch.setenv("STATIONNET_CONFIG_DIR", …)``
    first, so nothing leaks into other tests' processes.
    """
    from controller.service import ControllerService

    settings = Settings.model_validate({**tomllib.loads(STATIONS_TOML),
                                        "data_dir": str(root / "data")})
    service = ControllerService(settings, http=False)
    for hook in service.on_start:
        hook()
    return service
