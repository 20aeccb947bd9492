"""What remote-management stationctl commands share: the operator and audited calls."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer

from controller.ctl import request

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
    # Long timeout: a command may be asked to wait for its result (``wait_s``).
    return request(method, path, body=body, headers={"X-Operator": operator_name(operator)},
                   timeout=660)
