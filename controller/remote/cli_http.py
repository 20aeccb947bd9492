"""What remote-management stationctl commands share: the operator and audited calls."""

from __future__ import annotations

import getpass
import json
from typing import Annotated, Any

import httpx
import typer

from controller.ctl import state

__all__ = ["OperatorOption", "send", "operator_name"]

OperatorOption = Annotated[str | None, typer.Option(
    "--operator", envvar="STATIONCTL_OPERATOR",
    help="who you are, for the audit log (default: $USER)")]


def operator_name(given: str | None) -> str:
    """Return the operator for the audit log: ``--operator``, else the login name."""
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        typer.echo("stationctl: cannot tell who you are; pass --operator NAME", err=True)
        raise typer.Exit(2) from None


def send(method: str, path: str, operator: str | None, body: Any = None) -> Any:
    """Call ``/api/v1{path}`` as ``operator`` (X-Operator); exit with the API's reason."""
    url = f"{state['api']}/api/v1{path}"
    headers = {"X-Operator": operator_name(operator)}
    try:
        response = httpx.request(method, url, json=body, headers=headers, timeout=660)
    except httpx.HTTPError as exc:
        typer.echo(f"stationctl: cannot reach the controller at {state['api']} ({exc}); is "
                   "`stationnet controller` running? Set --api or STATIONCTL_API.", err=True)
        raise typer.Exit(3) from None
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        if not isinstance(detail, str):
            detail = json.dumps(detail, ensure_ascii=False)
        typer.echo(f"stationctl: {detail[:2000]}", err=True)
        raise typer.Exit(4 if response.status_code == 404 else 5)
    return response.json()
