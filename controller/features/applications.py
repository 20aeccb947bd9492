"""Applications feature: records from kiosk events, workflow API, progress for kiosks,
``stationctl app …`` and ``stationctl report services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from controller.applications import ApplicationRecord, Applications
from controller.applications.api import applications_router
from controller.applications.cli import add_report_command, app_cli
from controller.applications.projector import project_applications
from controller.applications.retention import erase_closed_personal_data
from sync.request_bodies import ProgressAnswer, ProgressQuery, RequestType

if TYPE_CHECKING:
    from controller.feature_context import FeatureContext

__all__ = ["attach", "cli", "CLI_NAME", "CLI_GROUPS", "progress_handler"]

CLI_NAME = "app"
cli: typer.Typer = app_cli
assert ApplicationRecord.__tablename__  # the tables are registered on Base with this import


def _report_group() -> dict[str, typer.Typer]:
    """Add ``services`` to the schedules feature's ``report`` group, or make the group."""
    try:
        from controller.schedules.report_api import report_cli
    except ImportError:
        report_cli = typer.Typer(no_args_is_help=True, help="Reports on the station network.")
        add_report_command(report_cli)
        return {"report": report_cli}
    add_report_command(report_cli)
    return {}


CLI_GROUPS: dict[str, typer.Typer] = _report_group()


def progress_handler(applications: Applications) -> Any:
    """Return the ``application.progress`` request handler."""
    def handle(_kiosk: str, query: ProgressQuery) -> ProgressAnswer:
        found = applications.progress(query.tracking_no, query.applicant_ref)
        return ProgressAnswer.model_validate({"applications": found})

    return handle


def attach(context: FeatureContext) -> None:
    """Project submissions into records, answer progress requests, serve the API."""
    applications = Applications(context.engine)
    context.project(project_applications)
    context.retain("application personal data", erase_closed_personal_data(
        context.settings.controller.personal_data_keep_days))
    context.answer(RequestType.APPLICATION_PROGRESS, progress_handler(applications))
    context.add_routes(applications_router(applications))
