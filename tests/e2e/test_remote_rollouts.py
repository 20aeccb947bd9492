"""Bulk rollouts on a real network: abort at the threshold, resume after a controller
restart, and the operators' audit trail of it all."""

from __future__ import annotations

import json

import httpx
from remote_support import api, ctl, keyed, send, until

KIOSKS = [("k-r1", "hz-xihu-wensan"), ("k-r2", "hz-xihu-wensan"), ("k-r3", "hz-gongshu-daguan"),
          ("k-r4", "hz-gongshu-daguan")]


def test_rollout_aborts_when_the_canary_fails_and_the_audit_log_has_everything(
        network_factory) -> None:
    net = keyed(network_factory(KIOSKS))
    net.controller()
    for kiosk_id in ("k-r1", "k-r2"):
        net.kiosk(kiosk_id)
    until(lambda: net.kiosk_online("k-r2"), 10, "kiosks online")

    # Headless kiosks have no devices: every self-test fails, so the canary of two aborts.
    run = ctl(net, "rollout", "start", "selftest", "--kiosks", "k-r1,k-r2,k-r3,k-r4",
              "--rate", "20", "--abort-pct", "50", "--abort-first", "2")
    assert run.returncode == 0, run.stderr
    assert "[" in run.stdout and "2/4 done" in run.stdout
    assert "aborted: 0 succeeded, 2 failed, 2 not sent" in run.stdout
    rollout = json.loads(ctl(net, "--json", "rollout", "show", "1").stdout)
    assert rollout["state"] == "aborted" and "2 of the first 2 failed" in rollout["reason"]
    assert sorted(c["kiosk"] for c in rollout["commands"]) == ["k-r1", "k-r2"]
    assert not api(net, "GET", "/commands", kiosk="k-r3")

    assert send(net, "k-r1", "ping", operator="tech-wang")["state"] == "SUCCEEDED"
    nobody = httpx.post(f"{net.api}/api/v1/commands", json={"kiosk": "k-r1", "name": "ping"})
    assert nobody.status_code == 400 and "--operator" in nobody.json()["detail"]
    bad = httpx.post(f"{net.api}/api/v1/commands", headers={"X-Operator": "tech-li"},
                     json={"kiosk": "k-r1", "name": "format_disk"})
    assert bad.status_code == 422 and "unknown command" in bad.json()["detail"]

    trail = json.loads(ctl(net, "--json", "audit").stdout)
    assert [(e["operator"], e["action"], e["result"].split(" ")[0]) for e in trail] == [
        ("tech-li", "rollout.selftest", "started"),
        ("tech-wang", "command.ping", "SUCCEEDED"),
        ("tech-li", "command.format_disk", "refused:")]
    assert trail[0]["target"] == "kiosks k-r1,k-r2,k-r3,k-r4"
    assert trail[0]["detail"]["abort_pct"] == 50
    table = ctl(net, "audit", "--operator", "tech-wang")
    assert "command.ping" in table.stdout and "rollout" not in table.stdout


def test_rollout_resumes_after_a_controller_restart_without_sending_twice(
        network_factory) -> None:
    net = keyed(network_factory(KIOSKS[:3]))
    controller = net.controller()
    for kiosk_id, _ in KIOSKS[:3]:
        net.kiosk(kiosk_id)
    until(lambda: all(net.kiosk_online(k) for k, _ in KIOSKS[:3]), 10, "kiosks online")
    started = api(net, "POST", "/rollouts", {"name": "ping", "all": True, "rate_per_s": 0.25,
                                             "abort_pct": 50, "abort_first": 1})
    assert started["total"] == 3
    until(lambda: api(net, "GET", "/rollouts/1")["done"] == 1, 10, "the first ping done")
    controller.kill()
    assert len(net._query(net.controller_db(), "SELECT id FROM remote_commands")) == 1

    net.controller()
    done = until(lambda: (r := api(net, "GET", "/rollouts/1"))["state"] != "running" and r,
                 30, "the rollout to finish")
    assert done["state"] == "completed" and done["succeeded"] == 3
    per_kiosk = net._query(net.controller_db(),
                           "SELECT kiosk_id, count(*) FROM remote_commands GROUP BY kiosk_id")
    assert sorted(per_kiosk) == [("k-r1", 1), ("k-r2", 1), ("k-r3", 1)]
