"""Schemas of the state messages: presence, telemetry, device health and documents.

These travel outside the outbox (presence and documents are retained, telemetry is
periodic and replaceable), so they are pydantic models validated on arrival.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from .envelope import utc_now

__all__ = [
    "DeviceState",
    "DeviceHealth",
    "KioskPresence",
    "ControllerPresence",
    "KioskTelemetry",
    "VersionedDocument",
    "MessageSchemaError",
    "parse_message",
]


_M = TypeVar("_M", bound=BaseModel)


class MessageSchemaError(ValueError):
    """A state message that does not match its schema."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    def encode(self) -> bytes:
        """Return the compact JSON payload of this message."""
        return self.model_dump_json().encode()


class DeviceState(StrEnum):
    """How a device is doing, from the kiosk's point of view."""

    OK = "ok"
    DEGRADED = "degraded"  # works, but needs attention soon (paper near end)
    FAULT = "fault"  # present but cannot serve (paper out, cover open, SAM failure)
    ABSENT = "absent"  # not connected / unplugged


class DeviceHealth(_Frozen):
    """One device's state with a reason a technician can act on."""

    name: str
    kind: str
    state: DeviceState
    reason: str = ""
    since: AwareDatetime = Field(default_factory=utc_now)


class KioskPresence(_Frozen):
    """The retained birth / last-will document of a kiosk."""

    kiosk: str
    state: Literal["online", "offline"]
    station: str | None = None
    software: str | None = None
    devices: list[DeviceHealth] = Field(default_factory=list)
    documents: dict[str, int] = Field(default_factory=dict)
    started_at: AwareDatetime | None = None
    ts: AwareDatetime = Field(default_factory=utc_now)


class ControllerPresence(_Frozen):
    """The controller's retained presence, so kiosks know whether it is there."""

    state: Literal["online", "offline"]
    software: str | None = None
    ts: AwareDatetime = Field(default_factory=utc_now)


class KioskTelemetry(_Frozen):
    """Periodic health of one kiosk."""

    kiosk: str
    station: str | None = None
    uptime_s: float
    outbox_depth: int
    outbox_oldest_age_s: float | None = None
    devices: list[DeviceHealth] = Field(default_factory=list)
    documents: dict[str, int] = Field(default_factory=dict)
    clock_offset_ms: float | None = None
    ts: AwareDatetime = Field(default_factory=utc_now)


class VersionedDocument(_Frozen):
    """A retained document the controller publishes (schedule, catalogue, …)."""

    kind: str
    scope: str
    version: int = Field(ge=1)
    published: AwareDatetime = Field(default_factory=utc_now)
    body: dict[str, Any]


def parse_message(model: type[_M], payload: bytes) -> _M:
    """Return ``payload`` validated as ``model``, or raise MessageSchemaError saying why."""
    try:
        return model.model_validate_json(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "message"
        raise MessageSchemaError(
            f"{model.__name__}: {where}: {first['msg']} ({exc.error_count()} problem(s))"
        ) from None

