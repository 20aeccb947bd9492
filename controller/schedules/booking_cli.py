"""``stationctl stations`` and ``stationctl appointments``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from controller.ctl import get, show

__all__ = ["stations_cli", "appointments_cli"]

stations_cli = typer.Typer(invoke_without_command=True,
                           help="Stations: open now, in which mode, when each next opens.")
appointments_cli = typer.Typer(invoke_without_command=True,
                               help="Booked appointments for staffed-only services.")


def _clock(text: str | None) -> str:
    """Return "YYYY-MM-DD HH:MM" of an ISO time, or "-"."""
    return f"{text[:10]} {text[11:16]}" if text else "-"


@stations_cli.callback()
def stations(
    open_only: Annotated[bool, typer.Option("--open", help="only stations open now")] = False,
    near: Annotated[str | None, typer.Option(help="nearest to this station first")] = None,
) -> None:
    """Every station's mode now, when it next changes and next opens."""
    data: list[dict[str, Any]] = get("/stations", open=open_only or None, near=near)
    headers = ["station", "name", "mode now", "closes", "next opening"]
    rows = [[s["id"], s["name"], s["mode"] or "no schedule", _clock(s["closes_at"]),
             _clock(s["next_opening"])] for s in data]
    if near:
        headers.insert(1, "km")
        for row, s in zip(rows, data, strict=True):
            row.insert(1, f"{s['distance_km']:.1f}")
    show(data, headers, rows)


@appointments_cli.callback()
def appointments(
    station: Annotated[str | None, typer.Option(help="only this station")] = None,
    service: Annotated[str | None, typer.Option(help="only this service id")] = None,
    day: Annotated[str | None, typer.Option(help="only this day, YYYY-MM-DD")] = None,
) -> None:
    """Booked appointments by slot time (names masked)."""
    data = get("/appointments", station=station, service=service, day=day)
    show(data, ["reference", "station", "service", "slot", "name", "booked at"],
         [[a["reference"], a["station"], a["service"],
           f"{_clock(a['start'])}-{a['end'][11:16]}", a["name"], a["kiosk"]] for a in data])
