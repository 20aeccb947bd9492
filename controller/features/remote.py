"""Remote management feature: signed technician commands, alarms, bulk rollouts, audit log.

Plugs into the controller (routes under /api/v1/commands, /alarms, /rollouts, /audit; the
kiosks' ``up/response`` subscription; background threads for command tracking, alarm
evaluation and rollouts) and into stationctl (``cmd``, ``cmd-status``, ``cmd-list``,
``signing-key``, ``alarms``, ``alarm``, ``rollout``, ``audit``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from controller.remote.cli import cmd_cli, cmd_list_cli, cmd_status_cli, signing_key_cli
from controller.remote.models import AuditEntry
from controller.remote.ops_cli import alarm_cli, alarms_cli, audit_cli, rollout_cli

if TYPE_CHECKING:
    from controller.feature_context import FeatureContext

__all__ = ["attach", "cli", "CLI_NAME", "CLI_GROUPS"]

CLI_NAME = "cmd"
cli: typer.Typer = cmd_cli
CLI_GROUPS: dict[str, typer.Typer] = {
    "cmd-status": cmd_status_cli, "cmd-list": cmd_list_cli, "signing-key": signing_key_cli,
    "alarms": alarms_cli, "alarm": alarm_cli, "rollout": rollout_cli, "audit": audit_cli}
assert AuditEntry.__tablename__  # the tables are registered on Base with this import


def attach(context: FeatureContext) -> None:
    """Build remote management into the controller: routes, subscriptions, threads."""
    from controller.remote.api import remote_router
    from controller.remote.service import RemoteManagement

    remote = RemoteManagement(context)
    context.share("remote", remote)
    context.add_routes(remote_router(remote))
