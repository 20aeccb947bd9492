"""A caller waiting for a command's outcome is woken when the answer is stored."""

from __future__ import annotations

import secrets
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from controller.db import migrate
from controller.remote.commands import OTHER_CONTROLLERS_RECHECK_S, CommandTracker
from sync.commands import Command, CommandResponse
from sync.envelope import utc_now
from sync.ids import uuid7
from sync.mqtt import BrokerEndpoint, MqttLink, ReceivedMessage
from sync.settings import CommandsConfig
from sync.storage import make_engine, sqlite_url
from sync.topics import KioskChannel, kiosk_topic


def test_a_waiter_is_woken_by_the_answer_not_by_rereading_the_database(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "c.db"))
    migrate(engine)
    link = MqttLink("controller-test", BrokerEndpoint("127.0.0.1", 1, 10))  # never started
    tracker = CommandTracker(engine, link, Ed25519PrivateKey.generate(), CommandsConfig())
    now = utc_now()
    command = Command(uuid7(), "k-1", "ping", {}, now, now + timedelta(minutes=1),
                      secrets.token_hex(8))
    tracker.store.add(command, "{}", operator="tech", result_timeout_s=30, rollout_id=None)
    found: dict[str, Any] = {}
    waiter = threading.Thread(target=lambda: found.update(tracker.wait(command.id, 10)))
    waiter.start()
    time.sleep(0.2)  # the waiter has read the command and sleeps
    answered = time.monotonic()
    response = CommandResponse(command.id, "k-1", "result", result={"pong": True})
    tracker.apply_response(ReceivedMessage(kiosk_topic("k-1", KioskChannel.RESPONSE),
                                           response.encode(), 1, False, 1, 1))
    waiter.join(5)
    assert found["state"] == "SUCCEEDED" and found["result"] == {"pong": True}
    assert time.monotonic() - answered < OTHER_CONTROLLERS_RECHECK_S / 2
