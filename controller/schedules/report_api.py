"""``GET /api/v1/reports/hours`` (JSON, CSV or PNG) and ``stationctl report hours``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from fastapi import APIRouter, HTTPException, Query, Response

from controller.ctl import get, show

from .reports import ReportError, hours_csv, hours_report
from .service import Schedules

__all__ = ["report_router", "report_cli"]

report_cli = typer.Typer(no_args_is_help=True, help="Reports on the station network.")


def report_router(schedules: Schedules) -> APIRouter:
    """Return the report routes."""
    router = APIRouter(prefix="/api/v1")

    @router.get("/reports/hours", response_model=None)
    def hours(first: Annotated[date, Query(alias="from")], last: Annotated[date, Query(alias="to")],
              station: str | None = None,
              format: Literal["json", "csv", "png"] = "json") -> Response | dict[str, Any]:
        try:
            rows = hours_report(schedules, first, last, station)
        except ReportError as exc:
            raise HTTPException(422, str(exc)) from None
        if format == "csv":
            return Response(hours_csv(rows), media_type="text/csv; charset=utf-8")
        if format == "png":
            from .chart import hours_chart  # Pillow only when a chart is asked for

            return Response(hours_chart(rows, first, last), media_type="image/png")
        return {"from": first.isoformat(), "to": last.isoformat(),
                "rows": [r.as_dict() for r in rows]}

    return router


@report_cli.command("hours")
def hours_command(
    first: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    last: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD (inclusive)")],
    station: Annotated[str | None, typer.Option(help="only this station")] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="also write CSV here")] = None,
    png_file: Annotated[Path | None, typer.Option("--png", help="also draw a chart here")]
    = None,
) -> None:
    """Average open hours a day per mode, evening and weekend shares (the 3.9 → 5.38 h
    figure), per station and for the network."""
    params = {"from": first, "to": last, "station": station}
    data = get("/reports/hours", **params)
    show(data, ["station", "days", "staffed h/d", "self h/d", "open h/d", "evening",
                "weekend", "version"],
         [[r["station"], r["days"], f"{r['staffed_h']:.2f}", f"{r['self_service_h']:.2f}",
           f"{r['open_h']:.2f}", f"{r['evening_share']:.0%}", f"{r['weekend_share']:.0%}",
           r["schedule_version"]] for r in data["rows"]])
    if csv_file is not None:
        csv_file.write_bytes(get("/reports/hours", format="csv", **params))
        typer.echo(f"wrote {csv_file}", err=True)
    if png_file is not None:
        png_file.write_bytes(get("/reports/hours", format="png", **params))
        typer.echo(f"wrote {png_file}", err=True)
