"""The one interface to the national traffic-management system (integration out of scope).

Everything the controller would tell the national system goes through
:class:`NationalSystem`; the default :class:`LoggingNationalSystem` only logs, without
personal data, so the workflow runs end to end without the real integration.
"""

from __future__ import annotations

import logging
from typing import Protocol

__all__ = ["NationalSystem", "LoggingNationalSystem"]

log = logging.getLogger(__name__)


class NationalSystem(Protocol):
    """What the national system hears about an application."""

    def status_changed(self, tracking_no: str, service_id: str, status: str,
                       id_number: str | None) -> None:
        """Report a status change (the ID number only while the application is open)."""
        ...


class LoggingNationalSystem:
    """Stand-in adapter: logs each change (tracking number and status only)."""

    def status_changed(self, tracking_no: str, service_id: str, status: str,
                       id_number: str | None) -> None:
        """Log the change; nothing leaves the controller."""
        log.info("national system (not connected): %s %s -> %s", tracking_no, service_id,
                 status)
