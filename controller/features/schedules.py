"""Schedules feature: station opening hours with history, the holiday calendar, the station
directory, appointments for staffed-only services and open-hours reports.

Plugs into the controller (routes, request handlers, documents ``schedule/<station>`` and
``calendar/all``, seeding at start) and into stationctl (``schedule``, ``calendar``,
``stations``, ``appointments``, ``report``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from controller.schedules.booking_cli import appointments_cli, stations_cli
from controller.schedules.cli import calendar_cli, schedule_cli
from controller.schedules.models import ScheduleVersion
from controller.schedules.report_api import report_cli

if TYPE_CHECKING:
    from controller.feature_context import FeatureContext

__all__ = ["attach", "cli", "CLI_NAME", "CLI_GROUPS"]

log = logging.getLogger(__name__)

CLI_NAME = "schedule"
cli: typer.Typer = schedule_cli
# Further top-level stationctl groups of this feature (controller.cli adds them too).
CLI_GROUPS: dict[str, typer.Typer] = {"calendar": calendar_cli, "stations": stations_cli,
                                      "appointments": appointments_cli, "report": report_cli}
assert ScheduleVersion.__tablename__  # the tables are registered on Base with this import


def _station_of(context: FeatureContext) -> Callable[[str], str | None]:
    stations = {k.id: k.station for k in context.settings.kiosks}
    return stations.get


def attach(context: FeatureContext) -> None:
    """Add routes and request handlers, seed schedules and calendars at start, publish on
    connect."""
    from controller.schedules import calendar as cal
    from controller.schedules.api import schedule_router
    from controller.schedules.appointment_config import load_appointment_config
    from controller.schedules.appointments import AppointmentBook
    from controller.schedules.booking_api import booking_router, register_requests
    from controller.schedules.config import config_file
    from controller.schedules.report_api import report_router
    from controller.schedules.service import Schedules

    schedules = Schedules(context.engine, context.documents)
    book = AppointmentBook(schedules, load_appointment_config(
        config_file("appointments.toml"), config_file("catalog.toml")))
    context.share("schedules", schedules)
    context.share("appointments", book)
    context.add_routes(schedule_router(schedules))
    context.add_routes(booking_router(schedules, book))
    context.add_routes(report_router(schedules))
    register_requests(context.answer, book, _station_of(context))

    def seed() -> None:
        try:
            cal.load_config_calendars(context.engine, config_file("calendar"))
            seeded = schedules.seed(config_file("schedules"))
            if seeded:
                log.info("seeded schedules for %s", ", ".join(seeded))
        except Exception:
            log.exception("seeding schedules failed; set them with `stationctl schedule set`")

    context.at_start(seed)
    context.at_connect(schedules.publish_all)
