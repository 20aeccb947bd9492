"""``config/appointments.toml``: slot length and capacity per staffed-only service."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sync.catalog import CatalogError, load_catalog

__all__ = ["AppointmentConfig", "ServiceSlots", "load_appointment_config"]

log = logging.getLogger(__name__)


class ServiceSlots(BaseModel):
    """How one service is booked: slot length and places per slot."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slot_minutes: int = Field(30, ge=5, le=480)
    capacity: int = Field(1, ge=1, le=50)


class AppointmentConfig(BaseModel):
    """Bookable services and how far ahead slots are offered."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    horizon_days: int = Field(14, ge=1, le=90)
    services: dict[str, ServiceSlots] = Field(default_factory=dict)


def load_appointment_config(path: Path, catalog_path: Path) -> AppointmentConfig:
    """Return the configuration at ``path``, keeping only the catalogue's staffed-only services.

    A missing or invalid file gives no bookable services and an error in the log saying
    what to fix, so the controller still starts.
    """
    try:
        config = AppointmentConfig.model_validate(tomllib.loads(path.read_text("utf-8")))
    except FileNotFoundError:
        log.warning("no %s: appointments are not offered", path)
        return AppointmentConfig()
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        log.error("%s is invalid, appointments are not offered until it is fixed: %s",
                  path, exc)
        return AppointmentConfig()
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as exc:
        log.error("cannot check %s against the catalogue: %s", path, exc)
        return config
    staffed_only = {s.id for s in catalog.services if s.staffed_only}
    wrong = sorted(set(config.services) - staffed_only)
    if wrong:
        log.error("%s: %s are not staffed-only catalogue services and are not bookable; "
                  "remove them (bookable ids: %s)", path, ", ".join(wrong),
                  ", ".join(sorted(staffed_only)))
    services = {k: v for k, v in config.services.items() if k in staffed_only}
    return config.model_copy(update={"services": services})
