"""Schemas of the state messages: presence, telemetry, device health and documents.

These travel outside the outbox (presence and documents are retained, telemetry is
periodic and replaceable), so they are pydantic models validated on arrival.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .envelope import utc_now
from .limits import MAX_WIRE_INT

__all__ = [
    "DeviceState",
    "DeviceFault",
    "DeviceHealth",
    "DocumentKind",
    "ALL_STATIONS",
    "KioskPresence",
    "ControllerPresence",
    "KioskTelemetry",
    "VersionedDocument",
    "MessageSchemaError",
    "parse_message",
    "validation_summary",
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


class DeviceFault(StrEnum):
    """What is wrong with a device, for machines: alarms key on these, never on wording.

    The devices package reports the same values (``devices.errors.FaultCode``); the kiosk
    bridge maps one to the other, and a test keeps the two sets equal.
    """

    PAPER_OUT = "paper_out"
    PAPER_NEAR_END = "paper_near_end"
    COVER_OPEN = "cover_open"
    CUTTER_ERROR = "cutter_error"
    PRINTER_ERROR = "printer_error"  # the printer's own error; power-cycle or reopen the cover
    OFFLINE = "offline"  # switched off or paused, but its port answers
    NOT_ANSWERING = "not_answering"  # no valid reply: power, cable or baud rate
    SAM_FAILURE = "sam_failure"
    ABSENT = "absent"  # unplugged, powered off, or its port vanished
    BUSY = "busy"  # another process holds the port
    DEVICE_ERROR = "device_error"  # any other driver error; the reason says which
    PROBE_CRASHED = "probe_crashed"  # the health check itself failed
    NOT_FITTED = "not_fitted"  # no serial port configured for it
    STARTING = "starting"  # configured, not checked yet


def _known_fault(value: object) -> object:
    """Read a code this build does not know (from a newer kiosk) as a generic device error."""
    if isinstance(value, str) and value not in DeviceFault._value2member_map_:
        return DeviceFault.DEVICE_ERROR
    return value


class DeviceHealth(_Frozen):
    """One device's state, a machine-readable fault code, and a reason a technician reads.

    ``code`` is None while the device is ok, and for messages from kiosks that predate it.
    """

    name: str = Field(max_length=_NAME)
    kind: str = Field(max_length=_NAME)
    state: DeviceState
    code: Annotated[DeviceFault | None, BeforeValidator(_known_fault)] = None
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


class DocumentKind(StrEnum):
    """The kinds of retained document the controller publishes on ``doc/<kind>/<scope>``."""

    SCHEDULE = "schedule"  # one station's opening hours; scope: the station id
    CALENDAR = "calendar"  # public holidays and make-up working days; scope: "all"
    CATALOG = "catalog"  # the service catalogue; scope: "all"
    STATIONS = "stations"  # every station's name, address and place; scope: "all"


ALL_STATIONS = "all"  # the scope of a document that serves every station


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
        raise MessageSchemaError(validation_summary(model.__name__, exc)) from None


def validation_summary(label: str, error: ValidationError) -> str:
    """Return ``label: field: problem (n problem(s))`` for the first problem of ``error``.

    Only pydantic's description of the rule is kept, never the offending value, so the
    summary is safe to log and to store with a quarantined message.
    """
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "message"
    return f"{label}: {where}: {first['msg']} ({error.error_count()} problem(s))"

