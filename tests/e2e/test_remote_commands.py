"""Signed technician commands end to end: real broker, controller and headless kiosks."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from remote_support import (
    Rogue,
    api,
    ctl,
    events_of,
    key_file,
    keyed,
    kiosk_rows,
    lock_state,
    send,
    until,
    wait_state,
)

from controller.remote.keys import load_or_create_signing_key
from sync.commands import Command, sign_command
from sync.envelope import utc_now
from sync.ids import uuid7
from sync.topics import KioskChannel, kiosk_topic

KIOSK = "k-test-1"


def _states(command: dict) -> list[str]:
    return [h["state"] for h in command["history"]]


def test_every_builtin_command_runs_once_and_reports_its_states(network_factory) -> None:
    net = keyed(network_factory())
    net.controller()
    kiosk = net.kiosk(KIOSK)
    until(lambda: net.kiosk_online(KIOSK), 10, "kiosk online")

    ping = send(net, KIOSK, "ping")
    assert ping["state"] == "SUCCEEDED" and ping["result"]["pong"] is True
    assert _states(api(net, "GET", f"/commands/{ping['id']}")) == [
        "QUEUED", "SENT", "DELIVERED", "SUCCEEDED"]

    assert send(net, KIOSK, "lock", {"message": "设备维护中"})["state"] == "SUCCEEDED"
    assert lock_state(net, KIOSK) == {**lock_state(net, KIOSK), "locked": True,
                                      "message": "设备维护中"}
    assert send(net, KIOSK, "unlock")["state"] == "SUCCEEDED"
    assert lock_state(net, KIOSK)["locked"] is False

    assert send(net, KIOSK, "set_log_level", {"level": "DEBUG"})["result"] == {"level": "DEBUG"}
    log = send(net, KIOSK, "fetch_log", {"lines": 50})
    assert log["state"] == "SUCCEEDED" and any("command" in line for line in log["result"]["lines"])
    reload = send(net, KIOSK, "reload")
    assert reload["state"] == "SUCCEEDED" and "stations/all" in reload["result"]["documents"]

    selftest = send(net, KIOSK, "selftest")
    assert selftest["state"] == "FAILED" and "no devices attached" in selftest["error"]
    assert "headless" in send(net, KIOSK, "screenshot")["error"]

    restart = send(net, KIOSK, "restart")
    assert restart["state"] == "SUCCEEDED"
    until(lambda: kiosk.log.read_text().count("READY kiosk") == 2, 20, "the kiosk re-executed")
    assert kiosk.alive()
    assert send(net, KIOSK, "ping", wait_s=15)["state"] == "SUCCEEDED"
    ran = kiosk_rows(net, KIOSK, "SELECT count(*), count(DISTINCT nonce) FROM received_commands")
    assert ran[0][0] == ran[0][1] == 10


def test_stationctl_cmd_waits_and_sets_exit_status(network_factory) -> None:
    net = keyed(network_factory())
    net.controller()
    net.kiosk(KIOSK)
    until(lambda: net.kiosk_online(KIOSK), 10, "kiosk online")
    ok = ctl(net, "cmd", KIOSK, "ping")
    assert ok.returncode == 0, ok.stderr
    assert "SUCCEEDED" in ok.stdout and "DELIVERED" in ok.stdout
    failed = ctl(net, "cmd", KIOSK, "selftest")
    assert failed.returncode == 6 and "no devices attached" in failed.stdout
    bad = ctl(net, "cmd", KIOSK, "lock", "--message", "")
    assert bad.returncode == 5 and "--message" in bad.stderr
    command_id = json.loads(ctl(net, "--json", "cmd-list", "--kiosk", KIOSK).stdout)[0]["id"]
    status = ctl(net, "cmd-status", command_id)
    assert status.returncode == 0 and "FAILED" in status.stdout


def test_offline_kiosk_gets_a_command_in_time_or_it_expires_and_never_runs(
        network_factory) -> None:
    net = keyed(network_factory())
    net.controller()
    kiosk = net.kiosk(KIOSK)
    until(lambda: net.kiosk_online(KIOSK), 10, "kiosk online")
    kiosk.terminate()  # its persistent session keeps queueing its commands

    late = send(net, KIOSK, "ping", wait_s=0, expiry_s=30)
    doomed = send(net, KIOSK, "lock", {"message": "x"}, wait_s=0, expiry_s=2)
    wait_state(net, doomed["id"], {"SENT"}, 5)
    expired = wait_state(net, doomed["id"], {"EXPIRED"}, 10)
    assert "DELIVERED" not in _states(expired)

    net.kiosk(KIOSK)
    assert wait_state(net, late["id"], {"SUCCEEDED"}, 15)["state"] == "SUCCEEDED"
    seen = {r[0] for r in kiosk_rows(net, KIOSK, "SELECT command_id FROM received_commands")}
    assert late["id"] in seen and doomed["id"] not in seen
    assert lock_state(net, KIOSK)["locked"] is False


def test_delivered_without_result_times_out_and_is_not_run_again(network_factory) -> None:
    net = keyed(network_factory())
    net.controller()
    kiosk = net.kiosk(KIOSK)
    until(lambda: net.kiosk_online(KIOSK), 10, "kiosk online")
    slow = send(net, KIOSK, "reload", wait_s=0)  # takes about a second on the kiosk
    wait_state(net, slow["id"], {"DELIVERED"}, 5)
    kiosk.kill()
    timed_out = wait_state(net, slow["id"], {"TIMED_OUT"}, 15)
    assert "no result within 5 s" in timed_out["error"]
    net.kiosk(KIOSK)
    assert send(net, KIOSK, "ping")["state"] == "SUCCEEDED"
    rows = kiosk_rows(net, KIOSK, "SELECT command_id, finished_at FROM received_commands")
    assert [(cid, done) for cid, done in rows if cid == slow["id"]] == [(slow["id"], None)]


def _signed(key: Ed25519PrivateKey, name: str, args: dict, *, expires_in_s: float) -> bytes:
    now = utc_now()
    return sign_command(key, Command(uuid7(), KIOSK, name, args, now,
                                     now + timedelta(seconds=expires_in_s),
                                     secrets.token_hex(16)))


def test_forged_expired_and_replayed_commands_are_refused_and_not_run(network_factory) -> None:
    net = keyed(network_factory())
    net.controller()
    net.kiosk(KIOSK)
    until(lambda: net.kiosk_online(KIOSK), 10, "kiosk online")
    locked = send(net, KIOSK, "lock", {"message": "维护"})
    assert send(net, KIOSK, "unlock")["state"] == "SUCCEEDED"

    rogue = Rogue(net)
    topic = kiosk_topic(KIOSK, KioskChannel.COMMAND)
    reply = kiosk_topic(KIOSK, KioskChannel.RESPONSE)
    forged = _signed(Ed25519PrivateKey.generate(), "lock", {"message": "forged"},
                     expires_in_s=60)
    expired = _signed(load_or_create_signing_key(key_file(net)), "lock",
                      {"message": "expired"}, expires_in_s=-1)
    replay = net._query(net.controller_db(), "SELECT payload FROM remote_commands WHERE id = :i",
                        i=locked["id"])[0][0].encode()
    for payload in (forged, expired, replay):
        rogue.publish(topic, payload, response_topic=reply, correlation=b"rogue")
    rogue.close()

    refusals = until(lambda: (found := events_of(net, "command.refused")) and
                     len(found) == 3 and found, 15, "three refusals stored")
    assert [r["reason"] for r in refusals] == ["bad_signature", "expired", "replayed"]
    assert lock_state(net, KIOSK)["locked"] is False
    stored = api(net, "GET", f"/commands/{locked['id']}")
    assert stored["state"] == "SUCCEEDED" and "late" in _states(stored)
    ran = [r[0] for r in kiosk_rows(net, KIOSK, "SELECT name FROM received_commands")]
    assert ran == ["lock", "unlock"]
