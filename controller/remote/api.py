"""HTTP API of remote management: commands, alarms, rollouts and the audit log.

Every request that changes something names its operator in the ``X-Operator`` header
(stationctl fills it from ``--operator`` or $USER) and is appended to the audit log,
whether it succeeded or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query
from pydantic import BaseModel, Field

from .alarms import AlarmNotFound
from .commands import CommandNotFound, InvalidCommand
from .rollouts import RolloutNotFound, select_kiosks
from .service import RemoteManagement

__all__ = ["remote_router"]

_OPERATOR = re.compile(r"^[\w.@-]{1,100}$")


def operator_of(x_operator: str) -> str:
    """Return the operator named in ``X-Operator``; 400 tells how to name oneself."""
    if not x_operator or not _OPERATOR.match(x_operator):
        raise HTTPException(400, "say who you are: stationctl --operator NAME (default $USER) "
                                 "or the X-Operator header (letters, digits, . _ @ -)")
    return x_operator


Operator = Annotated[str, Header(alias="X-Operator")]


class CommandRequest(BaseModel):
    """A command to send to one kiosk."""

    kiosk: str
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    expiry_s: int | None = Field(None, ge=1, le=7 * 24 * 3600)
    result_timeout_s: float | None = Field(None, gt=0, le=3600)
    wait_s: float = Field(0, ge=0, le=600)


class AckRequest(BaseModel):
    """An operator's acknowledgement of an alarm."""

    comment: str = Field(min_length=1, max_length=2000)


class RolloutRequest(BaseModel):
    """A command over a set of kiosks."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    station: str | None = None
    district: str | None = None
    all: bool = False
    kiosks: list[str] | None = None
    rate_per_s: float = Field(1.0, gt=0, le=1000)
    abort_pct: float = Field(20.0, ge=0, le=100)
    abort_first: int = Field(5, ge=0)
    expiry_s: int | None = Field(None, ge=1, le=7 * 24 * 3600)


def _run(remote: RemoteManagement, operator: str, action: str, target: str,
         detail: dict[str, Any], work: Callable[[], dict[str, Any]],
         outcome: Callable[[dict[str, Any]], str] = lambda _r: "ok") -> dict[str, Any]:
    """Do ``work`` and audit it either way; map domain errors to HTTP errors."""
    try:
        result = work()
    except (InvalidCommand, ValueError) as exc:
        remote.audit.record(operator, action, target, f"refused: {exc}", detail)
        raise HTTPException(422, str(exc)) from None
    except (CommandNotFound, AlarmNotFound, RolloutNotFound) as exc:
        remote.audit.record(operator, action, target, f"not found: {exc}", detail)
        raise HTTPException(404, str(exc)) from None
    remote.audit.record(operator, action, target, outcome(result), detail)
    return result


def _lookup(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return work()
    except (CommandNotFound, AlarmNotFound, RolloutNotFound) as exc:
        raise HTTPException(404, str(exc)) from None


def remote_router(remote: RemoteManagement) -> APIRouter:
    """Return the routes under /api/v1 for commands, alarms, rollouts and audit."""
    router = APIRouter(prefix="/api/v1")
    _command_routes(router, remote)
    _alarm_routes(router, remote)
    _rollout_routes(router, remote)

    @router.get("/audit")
    def audit(operator: str | None = None, action: str | None = None, after: int = 0,
              limit: Annotated[int, Query(ge=1, le=5000)] = 200) -> list[dict[str, Any]]:
        return remote.audit.entries(operator=operator, action=action, after=after, limit=limit)

    return router


def _command_routes(router: APIRouter, remote: RemoteManagement) -> None:
    tracker = remote.commands

    @router.get("/commands/public-key")
    def public_key() -> dict[str, str]:
        return {"controller_public_key": remote.public_key}

    @router.get("/commands")
    def commands(kiosk: str | None = None, state: str | None = None,
                 rollout: int | None = None,
                 limit: Annotated[int, Query(ge=1, le=5000)] = 100) -> list[dict[str, Any]]:
        return tracker.find(kiosk=kiosk, state=state, rollout=rollout, limit=limit)

    @router.get("/commands/{command_id}")
    def command(command_id: str) -> dict[str, Any]:
        return _lookup(lambda: tracker.get(command_id))

    @router.post("/commands", status_code=201)
    def send(request: CommandRequest, x_operator: Operator = "") -> dict[str, Any]:
        operator = operator_of(x_operator)

        def work() -> dict[str, Any]:
            sent = tracker.issue(request.kiosk, request.name, request.args, operator=operator,
                                 expiry_s=request.expiry_s,
                                 result_timeout_s=request.result_timeout_s)
            return tracker.wait(sent["id"], request.wait_s) if request.wait_s else sent

        return _run(remote, operator, f"command.{request.name}", request.kiosk,
                    {"args": request.args}, work, lambda r: f"{r['state']} {r['id']}")


def _alarm_routes(router: APIRouter, remote: RemoteManagement) -> None:
    alarms = remote.alarms

    @router.get("/alarms")
    def alarm_list(all: bool = False, kiosk: str | None = None) -> list[dict[str, Any]]:
        return alarms.find(include_cleared=all, kiosk=kiosk)

    @router.get("/alarms/{alarm_id}")
    def alarm(alarm_id: int) -> dict[str, Any]:
        return _lookup(lambda: alarms.get(alarm_id))

    @router.post("/alarms/{alarm_id}/ack")
    def ack(alarm_id: int, request: AckRequest, x_operator: Operator = "") -> dict[str, Any]:
        operator = operator_of(x_operator)
        return _run(remote, operator, "alarm.ack", f"alarm {alarm_id}",
                    {"comment": request.comment},
                    lambda: alarms.acknowledge(alarm_id, operator, request.comment))


def _rollout_routes(router: APIRouter, remote: RemoteManagement) -> None:
    rollouts = remote.rollouts

    @router.get("/rollouts")
    def rollout_list(limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
        return rollouts.find(limit)

    @router.get("/rollouts/{rollout_id}")
    def rollout(rollout_id: int) -> dict[str, Any]:
        return _lookup(lambda: rollouts.get(rollout_id))

    @router.post("/rollouts", status_code=201)
    def start(request: RolloutRequest, x_operator: Operator = "") -> dict[str, Any]:
        operator = operator_of(x_operator)
        selector = request.model_dump(include={"station", "district", "all", "kiosks"},
                                      exclude_none=True)

        def work() -> dict[str, Any]:
            targets = select_kiosks(remote.engine, remote.settings, station=request.station,
                                    district=request.district, all_kiosks=request.all,
                                    kiosks=request.kiosks)
            return rollouts.create(
                request.name, request.args, targets, selector, rate_per_s=request.rate_per_s,
                abort_pct=request.abort_pct, abort_first=request.abort_first,
                expiry_s=request.expiry_s or remote.settings.commands.expiry_s,
                operator=operator)

        return _run(remote, operator, f"rollout.{request.name}", _describe(selector),
                    {**selector, "args": request.args, "rate_per_s": request.rate_per_s,
                     "abort_pct": request.abort_pct, "abort_first": request.abort_first},
                    work, lambda r: f"started rollout {r['id']} over {r['total']} kiosk(s)")

    @router.post("/rollouts/{rollout_id}/cancel")
    def cancel(rollout_id: int, x_operator: Operator = "") -> dict[str, Any]:
        operator = operator_of(x_operator)
        return _run(remote, operator, "rollout.cancel", f"rollout {rollout_id}", {},
                    lambda: rollouts.cancel(rollout_id, f"cancelled by {operator}"),
                    lambda r: r["state"])


def _describe(selector: dict[str, Any]) -> str:
    if selector.get("kiosks"):
        return "kiosks " + ",".join(selector["kiosks"])
    for key in ("station", "district"):
        if selector.get(key):
            return f"{key} {selector[key]}"
    return "all kiosks" if selector.get("all") else "nothing"
