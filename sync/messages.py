"""Schemas of the state messages: presence, telemetry, device health and documents.

These travel outside the outbox (presence and documents are retained, telemetry is
periodic and replaceable), so they are pydantic models validated on arrival.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from .envelope import utc_now
from .limits import MAX_WIRE_INT

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

# Limits of state messages, so whatever is accepted fits the controller's columns.
_NAME = 64  # ids, device names and kinds, software versions
_TEXT = 500  # a device's reason
_DEVICES = 16
_DOCUMENTS = 64
_Version = Annotated[int, Field(ge=0, le=MAX_WIRE_INT)]


class MessageSchemaError(ValueError):
    """A state message that does not match its schema."""


class _Frozen(BaseModel):
    # Finite numbers only: NaN and infinities have no place in a report and break JSON.
    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)

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

    name: str = Field(max_length=_NAME)
    kind: str = Field(max_length=_NAME)
    state: DeviceState
    reason: str = Field("", max_length=_TEXT)
    since: AwareDatetime = Field(default_factory=utc_now)


class KioskPresence(_Frozen):
    """The retained birth / last-will document of a kiosk."""

    kiosk: str = Field(max_length=_NAME)
    state: Literal["online", "offline"]
    station: str | None = Field(None, max_length=_NAME)
    software: str | None = Field(None, max_length=_NAME)
    devices: list[DeviceHealth] = Field(default_factory=list, max_length=_DEVICES)
    documents: dict[str, _Version] = Field(default_factory=dict, max_length=_DOCUMENTS)
    started_at: AwareDatetime | None = None
    ts: AwareDatetime = Field(default_factory=utc_now)


class ControllerPresence(_Frozen):
    """The controller's retained presence, so kiosks know whether it is there."""

    state: Literal["online", "offline"]
    software: str | None = None
    ts: AwareDatetime = Field(default_factory=utc_now)


class KioskTelemetry(_Frozen):
    """Periodic health of one kiosk."""

    kiosk: str = Field(max_length=_NAME)
    station: str | None = Field(None, max_length=_NAME)
    uptime_s: float = Field(ge=0)
    outbox_depth: int = Field(ge=0, le=MAX_WIRE_INT)
    outbox_oldest_age_s: float | None = Field(None, ge=0)
    devices: list[DeviceHealth] = Field(default_factory=list, max_length=_DEVICES)
    documents: dict[str, _Version] = Field(default_factory=dict, max_length=_DOCUMENTS)
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

