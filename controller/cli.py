"""``stationctl``: operators' commands over the controller's HTTP API.

Tables by default, ``--json`` for scripts. The API address comes from ``--api`` or
$STATIONCTL_API (default http://127.0.0.1:8480).
"""

from __future__ import annotations

from typing import Annotated

import typer

from .ctl import echo_json, get, show, state
from .features import discover
from .table import render_table

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
@app.callback()
def _options(
    api: Annotated[str, typer.Option(envvar="STATIONCTL_API", help="controller API base URL")]
    = "http://127.0.0.1:8480",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")]
    = False,
) -> None:
    state.update(api=api.rstrip("/"), json=as_json)


def _devices(states: dict[str, str]) -> str:
    return " ".join(f"{name}:{state}" for name, state in sorted(states.items())) or "-"


@app.command()
def fleet() -> None:
    """Every kiosk by station: online, last seen, outbox depth, devices."""
    data = get("/fleet")
    rows = []
    for station in data["stations"]:
        for k in station["kiosks"]:
            rows.append([station["id"], k["id"], "online" if k["online"] else "OFFLINE",
                         k["last_seen"], k["events"], k["outbox_depth"], k["open_gaps"],
                         _devices(k["devices"])])
    for k in data["unassigned"]:
        rows.append(["(unknown)", k["id"], "online" if k["online"] else "OFFLINE",
                     k["last_seen"], k["events"], k["outbox_depth"], k["open_gaps"],
                     _devices(k["devices"])])
    show(data, ["station", "kiosk", "presence", "last seen", "events", "outbox", "gaps",
                 "devices"], rows)
    if not state["json"]:
        typer.echo(f"\n{data['kiosks_online']} of {data['kiosks_total']} kiosks online")


@app.command()
def kiosk(kiosk_id: str) -> None:
    """One kiosk in detail."""
    k = get(f"/kiosks/{kiosk_id}")
    if state["json"]:
        echo_json(k)
        return
    telemetry = k.get("telemetry") or {}
    rows = [["station", k["station"]], ["presence", "online" if k["online"] else "OFFLINE"],
            ["last seen", k["last_seen"]], ["software", k["software"]],
            ["events stored", k["events"]], ["highest seq", k["max_seq"]],
            ["open gaps", k["open_gaps"]], ["outbox depth", telemetry.get("outbox_depth")],
            ["oldest pending s", telemetry.get("outbox_oldest_age_s")],
            ["clock offset ms", telemetry.get("clock_offset_ms")],
            ["uptime s", telemetry.get("uptime_s")],
            ["documents", ", ".join(f"{d} v{v}" for d, v in k["documents"].items()) or "-"]]
    rows += [[f"device {d['name']}", f"{d['state']} {d.get('reason', '')}".strip()]
             for d in k["devices"]]
    typer.echo(render_table(["kiosk", kiosk_id], rows))


@app.command()
def events(
    kiosk_id: Annotated[str | None, typer.Option("--kiosk", help="only this kiosk")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="only this type")] = None,
    after: Annotated[int, typer.Option(help="cursor: events after this pk")] = 0,
    limit: Annotated[int, typer.Option(help="at most this many")] = 50,
) -> None:
    """Stored events in arrival order."""
    data = get("/events", kiosk=kiosk_id, type=event_type, after=after, limit=limit)
    show(data, ["pk", "kiosk", "seq", "type", "kiosk time", "stored"],
          [[e["pk"], e["kiosk"], e["seq"], e["type"], e["ts"], e["received_at"]] for e in data])


@app.command()
def quarantine(limit: int = 50) -> None:
    """Messages the controller refused, with the reason."""
    data = get("/quarantine", limit=limit)
    show(data, ["id", "received", "times", "kiosk", "reason", "bytes", "detail"],
          [[q["id"], q["received_at"], q["repeats"], q["kiosk"], q["reason"], q["size"],
            q["detail"][:70]] for q in data])


@app.command()
def gaps(open_only: Annotated[bool, typer.Option("--open", help="only open gaps")] = False) -> None:
    """Runs of sequence numbers missing from a kiosk."""
    data = get("/gaps", open=open_only)
    show(data, ["kiosk", "first missing", "last missing", "detected", "closed"],
          [[g["kiosk"], g["first_missing"], g["last_missing"], g["detected_at"], g["closed_at"]]
           for g in data])


@app.command()
def health() -> None:
    """The controller's own state: broker connection, ingest counters, documents."""
    data = get("/health")
    if state["json"]:
        echo_json(data)
        return
    rows = [["broker connected", data["broker_connected"]], ["software", data["software"]]]
    rows += [[f"ingest {k}", v] for k, v in data["ingest"].items()]
    rows += [[f"document {k}", f"v{v}"] for k, v in data["documents"].items()]
    typer.echo(render_table(["controller", ""], rows))


for _feature in discover():
    if hasattr(_feature, "cli"):
        app.add_typer(_feature.cli, name=_feature.CLI_NAME)
    for _name, _group in getattr(_feature, "CLI_GROUPS", {}).items():
        app.add_typer(_group, name=_name)  # a feature may add several top-level groups


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
