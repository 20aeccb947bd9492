"""``stationctl alarms``, ``alarm``, ``rollout`` and ``audit``."""

from __future__ import annotations

import sys
import time
from typing import Annotated, Any

import typer

from controller.ctl import echo_json, get, show, state
from controller.table import render_table

from .cli_http import OperatorOption, send

__all__ = ["alarms_cli", "alarm_cli", "rollout_cli", "audit_cli", "progress_line"]

alarms_cli = typer.Typer(help="Active alarms (--all: with cleared ones).")
alarm_cli = typer.Typer(no_args_is_help=True, help="One alarm: show, acknowledge.")
rollout_cli = typer.Typer(no_args_is_help=True, help="A command over many kiosks.")
audit_cli = typer.Typer(help="The operators' audit log: who did what, when, with what result.")


@alarms_cli.callback(invoke_without_command=True)
def alarms(include_cleared: Annotated[bool, typer.Option("--all", help="with cleared")] = False,
           kiosk: Annotated[str | None, typer.Option(help="only this kiosk")] = None) -> None:
    """Active alarms, newest first."""
    data = get("/alarms", all=include_cleared, kiosk=kiosk)
    show(data, ["id", "severity", "type", "subject", "raised", "last seen", "cleared", "ack",
                "message"],
         [[a["id"], a["severity"], a["type"], a["subject"], a["raised_at"], a["last_seen"],
           a["cleared_at"], a["acked_by"] or "", a["message"][:70]] for a in data])


@alarm_cli.command("show")
def alarm_show(alarm_id: int) -> None:
    """One alarm with its history."""
    data = get(f"/alarms/{alarm_id}")
    if state["json"]:
        echo_json(data)
        return
    typer.echo(render_table(["alarm", str(alarm_id)], [[k, v] for k, v in data.items()
                                                       if k != "history"]))
    for entry in data["history"]:
        typer.echo(f"  {entry['ts']}  {entry['action']:<12} {entry['actor']:<12} "
                   f"{entry['detail']}")


@alarm_cli.command("ack")
def alarm_ack(alarm_id: int,
              comment: Annotated[str, typer.Option(help="what you did or will do")],
              operator: OperatorOption = None) -> None:
    """Acknowledge an alarm with a comment."""
    data = send("POST", f"/alarms/{alarm_id}/ack", operator, {"comment": comment})
    if state["json"]:
        echo_json(data)
    else:
        typer.echo(f"alarm {alarm_id} acknowledged by {data['acked_by']}")


def progress_line(r: dict[str, Any], width: int = 30) -> str:
    """Return a one-line progress bar of a rollout."""
    total = max(r["total"], 1)
    done = round(width * r["done"] / total)
    sent = round(width * r["dispatched"] / total) - done
    bar = "#" * done + ">" * max(sent, 0)
    return (f"rollout {r['id']} {r['name']} [{bar:<{width}}] {r['done']}/{r['total']} done, "
            f"{r['succeeded']} ok, {r['failed']} failed, {r['not_dispatched']} not sent"
            f" — {r['state']}")


def _follow(rollout_id: int, interval: float = 0.5) -> dict[str, Any]:
    last = ""
    while True:
        data: dict[str, Any] = get(f"/rollouts/{rollout_id}")
        line = progress_line(data)
        if line != last:
            typer.echo(("\r" if sys.stdout.isatty() else "") + line,
                       nl=not sys.stdout.isatty())
            last = line
        if data["state"] != "running":
            typer.echo("" if sys.stdout.isatty() else None, nl=sys.stdout.isatty())
            return data
        time.sleep(interval)


def _summary(data: dict[str, Any]) -> None:
    if state["json"]:
        echo_json(data)
        return
    typer.echo(render_table(["kiosk", "state", "error"],
                            [[c["kiosk"], c["state"], c["error"] or ""]
                             for c in data["commands"]]))
    typer.echo(f"\n{data['state']}: {data['succeeded']} succeeded, {data['failed']} failed, "
               f"{data['not_dispatched']} not sent" +
               (f" — {data['reason']}" if data.get("reason") else ""))


@rollout_cli.command("start")
def rollout_start(
    command: Annotated[str, typer.Argument(help="ping, selftest, reload, lock, …")],
    station: Annotated[str | None, typer.Option(help="every kiosk of this station")] = None,
    district: Annotated[str | None, typer.Option(help="every kiosk of this district")] = None,
    all_kiosks: Annotated[bool, typer.Option("--all", help="every kiosk")] = False,
    kiosks: Annotated[str | None, typer.Option(help="a list: k-1,k-2")] = None,
    rate: Annotated[float, typer.Option(help="commands per second at most")] = 1.0,
    abort_pct: Annotated[float, typer.Option(help="abort when more than this % of the "
                                                  "first N fail")] = 20.0,
    abort_first: Annotated[int, typer.Option(help="N: the canary kiosks")] = 5,
    message: Annotated[str | None, typer.Option(help="lock: message for citizens")] = None,
    level: Annotated[str | None, typer.Option(help="log-level: the level")] = None,
    expiry: Annotated[int | None, typer.Option(help="seconds each command stays valid")] = None,
    follow: Annotated[bool, typer.Option(help="show progress until it ends")] = True,
    operator: OperatorOption = None,
) -> None:
    """Run COMMAND on a set of kiosks at a limited rate, aborting when too many fail."""
    name = {"test-print": "test_print", "log-level": "set_log_level",
            "fetch-log": "fetch_log"}.get(command, command)
    args = {k: v for k, v in (("message", message), ("level", level)) if v}
    body = {"name": name, "args": args, "station": station, "district": district,
            "all": all_kiosks, "kiosks": kiosks.split(",") if kiosks else None,
            "rate_per_s": rate, "abort_pct": abort_pct, "abort_first": abort_first,
            "expiry_s": expiry}
    data = send("POST", "/rollouts", operator, body)
    if not follow:
        _summary(data) if state["json"] else typer.echo(progress_line(data))
        return
    _summary(_follow(data["id"]))


@rollout_cli.command("show")
def rollout_show(rollout_id: int,
                 follow: Annotated[bool, typer.Option(help="until it ends")] = False) -> None:
    """A rollout's progress bar and, once ended, its summary."""
    data = _follow(rollout_id) if follow else get(f"/rollouts/{rollout_id}")
    if not follow and not state["json"]:
        typer.echo(progress_line(data))
    _summary(data)


@rollout_cli.command("list")
def rollout_list() -> None:
    """Recent rollouts."""
    data = get("/rollouts")
    show(data, ["id", "command", "state", "total", "done", "ok", "failed", "by", "created"],
         [[r["id"], r["name"], r["state"], r["total"], r["done"], r["succeeded"], r["failed"],
           r["operator"], r["created_at"]] for r in data])


@rollout_cli.command("cancel")
def rollout_cancel(rollout_id: int, operator: OperatorOption = None) -> None:
    """Stop sending a running rollout's remaining commands."""
    typer.echo(progress_line(send("POST", f"/rollouts/{rollout_id}/cancel", operator)))


@audit_cli.callback(invoke_without_command=True)
def audit(operator: Annotated[str | None, typer.Option(help="only this operator")] = None,
          action: Annotated[str | None, typer.Option(help="actions starting with this")] = None,
          limit: int = 200) -> None:
    """Operator actions, oldest first."""
    data = get("/audit", operator=operator, action=action, limit=limit)
    show(data, ["id", "when", "operator", "action", "target", "result"],
         [[e["id"], e["ts"], e["operator"], e["action"], e["target"], e["result"][:70]]
          for e in data])
