"""The kiosk's command executor in-process: handlers, persistence, refusals (no broker)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.agent import KioskAgent
from kiosk.commands import CommandExecutor, LockState
from sync.commands import Command, public_key_b64, sign_command
from sync.envelope import utc_now
from sync.ids import uuid7
from sync.mqtt import ReceivedMessage
from sync.settings import Settings
from sync.topics import KioskChannel, kiosk_topic

KEY = Ed25519PrivateKey.generate()
SETTINGS = {"stations": [{"id": "s-1", "name": "站", "district": "d", "address": "a",
                          "lat": 30.0, "lon": 120.0}],
            "kiosks": [{"id": "k-1", "station": "s-1"}]}


@pytest.fixture
def executor(tmp_path: Path) -> Iterator[CommandExecutor]:
    settings = Settings.model_validate({**SETTINGS, "data_dir": str(tmp_path)})
    agent = KioskAgent(settings, "k-1")
    log = tmp_path / "kiosk.log"
    yield CommandExecutor(agent, public_key_b64(KEY), log_file=log)
    agent.store.close()


def _command(name: str, **args: object) -> Command:
    now = utc_now()
    return Command(uuid7(), "k-1", name, dict(args), now, now + timedelta(minutes=1),
                   secrets.token_hex(8))


def test_fetch_log_masks_personal_data_written_before_the_mask_existed(
        executor: CommandExecutor) -> None:
    Path(executor.log_file).write_text("card 33010619850312001X read\ncall 13812345678\n",
                                       encoding="utf-8")
    response = executor.run(_command("fetch_log", lines=10))
    assert response.ok
    assert response.result["lines"] == ["card 330106********001X read", "call 138****5678"]


def test_lock_state_survives_a_new_executor_and_tells_listeners(
        executor: CommandExecutor, tmp_path: Path) -> None:
    seen: list[LockState] = []
    executor.on_lock_change(seen.append)
    assert executor.run(_command("lock", message="暂停服务")).ok
    assert seen[-1].locked and executor.lock_state.message == "暂停服务"
    again = CommandExecutor(executor.agent, public_key_b64(KEY))
    assert again.lock_state.locked
    assert not executor.run(_command("lock", message="")).ok


def test_screenshot_is_refused_while_a_citizen_is_served(executor: CommandExecutor) -> None:
    executor.register("screenshot", lambda _c, _a: {"png": "..."})
    executor.session_active = lambda: True
    refused = executor.run(_command("screenshot"))
    assert not refused.ok and "session is active" in (refused.error or "")
    executor.session_active = lambda: False
    assert executor.run(_command("screenshot")).result == {"png": "..."}


def test_unknown_commands_and_crashing_handlers_fail_without_taking_the_kiosk_down(
        executor: CommandExecutor) -> None:
    assert "does not know" in (executor.run(_command("warp_drive")).error or "")
    executor.register("ping", lambda _c, _a: 1 / 0)  # type: ignore[arg-type,return-value]
    assert "ZeroDivisionError" in (executor.run(_command("ping")).error or "")


def _message(executor: CommandExecutor, payload: bytes) -> ReceivedMessage:
    return ReceivedMessage(kiosk_topic("k-1", KioskChannel.COMMAND), payload, 1, False, 1, 1,
                           response_topic=kiosk_topic("k-1", KioskChannel.RESPONSE),
                           correlation=b"c")


def test_a_command_received_twice_is_remembered_once_and_refused_the_second_time(
        executor: CommandExecutor) -> None:
    command = _command("ping")
    payload = sign_command(KEY, command)
    executor.receive(_message(executor, payload))
    executor.receive(_message(executor, payload))
    assert executor.was_received(command.id)
    with executor.agent.store.sessions() as session:
        events = executor.agent.store.outbox.pending(session)
    assert [(e.type, e.body["reason"]) for e in events] == [("command.refused", "replayed")]


def test_arguments_outside_the_commands_schema_are_refused_before_the_handler_runs(
        executor: CommandExecutor) -> None:
    refused = executor.run(_command("lock", message="x" * 201))
    assert not refused.ok and "lock needs --message: 1-200" in (refused.error or "")
    assert not executor.lock_state.locked
    extra = executor.run(_command("ping", force=True))
    assert not extra.ok and "ping takes no argument(s) force" in (extra.error or "")
    before = logging.getLogger().level
    try:
        assert executor.run(_command("set_log_level", level="warning")).result == {
            "level": "WARNING"}
    finally:
        logging.getLogger().setLevel(before)


def test_the_executor_owns_the_lock_whoever_asks_and_records_it_once(
        executor: CommandExecutor) -> None:
    seen: list[LockState] = []
    executor.on_lock_change(seen.append)
    executor.change_lock(True)  # asked by the kiosk's own technician screen
    unlock = _command("unlock")
    assert executor.run(unlock).ok
    assert [(s.locked, s.message) for s in seen] == [(True, ""), (False, "")]
    store = executor.agent.store
    with store.sessions() as session:
        events = [(e.type, e.body) for e in store.outbox.pending(session)]
    assert events == [("kiosk.locked", {}), ("kiosk.unlocked", {"command_id": unlock.id})]
