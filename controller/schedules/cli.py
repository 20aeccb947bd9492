"""``stationctl schedule …`` and ``stationctl calendar …``: schedules over the HTTP API."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from controller.ctl import echo_json, get, post, put, show, state
from controller.table import render_table

__all__ = ["schedule_cli", "calendar_cli"]

schedule_cli = typer.Typer(no_args_is_help=True, help="Station opening schedules.")
calendar_cli = typer.Typer(no_args_is_help=True, help="The mainland holiday calendar.")

FileOption = Annotated[Path | None, typer.Option("--file", "-f", help="schedule TOML file",
                                                 exists=True, dir_okay=False)]
StaffedOption = Annotated[str | None, typer.Option(
    "--staffed", help='opening_hours for staffed hours, e.g. "Mo-Fr 17:30-21:00; PH off"')]
SelfOption = Annotated[str | None, typer.Option(
    "--self-service", help='opening_hours for kiosk-only hours, e.g. "07:00-22:30"')]
EffectiveOption = Annotated[str | None, typer.Option(
    "--effective-from", help="YYYY-MM-DD (default: the file's, or the current version's)")]
NoteOption = Annotated[str, typer.Option(help="why this change (kept in the history)")]


def _body(file: Path | None, staffed: str | None, self_service: str | None,
          effective_from: str | None, note: str) -> dict[str, Any]:
    hours = {k: v for k, v in (("staffed", staffed), ("self_service", self_service)) if v}
    if (file is None) == (not hours):
        typer.echo("stationctl: give either --file or --staffed/--self-service", err=True)
        raise typer.Exit(2)
    if effective_from is not None:
        try:
            date.fromisoformat(effective_from)
        except ValueError:
            typer.echo(f"stationctl: --effective-from {effective_from!r} is not YYYY-MM-DD",
                       err=True)
            raise typer.Exit(2) from None
    return {"toml": file.read_text(encoding="utf-8") if file else None,
            "opening_hours": hours or None, "effective_from": effective_from,
            "author": getpass.getuser(), "note": note,
            "source": str(file) if file else "<opening_hours>"}


def _echo_results(results: list[dict[str, Any]]) -> None:
    show(results, ["station", "version", "new", "published"],
         [[r["station"], r["version"], r["created"], r["published_version"]]
          for r in results])


@schedule_cli.command("show")
def show_schedule(station: str, version: Annotated[int | None, typer.Option()] = None) -> None:
    """Weekly hours per mode, specials, closures and the mode now."""
    data = get(f"/schedules/{station}", version=version)
    if state["json"]:
        echo_json(data)
        return
    typer.echo(f"{station}  version {data['version']} by {data['author']} at "
               f"{data['created_at']}  effective from {data['effective_from']} "
               f"({data['timezone']})")
    change = data["next_change"]
    typer.echo(f"now: {data['mode_now']}" + (f"; {change['mode']} from {change['at']}"
                                             if change else ""))
    rows = [[day, hours["staffed"], hours["self_service"]]
            for day, hours in data["weekly"].items()]
    typer.echo(render_table(["day", "staffed", "self-service"], rows))
    if data["special"]:
        typer.echo("\n" + render_table(["from", "to", "staffed", "self-service", "note"], [
            [s["start"], s["end"], s["staffed"], s["self_service"], s["note"]]
            for s in data["special"]]))
    if data["closures"]:
        typer.echo("\n" + render_table(["closed from", "until", "modes", "reason"], [
            [c["start"], c["end"], ",".join(c["modes"]), c["reason"]]
            for c in data["closures"]]))


@schedule_cli.command("set")
def set_schedule(station: str, file: FileOption = None, staffed: StaffedOption = None,
                 self_service: SelfOption = None, effective_from: EffectiveOption = None,
                 note: NoteOption = "") -> None:
    """Store and publish a new version from a TOML file or opening_hours strings."""
    _echo_results([put(f"/schedules/{station}",
                       _body(file, staffed, self_service, effective_from, note))])


@schedule_cli.command("apply")
def apply_schedule(
    file: FileOption = None, staffed: StaffedOption = None, self_service: SelfOption = None,
    effective_from: EffectiveOption = None, note: NoteOption = "",
    stations: Annotated[str | None, typer.Option(help="comma-separated station ids")] = None,
    district: Annotated[str | None, typer.Option(help="every station of a district")] = None,
    all_stations: Annotated[bool, typer.Option("--all", help="every station")] = False,
) -> None:
    """Apply one file or opening_hours string to many stations (all validated first)."""
    body = _body(file, staffed, self_service, effective_from, note)
    body.update(stations=[s.strip() for s in stations.split(",") if s.strip()]
                if stations else None, district=district, all=all_stations)
    _echo_results(post("/schedules/apply", body))


@schedule_cli.command("diff")
def diff_schedule(station: str,
                  from_version: Annotated[int | None, typer.Option("--from")] = None,
                  to_version: Annotated[int | None, typer.Option("--to")] = None) -> None:
    """What changed between two versions (default: the newest and the one before)."""
    data = get(f"/schedules/{station}/diff", from_version=from_version, to_version=to_version)
    if state["json"]:
        echo_json(data)
        return
    typer.echo("\n".join(data["diff"]) or f"versions {data['from']} and {data['to']} are "
               "the same")


@schedule_cli.command("history")
def history(station: str) -> None:
    """Every version of a station's schedule, newest first."""
    data = get(f"/schedules/{station}/history")
    show(data, ["version", "created", "author", "origin", "effective from", "note"],
         [[h["version"], h["created_at"], h["author"], h["origin"], h["effective_from"],
           h["note"]] for h in data])


@schedule_cli.command("outdated")
def outdated() -> None:
    """Kiosks still running an older schedule than the newest published one."""
    data = get("/schedules/outdated")
    show(data, ["kiosk", "station", "online", "holds", "newest", "last seen"],
         [[k["kiosk"], k["station"], k["online"], k["held_version"], k["newest_version"],
           k["last_seen"]] for k in data])


@schedule_cli.command("status")
def status() -> None:
    """Stations without a schedule, missing calendar years, outdated kiosks."""
    data = get("/schedules/status")
    if state["json"]:
        echo_json(data)
        return
    typer.echo(render_table(["schedules", ""], [
        ["status", data["status"]],
        ["stations without schedule", ", ".join(data["stations_without_schedule"]) or "-"],
        ["calendar missing years", ", ".join(map(str, data["calendar_missing_years"])) or "-"],
        ["outdated kiosks", data["outdated_kiosks"]]]))


@calendar_cli.command("status")
def calendar_status() -> None:
    """Covered years with their sources, missing years, fingerprint."""
    data = get("/calendar")
    if state["json"]:
        echo_json(data)
        return
    typer.echo(render_table(["year", "source", "origin", "loaded by"], [
        [c["year"], c["source"], c["origin"], c["loaded_by"]] for c in data["covered"]]))
    missing = ", ".join(map(str, data["missing"]))
    typer.echo(f"\nmissing years schedules reach within 400 days: {missing or 'none'}")
    if data["ignored_placeholders"]:
        typer.echo("placeholder files ignored: "
                   + ", ".join(map(str, data["ignored_placeholders"])))
    typer.echo(f"fingerprint: {data['fingerprint']}  document version: "
               f"{data['document_version']}")
    if data["missing"]:
        typer.echo("load the State Council notice with `stationctl calendar load FILE`")


@calendar_cli.command("load")
def calendar_load(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Load an administrator's year file; it wins over the package from now on."""
    data = post("/calendar/years", {"toml": file.read_text(encoding="utf-8"),
                                    "source": file.name, "author": getpass.getuser()})
    if state["json"]:
        echo_json(data)
        return
    missing = ", ".join(map(str, data["missing"])) or "none"
    typer.echo(f"loaded {data['year']}; missing years now: {missing}")
