"""The bodies of kiosk events: one validated model per event type, used by both ends.

The kiosk builds every outbox event from one of these models (:meth:`EventBody.wire`)
and the controller reads it back through the same model (:func:`parse_event_body`), so
a body is defined once. A body that fails its model at the controller is quarantined as
``invalid_body``; an event type this build does not know is stored as it came (a newer
kiosk may speak types an older controller has no model for yet).

Readers are tolerant: fields a newer kiosk adds are ignored, optional fields may be
missing. Writers are strict: a kiosk cannot build a body outside these limits.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .commands import RefusalReason
from .limits import MAX_JSON_STRING
from .messages import DeviceFault, DeviceHealth, DeviceState, validation_summary

__all__ = [
    "EventType",
    "EventBody",
    "EventBodyError",
    "VisitOutcome",
    "ApplicationSubmitted",
    "ReceiptPrinted",
    "ReceiptFailed",
    "VisitEnded",
    "DeviceAlarm",
    "KioskLocked",
    "KioskUnlocked",
    "CommandRefusedEvent",
    "EVENT_BODIES",
    "parse_event_body",
]

# Column widths of the controller's application records: a longer value is refused at
# ingest instead of being cut short where it is stored.
TrackingNo = Annotated[str, Field(min_length=1, max_length=40)]
ServiceId = Annotated[str, Field(min_length=1, max_length=64)]
_Name = Annotated[str, Field(max_length=64)]
_Short = Annotated[str, Field(max_length=16)]
_Text = Annotated[str, Field(max_length=500)]
_FieldValue = Annotated[str, Field(max_length=1000)]


class EventType(StrEnum):
    """Every event type a kiosk emits."""

    APPLICATION_SUBMITTED = "application.submitted"
    RECEIPT_PRINTED = "receipt.printed"
    RECEIPT_FAILED = "receipt.failed"
    VISIT_ENDED = "visit.ended"
    DEVICE_ALARM = "device.alarm"
    KIOSK_LOCKED = "kiosk.locked"
    KIOSK_UNLOCKED = "kiosk.unlocked"
    COMMAND_REFUSED = "command.refused"


class EventBodyError(ValueError):
    """An event body that does not match its type's model; the message says where."""


class VisitOutcome(StrEnum):
    """How a visit ended."""

    FINISHED = "finished"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"


class EventBody(BaseModel):
    """Base of every event body; ``event_type`` names the envelope type it travels as."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False,
                              str_max_length=MAX_JSON_STRING)
    event_type: ClassVar[EventType]

    def wire(self) -> dict[str, Any]:
        """Return the body as the envelope carries it (absent optional fields left out)."""
        return self.model_dump(mode="json", exclude_none=True)


class ApplicationSubmitted(EventBody):
    """An application committed at the kiosk, with what staff need to act on it.

    ``id_number`` is sent only for services that need it; ``applicant`` is masked.
    """

    event_type = EventType.APPLICATION_SUBMITTED
    tracking_no: TrackingNo
    service: ServiceId
    station: _Name | None = None  # None: the controller takes the kiosk's station
    mode: _Short = ""
    lang: _Short = ""
    channel: _Short = "kiosk"
    identification: _Short = ""  # "idcard" or "qr"
    applicant: Annotated[str, Field(max_length=40)] = ""
    applicant_ref: _Name = ""
    id_number: Annotated[str, Field(max_length=32)] | None = None
    fields: dict[Annotated[str, Field(max_length=64)], _FieldValue] = Field(
        default_factory=dict, max_length=64)


class ReceiptPrinted(EventBody):
    """The receipt of an application came out of the printer."""

    event_type = EventType.RECEIPT_PRINTED
    tracking_no: TrackingNo
    service: ServiceId | None = None


class ReceiptFailed(EventBody):
    """The receipt of an application could not be printed; ``reason`` says why."""

    event_type = EventType.RECEIPT_FAILED
    tracking_no: TrackingNo
    reason: _Text = ""


class VisitEnded(EventBody):
    """A visit is over and its personal data wiped: how it went, for the reports."""

    event_type = EventType.VISIT_ENDED
    outcome: VisitOutcome | None = None
    last_step: _Short | None = None
    duration_s: float | None = Field(None, ge=0)
    service: _Name | None = None
    lang: _Short | None = None
    large_text: bool | None = None
    tracking_no: Annotated[str, Field(max_length=40)] | None = None


class DeviceAlarm(EventBody):
    """A device changed state at the kiosk (a fault, or its clearing)."""

    event_type = EventType.DEVICE_ALARM
    device: _Name
    kind: _Name = ""
    state: DeviceState
    code: DeviceFault | None = None
    reason: _Text = ""

    @classmethod
    def of(cls, health: DeviceHealth) -> DeviceAlarm:
        """Return the alarm that reports ``health``."""
        return cls(device=health.name, kind=health.kind, state=health.state, code=health.code,
                   reason=health.reason)


class KioskLocked(EventBody):
    """The kiosk went out of service.

    A remote ``lock`` command sends its id and the message citizens see; a lock at the
    kiosk's own technician screen sends neither.
    """

    event_type = EventType.KIOSK_LOCKED
    message: Annotated[str, Field(max_length=200)] | None = None
    command_id: _Name | None = None


class KioskUnlocked(EventBody):
    """The kiosk is back in service (``command_id`` when a remote command did it)."""

    event_type = EventType.KIOSK_UNLOCKED
    command_id: _Name | None = None


class CommandRefusedEvent(EventBody):
    """The kiosk refused a technician command without running it."""

    event_type = EventType.COMMAND_REFUSED
    reason: RefusalReason
    command_id: _Name | None = None
    name: _Name | None = None
    detail: Annotated[str, Field(max_length=300)] = ""


EVENT_BODIES: dict[EventType, type[EventBody]] = {
    model.event_type: model for model in (
        ApplicationSubmitted, ReceiptPrinted, ReceiptFailed, VisitEnded, DeviceAlarm,
        KioskLocked, KioskUnlocked, CommandRefusedEvent)
}

_BY_NAME: dict[str, type[EventBody]] = {t.value: m for t, m in EVENT_BODIES.items()}


def parse_event_body(event_type: str, body: dict[str, Any]) -> EventBody | None:
    """Return ``body`` read through the model of ``event_type`` (None for unknown types).

    Raises EventBodyError naming the first field that breaks the model.
    """
    model = _BY_NAME.get(event_type)
    if model is None:
        return None
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise EventBodyError(validation_summary(f"{event_type} body", exc)) from None
