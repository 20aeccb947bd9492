"""Rollout planning and the audit log against a real (SQLite) controller database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from controller.db import migrate
from controller.remote.audit import AuditLog
from controller.remote.commands import InvalidCommand, validate_args
from controller.remote.models import RemoteCommand, Rollout
from controller.remote.rollouts import _verdict
from sync.storage import make_engine, sqlite_url

T0 = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


def _rollout(targets: int = 6, abort_first: int = 2, abort_pct: float = 50,
             rate: float = 1.0) -> Rollout:
    return Rollout(targets=json.dumps([f"k-{i}" for i in range(targets)]), rate_per_s=rate,
                   abort_pct=abort_pct, abort_first=abort_first)


def _commands(*states: str, at: datetime = T0) -> list[RemoteCommand]:
    return [RemoteCommand(state=s, created_at=at) for s in states]


def test_canary_goes_first_then_waits_until_it_is_final() -> None:
    plan = _rollout()
    assert _verdict(plan, [], T0) == "dispatch"
    assert _verdict(plan, _commands("SENT"), T0 + timedelta(seconds=1)) == "dispatch"
    assert _verdict(plan, _commands("SENT", "DELIVERED"), T0 + timedelta(seconds=9)) == "wait"
    assert _verdict(plan, _commands("SUCCEEDED", "SUCCEEDED"), T0 + timedelta(seconds=9)
                    ) == "dispatch"


def test_rate_limit_spaces_dispatches() -> None:
    plan = _rollout(abort_first=0, rate=0.5)
    assert _verdict(plan, _commands("SENT"), T0 + timedelta(seconds=1)) == "wait"
    assert _verdict(plan, _commands("SENT"), T0 + timedelta(seconds=2)) == "dispatch"


def test_abort_when_more_than_the_percentage_of_the_first_n_fail() -> None:
    plan = _rollout(abort_first=4, abort_pct=25)
    assert _verdict(plan, _commands("FAILED", "SUCCEEDED", "SENT"), T0) != "aborted"  # 1 = 25 %
    assert _verdict(plan, _commands("FAILED", "EXPIRED", "SENT"), T0) == "aborted"
    later = _commands("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "FAILED")
    assert _verdict(plan, later, T0) == "completed"  # failures after the canary do not abort


def test_command_arguments_are_checked_before_anything_is_signed() -> None:
    assert validate_args("set_log_level", {"level": "debug"}) == {"level": "DEBUG"}
    for name, args, says in (("lock", {}, "--message"), ("ping", {"x": 1}, "takes no"),
                             ("reboot_now", {}, "unknown command"),
                             ("fetch_log", {"lines": 5000}, "1-1000")):
        with pytest.raises(InvalidCommand, match=says):
            validate_args(name, args)


def test_the_audit_log_is_append_only_in_the_database(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "c.db"))
    migrate(engine)
    audit = AuditLog(engine)
    entry = audit.record("tech-li", "command.ping", "k-1", "SUCCEEDED", {"args": {}})
    assert audit.entries()[0]["id"] == entry
    for sql in ("UPDATE audit_log SET operator = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    assert [e["operator"] for e in audit.entries()] == ["tech-li"]
