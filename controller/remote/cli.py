"""``stationctl cmd``, ``cmd-status``, ``cmd-list`` and ``signing-key``: technician commands.

``stationctl cmd KIOSK ping`` sends a signed command and waits (``--wait``, default 15 s)
for its final state; exit status 0 when it SUCCEEDED, 6 when it FAILED, TIMED_OUT or
EXPIRED, 7 when still on its way after the wait.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from controller.ctl import echo_json, get, show, state
from controller.table import render_table

from .cli_http import OperatorOption, send

__all__ = ["cmd_cli", "cmd_status_cli", "cmd_list_cli", "signing_key_cli"]

cmd_cli = typer.Typer(no_args_is_help=True, help="Send a signed command to one kiosk: "
                      "stationctl cmd KIOSK ping|selftest|test-print|lock|unlock|restart|"
                      "reprint|log-level|fetch-log|screenshot|reload")
cmd_status_cli = typer.Typer(help="One command's state, result and history.")
cmd_list_cli = typer.Typer(help="Recent commands, newest first.")
signing_key_cli = typer.Typer(help="The controller's public key for kiosks' configuration.")

WaitOption = Annotated[float, typer.Option("--wait", help="seconds to wait for the final "
                                           "state (0: return once queued)")]
ExpiryOption = Annotated[int | None, typer.Option(
    "--expiry", help="seconds the command stays valid (default from config)")]

_FAILED = {"FAILED", "TIMED_OUT", "EXPIRED"}


@cmd_cli.callback()
def _kiosk(ctx: typer.Context, kiosk: Annotated[str, typer.Argument(help="kiosk id")]) -> None:
    ctx.obj = {"kiosk": kiosk}


def describe(command: dict[str, Any]) -> None:
    """Print a command's state, result and history (or JSON under --json)."""
    if state["json"]:
        echo_json(command)
        return
    rows = [["command", f"{command['name']} {command['id']}"], ["kiosk", command["kiosk"]],
            ["state", command["state"]], ["by", command["operator"]],
            ["created", command["created_at"]], ["expires", command["expires_at"]],
            ["delivered", command["delivered_at"]], ["finished", command["finished_at"]]]
    if command.get("error"):
        rows.append(["error", command["error"]])
    result = command.get("result") or {}
    lines = result.pop("lines", None) if isinstance(result, dict) else None
    rows += [[f"result {k}", v] for k, v in result.items()]
    typer.echo(render_table(["", ""], rows))
    for entry in command.get("history", []):
        typer.echo(f"  {entry['ts']}  {entry['state']:<10} {entry['detail']}")
    for line in lines or []:
        typer.echo(line)


def _send(ctx: typer.Context, name: str, args: dict[str, Any], wait: float,
          expiry: int | None, operator: str | None) -> None:
    body = {"kiosk": ctx.obj["kiosk"], "name": name, "args": args, "wait_s": wait,
            "expiry_s": expiry}
    command = send("POST", "/commands", operator, body)
    if wait:
        command = get(f"/commands/{command['id']}")
    describe(command)
    if command["state"] in _FAILED:
        raise typer.Exit(6)
    if wait and command["state"] != "SUCCEEDED":
        raise typer.Exit(7)


def _simple(name: str, cli_name: str, doc: str) -> None:
    def command(ctx: typer.Context, wait: WaitOption = 15.0, expiry: ExpiryOption = None,
                operator: OperatorOption = None) -> None:
        _send(ctx, name, {}, wait, expiry, operator)

    command.__doc__ = doc
    cmd_cli.command(cli_name)(command)


for _name, _cli, _doc in (
        ("ping", "ping", "Is the kiosk there? Its software and uptime."),
        ("selftest", "selftest", "Check every device now; each device's status."),
        ("test_print", "test-print", "Print a test receipt."),
        ("unlock", "unlock", "Put the kiosk back in service."),
        ("restart", "restart", "Restart the kiosk application."),
        ("reprint", "reprint", "Reprint the last receipt of the current station day."),
        ("screenshot", "screenshot", "A screenshot (refused while a citizen is served)."),
        ("reload", "reload", "Fetch the catalogue, schedule and other documents again.")):
    _simple(_name, _cli, _doc)


@cmd_cli.command("lock")
def lock(ctx: typer.Context,
         message: Annotated[str, typer.Option(help="shown to citizens, e.g. 暂停服务")],
         wait: WaitOption = 15.0, expiry: ExpiryOption = None,
         operator: OperatorOption = None) -> None:
    """Put the kiosk out of service with a message."""
    _send(ctx, "lock", {"message": message}, wait, expiry, operator)


@cmd_cli.command("log-level")
def log_level(ctx: typer.Context, level: Annotated[str, typer.Argument(
        help="DEBUG, INFO, WARNING or ERROR")], wait: WaitOption = 15.0,
        expiry: ExpiryOption = None, operator: OperatorOption = None) -> None:
    """Set the kiosk's log level (kept across restarts)."""
    _send(ctx, "set_log_level", {"level": level.upper()}, wait, expiry, operator)


@cmd_cli.command("fetch-log")
def fetch_log(ctx: typer.Context, lines: Annotated[int, typer.Option(help="how many")] = 200,
              wait: WaitOption = 30.0, expiry: ExpiryOption = None,
              operator: OperatorOption = None) -> None:
    """The kiosk's recent log lines (personal data masked)."""
    _send(ctx, "fetch_log", {"lines": lines}, wait, expiry, operator)


@cmd_status_cli.callback(invoke_without_command=True)
def cmd_status(command_id: Annotated[str, typer.Argument(help="command id")]) -> None:
    """One command's state, result and history."""
    describe(get(f"/commands/{command_id}"))


@cmd_list_cli.callback(invoke_without_command=True)
def cmd_list(kiosk: Annotated[str | None, typer.Option(help="only this kiosk")] = None,
             command_state: Annotated[str | None, typer.Option("--state")] = None,
             limit: int = 50) -> None:
    """Recent commands, newest first."""
    data = get("/commands", kiosk=kiosk, state=command_state, limit=limit)
    show(data, ["id", "kiosk", "command", "state", "by", "created", "error"],
         [[c["id"], c["kiosk"], c["name"], c["state"], c["operator"], c["created_at"],
           (c["error"] or "")[:60]] for c in data])


@signing_key_cli.callback(invoke_without_command=True)
def signing_key() -> None:
    """Print the value kiosks need as [security] controller_public_key."""
    data = get("/commands/public-key")
    if state["json"]:
        echo_json(data)
    else:
        typer.echo(data["controller_public_key"])
