"""Shared by the remote-management tests: a keyed network, API calls as an operator, and a
rogue MQTT client that publishes what a kiosk or an attacker could."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from harness import Network, wait_for
from sqlalchemy import create_engine, text

from controller.remote.keys import PRIVATE_KEY_ENV, PUBLIC_KEY_ENV, load_or_create_signing_key
from sync.commands import public_key_b64
from sync.mqtt import BrokerEndpoint, MqttLink

FAST = {
    "STATIONNET__ALARMS__OFFLINE_AFTER_S": "1",
    "STATIONNET__ALARMS__SILENT_AFTER_S": "30",
    "STATIONNET__ALARMS__OUTBOX_AGE_S": "60",
    "STATIONNET__ALARMS__CLOCK_SKEW_S": "5",
    "STATIONNET__ALARMS__HOLD_RAISE_S": "1",
    "STATIONNET__ALARMS__HOLD_CLEAR_S": "1",
    "STATIONNET__ALARMS__EVALUATE_INTERVAL_S": "0.3",
    "STATIONNET__COMMANDS__RESULT_TIMEOUT_S": "5",
    "STATIONNET__COMMANDS__SWEEP_INTERVAL_S": "0.2",
}


def keyed(net: Network, **overrides: str) -> Network:
    """Give ``net`` a signing key (controller) and its public key (kiosks), fast thresholds."""
    key_file = net.root / "keys" / "command-signing.pem"
    key = load_or_create_signing_key(key_file)
    net.env.update({PRIVATE_KEY_ENV: str(key_file), PUBLIC_KEY_ENV: public_key_b64(key),
                    **FAST, **overrides})
    return net


def key_file(net: Network) -> Path:
    """Return the controller's private key file of a keyed network."""
    return Path(net.env[PRIVATE_KEY_ENV])


def api(net: Network, method: str, path: str, body: Any = None, operator: str = "tech-li",
        **params: Any) -> Any:
    """Call the controller's API as ``operator``; return the JSON (asserting success)."""
    response = httpx.request(method, f"{net.api}/api/v1{path}", json=body, params=params,
                             headers={"X-Operator": operator}, timeout=60)
    assert response.status_code < 400, response.text
    return response.json()


def send(net: Network, kiosk: str, name: str, args: dict[str, Any] | None = None,
         wait_s: float = 10, operator: str = "tech-li", **extra: Any) -> dict[str, Any]:
    """Send a command through the API and return it (final if it got there in ``wait_s``)."""
    return api(net, "POST", "/commands", {"kiosk": kiosk, "name": name, "args": args or {},
                                          "wait_s": wait_s, **extra}, operator=operator)


def wait_state(net: Network, command_id: str, states: set[str], timeout: float = 20
               ) -> dict[str, Any]:
    """Wait until a command is in one of ``states``; return it."""
    def current() -> dict[str, Any] | None:
        found = api(net, "GET", f"/commands/{command_id}")
        return found if found["state"] in states else None
    return wait_for(current, timeout, f"command {command_id} in {states}", interval=0.2)


def ctl(net: Network, *args: str) -> subprocess.CompletedProcess[str]:
    """Run stationctl against ``net`` as operator tech-li."""
    return subprocess.run([sys.executable, "-m", "controller.cli", "--api", net.api, *args],
                          capture_output=True, text=True, timeout=120,
                          env={**net.env, "STATIONCTL_OPERATOR": "tech-li"})


def kiosk_rows(net: Network, kiosk_id: str, sql: str) -> list[Any]:
    """Return rows of ``sql`` in a kiosk's database."""
    engine = create_engine(f"sqlite:///{net.kiosk_db(kiosk_id)}")
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)).all())
    finally:
        engine.dispose()


def lock_state(net: Network, kiosk_id: str) -> dict[str, Any]:
    """Return a kiosk's persisted lock state."""
    rows = kiosk_rows(net, kiosk_id,
                      "SELECT value FROM executor_settings WHERE key = 'lock_state'")
    return json.loads(rows[0][0]) if rows else {"locked": False}


def events_of(net: Network, event_type: str) -> list[dict[str, Any]]:
    """Return the bodies of stored events of ``event_type``."""
    return [json.loads(r[0]) for r in net._query(
        net.controller_db(), "SELECT body FROM events WHERE type = :t ORDER BY pk",
        t=event_type)]


class Rogue:
    """An MQTT client on the test broker: publishes forged commands or fake telemetry."""

    def __init__(self, net: Network, name: str = "rogue") -> None:
        self.link = MqttLink(name, BrokerEndpoint("127.0.0.1", net.port), clean_start=True)
        self.link.start()
        assert self.link.wait_connected(10)

    def publish(self, topic: str, payload: bytes, **props: Any) -> None:
        handle = self.link.publish(topic, payload, qos=1, **props)
        wait_for(handle.is_acknowledged, 5, "the broker to take the rogue's message")

    def close(self) -> None:
        self.link.stop()


def until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    """Alias of harness.wait_for with a short poll."""
    return wait_for(predicate, timeout, what, interval=0.2)
