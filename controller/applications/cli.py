"""``stationctl app list|show|accept|progress|ready|done|reject`` and
``stationctl report services``, over the HTTP API."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer

from controller.ctl import echo_json, get, post, show, state
from controller.table import render_table

__all__ = ["app_cli", "add_report_command"]

app_cli = typer.Typer(no_args_is_help=True, help="Applications and their progress.")

Tracking = Annotated[str, typer.Argument(help="tracking number, e.g. T261125-K-WENSAN-1-000001")]
Note = Annotated[str, typer.Option("--note", help="a note kept in the history")]


@app_cli.command("list")
def list_command(
    status: Annotated[str | None, typer.Option(help="only this status")] = None,
    station: Annotated[str | None, typer.Option(help="only this station")] = None,
    service: Annotated[str | None, typer.Option(help="only this service")] = None,
    limit: Annotated[int, typer.Option(help="at most this many")] = 50,
) -> None:
    """The newest applications."""
    data = get("/applications", status=status, station=station, service=service, limit=limit)
    rows = [[a["tracking_no"], a["service"], a["station"], a["status"], a["submitted_at"],
             a["mode"], a["delivery"], a["applicant"]] for a in data["applications"]]
    show(data, ["tracking no", "service", "station", "status", "submitted", "mode",
                "delivery", "applicant"], rows)


@app_cli.command("show")
def show_command(tracking_no: Tracking) -> None:
    """One application with its history."""
    data = get(f"/applications/{tracking_no}")
    if state["json"]:
        echo_json(data)
        return
    keys = ["service", "station", "kiosk", "status", "status_at", "submitted_at", "mode",
            "delivery", "applicant", "reason", "visits", "id_number_held"]
    typer.echo(render_table(["application", tracking_no], [[k, data[k]] for k in keys]))
    typer.echo(render_table(["at", "status", "actor", "note"],
                            [[h["at"], h["status"], h["actor"], h["note"]]
                             for h in data["history"]]))


def _move(tracking_no: str, status: str, **extra: Any) -> None:
    data = post(f"/applications/{tracking_no}/status",
                {"status": status, "actor": getpass.getuser(), **extra})
    if state["json"]:
        echo_json(data)
    else:
        typer.echo(f"{data['tracking_no']}: {data['status']}")


@app_cli.command("accept")
def accept(tracking_no: Tracking, note: Note = "") -> None:
    """Accept a submitted application."""
    _move(tracking_no, "accepted", reason=note)


@app_cli.command("progress")
def in_progress(tracking_no: Tracking, note: Note = "") -> None:
    """Mark an accepted application as in progress."""
    _move(tracking_no, "in_progress", reason=note)


@app_cli.command("ready")
def ready(tracking_no: Tracking,
          mailed: Annotated[bool, typer.Option(help="the result was mailed")] = False) -> None:
    """The result is ready to pick up (or, with --mailed, has been mailed)."""
    _move(tracking_no, "ready", mailed=mailed)


@app_cli.command("done")
def done(tracking_no: Tracking,
         visited: Annotated[bool, typer.Option(help="the citizen came in person to collect "
                                                    "(counts as another visit)")] = False
         ) -> None:
    """Close a ready application."""
    _move(tracking_no, "done", visited=visited)


@app_cli.command("reject")
def reject(tracking_no: Tracking,
           reason: Annotated[str, typer.Option(help="why, in words the citizen can act on")]
           ) -> None:
    """Reject an application with a reason the kiosk will show."""
    _move(tracking_no, "rejected", reason=reason)


def services_command(
    first: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    last: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD (inclusive)")],
    station: Annotated[str | None, typer.Option(help="only this station")] = None,
    csv_output: Annotated[bool, typer.Option("--csv", help="print CSV instead of tables")]
    = False,
) -> None:
    """Applications per service, station and day; one-visit and after-hours shares."""
    if csv_output:
        data = get("/reports/services", **{"from": first, "to": last, "station": station,
                                           "format": "csv"})
        typer.echo(data.decode("utf-8") if isinstance(data, bytes) else data, nl=False)
        return
    data = get("/reports/services", **{"from": first, "to": last, "station": station})
    if state["json"]:
        echo_json(data)
        return
    typer.echo(render_table(["day", "station", "service", "applications"],
                            [[r["day"], r["station"], r["service"], r["applications"]]
                             for r in data["daily"]]))
    typer.echo(render_table(
        ["service", "applications", "completed", "≤1 visit", "after hours"],
        [[s["service"], s["applications"], s["completed"], _percent(s["one_visit_share"]),
          _percent(s["after_hours_share"])] for s in data["services"]]))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def add_report_command(report_cli: typer.Typer) -> None:
    """Add ``services`` to the ``stationctl report`` group."""
    report_cli.command("services")(services_command)
