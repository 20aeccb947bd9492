"""The applications HTTP API: list, show, move through the workflow; the services report."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from .reports import ReportError, report_csv, services_report
from .service import ApplicationNotFound, Applications
from .workflow import TransitionError

__all__ = ["applications_router", "StatusChange"]


class StatusChange(BaseModel):
    """A staff member moves an application on."""

    status: str
    reason: str = ""
    actor: str = Field("", max_length=100)
    visited: bool = False  # the citizen came in person for this step
    mailed: bool = False


def applications_router(applications: Applications) -> APIRouter:
    """Return the routes over ``applications``."""
    router = APIRouter(prefix="/api/v1")

    @router.get("/applications")
    def listing(status: str | None = None, station: str | None = None,
                service: str | None = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
        return {"applications": applications.find(status=status, station=station,
                                                  service=service, limit=limit)}

    @router.get("/applications/{tracking_no}")
    def show(tracking_no: str) -> dict[str, Any]:
        try:
            return applications.show(tracking_no)
        except ApplicationNotFound as exc:
            raise HTTPException(404, str(exc)) from None

    @router.post("/applications/{tracking_no}/status")
    def move(tracking_no: str, change: StatusChange) -> dict[str, Any]:
        try:
            return applications.move(tracking_no, change.status, reason=change.reason,
                                     actor=change.actor, visited=change.visited,
                                     mailed=change.mailed)
        except ApplicationNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        except TransitionError as exc:
            raise HTTPException(409, str(exc)) from None

    @router.get("/reports/services", response_model=None)
    def report(first: Annotated[date, Query(alias="from")],
               last: Annotated[date, Query(alias="to")], station: str | None = None,
               format: Literal["json", "csv"] = "json") -> Response | dict[str, Any]:
        try:
            made = services_report(applications.engine, first, last, station)
        except ReportError as exc:
            raise HTTPException(422, str(exc)) from None
        if format == "csv":
            return Response(report_csv(made), media_type="text/csv; charset=utf-8")
        return made.as_dict()

    return router
