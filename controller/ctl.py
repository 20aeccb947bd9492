"""What every stationctl command shares: the API address, HTTP calls, tables or JSON."""

from __future__ import annotations

import json
from typing import Any

import httpx
import typer

from .table import render_table

__all__ = ["state", "request", "get", "post", "put", "delete", "show", "echo_json"]

state: dict[str, Any] = {"api": "http://127.0.0.1:8480", "json": False}


def request(method: str, path: str, *, params: dict[str, Any] | None = None,
            body: Any = None, headers: dict[str, str] | None = None,
            timeout: float = 30) -> Any:
    """Call ``/api/v1{path}``; return its JSON (or bytes); exit with the API's reason."""
    url = f"{state['api']}/api/v1{path}"
    clean = {k: v for k, v in (params or {}).items() if v is not None}
    try:
        response = httpx.request(method, url, params=clean, json=body, headers=headers,
                                 timeout=timeout)
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
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()
    return response.content


def get(path: str, **params: Any) -> Any:
    """GET ``/api/v1{path}``; exits with a message the operator can act on when it fails."""
    return request("GET", path, params=params)


def post(path: str, body: Any = None, **params: Any) -> Any:
    """POST JSON to ``/api/v1{path}``."""
    return request("POST", path, params=params, body=body)


def put(path: str, body: Any = None, **params: Any) -> Any:
    """PUT JSON to ``/api/v1{path}``."""
    return request("PUT", path, params=params, body=body)


def delete(path: str, **params: Any) -> Any:
    """DELETE ``/api/v1{path}``."""
    return request("DELETE", path, params=params)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON (Chinese left readable)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def show(data: Any, headers: list[str], rows: list[list[Any]]) -> None:
    """Print ``rows`` as a table, or ``data`` as JSON under --json."""
    if state["json"]:
        echo_json(data)
    else:
        typer.echo(render_table(headers, rows))
