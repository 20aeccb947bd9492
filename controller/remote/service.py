"""Remote management assembled inside a controller: keys, commands, alarms, rollouts, audit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sync.commands import public_key_b64
from sync.topics import KioskChannel, kiosk_subscription

from .alarm_rules import ingest_conditions
from .alarms import AlarmService
from .audit import AuditLog
from .commands import CommandTracker
from .keys import load_or_create_signing_key, signing_key_path
from .rollouts import RolloutService

if TYPE_CHECKING:
    from controller.feature_context import FeatureContext

__all__ = ["RemoteManagement"]

log = logging.getLogger(__name__)


def _uncovered_years(context: FeatureContext) -> Callable[[], list[int]] | None:
    """Return the schedules feature's check for missing calendar years, if it is installed."""
    try:
        from controller.schedules.calendar import uncovered_years
    except ImportError:
        return None
    return lambda: uncovered_years(context.engine)


class RemoteManagement:
    """Everything remote management runs in one controller."""

    def __init__(self, context: FeatureContext) -> None:
        settings = context.settings
        key = load_or_create_signing_key(signing_key_path(settings))
        self.public_key = public_key_b64(key)
        log.info("commands are signed; kiosks verify with controller_public_key = %s",
                 self.public_key)
        self.settings = settings
        self.engine = context.engine
        self.audit = AuditLog(context.engine)
        self.commands = CommandTracker(context.engine, context.link, key, settings.commands,
                                       on_final=lambda _id: self.rollouts.wake())
        self.rollouts = RolloutService(context.engine, self.commands)
        stats = context.ingest_stats
        self.alarms = AlarmService(
            context.engine, settings.alarms, context.documents.versions,
            _uncovered_years(context), lambda: ingest_conditions(
                stats.database_failing_since, stats.database_failures))
        group = settings.controller.shared_group
        topic = kiosk_subscription(KioskChannel.RESPONSE)
        context.link.subscribe(f"$share/{group}/{topic}" if group else topic,
                               self.commands.submit, qos=1)
        context.at_start(self.start)
        context.at_stop(self.stop)

    def start(self) -> None:
        """Start tracking commands, evaluating alarms and advancing rollouts."""
        self.commands.start()
        self.alarms.start()
        self.rollouts.start()

    def stop(self) -> None:
        """Stop the background threads; everything they need later is in the database."""
        self.rollouts.stop()
        self.alarms.stop()
        self.commands.stop()
