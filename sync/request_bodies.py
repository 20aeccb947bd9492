"""What a kiosk may ask the controller, and what it answers: one model each, both ends.

Each request type has a query model (the request's ``body``) and an answer model (the
``body`` of an ok response). The kiosk builds the query and reads the answer through
them; the controller reads the query and builds the answer through the same ones, so a
name or a field is written once. Readers ignore fields they do not know.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "RequestType",
    "Query",
    "Answer",
    "ClockQuery",
    "ClockAnswer",
    "ProgressQuery",
    "ProgressEntry",
    "ProgressAnswer",
    "SlotsQuery",
    "SlotEntry",
    "SlotsAnswer",
    "BookQuery",
    "BookAnswer",
    "CancelQuery",
    "CancelAnswer",
    "QUERIES",
]

_Id = Annotated[str, Field(min_length=1, max_length=64)]
_Short = Annotated[str, Field(max_length=64)]
_Count = Annotated[int, Field(ge=0, le=10_000)]


class RequestType(StrEnum):
    """Every request type a kiosk may send on its ``up/request`` topic."""

    CLOCK = "clock"
    APPLICATION_PROGRESS = "application.progress"
    APPOINTMENT_SLOTS = "appointment.slots"
    APPOINTMENT_BOOK = "appointment.book"
    APPOINTMENT_CANCEL = "appointment.cancel"


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False,
                              str_max_length=8 * 1024)


class Answer(_Body):
    """Base of every answer body."""


class Query(_Body):
    """Base of every query body; ``request_type`` and ``answer`` name its type and reply."""

    request_type: ClassVar[RequestType]
    answer: ClassVar[type[Answer]]


class ClockAnswer(Answer):
    """The controller's time, for the kiosk's clock-offset telemetry."""

    now: AwareDatetime


class ClockQuery(Query):
    """Ask the controller what time it is (no fields)."""

    request_type = RequestType.CLOCK
    answer = ClockAnswer


class ProgressEntry(Answer):
    """Where one application stands: what anyone holding its receipt or card may see."""

    tracking_no: Annotated[str, Field(max_length=40)]
    service: _Short = ""
    status: _Short = ""
    updated_at: Annotated[str, Field(max_length=32)] = ""  # wire timestamp, UTC with 'Z'
    reason: Annotated[str, Field(max_length=1000)] = ""
    delivery: _Short = ""


class ProgressAnswer(Answer):
    """The applications found, newest first."""

    applications: list[ProgressEntry] = Field(default_factory=list, max_length=100)


class ProgressQuery(Query):
    """Ask where an application stands, by its tracking number or the applicant's ref."""

    request_type = RequestType.APPLICATION_PROGRESS
    answer = ProgressAnswer
    tracking_no: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    applicant_ref: _Id | None = None

    @model_validator(mode="after")
    def _one_key(self) -> ProgressQuery:
        if not (self.tracking_no or self.applicant_ref):
            raise ValueError("send a tracking_no or an applicant_ref")
        return self


class SlotEntry(Answer):
    """A staffed slot in station time, and how many places are left in it."""

    start: AwareDatetime
    end: AwareDatetime
    remaining: _Count


class SlotsAnswer(Answer):
    """The bookable slots of a service at a station."""

    station: _Id
    service: _Id
    slot_minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    capacity: _Count | None = None
    slots: list[SlotEntry] = Field(default_factory=list, max_length=2000)


class SlotsQuery(Query):
    """Ask for the slots of a staffed-only service (the kiosk's own station by default)."""

    request_type = RequestType.APPOINTMENT_SLOTS
    answer = SlotsAnswer
    service: _Id
    days: Annotated[int, Field(ge=1, le=90)] | None = None
    station: _Id | None = None


class BookAnswer(Answer):
    """A confirmed booking: the reference to print and the slot."""

    reference: _Id
    station: _Id
    service: _Id
    start: AwareDatetime
    end: AwareDatetime
    masked_name: Annotated[str, Field(max_length=100)]


class BookQuery(Query):
    """Book a place in the slot starting at ``start``; ``name`` is masked before sending."""

    request_type = RequestType.APPOINTMENT_BOOK
    answer = BookAnswer
    service: _Id
    start: AwareDatetime
    name: Annotated[str, Field(min_length=1, max_length=100)]
    phone: Annotated[str, Field(max_length=20)] | None = None
    station: _Id | None = None


class CancelAnswer(Answer):
    """The cancelled booking's reference and its new status."""

    reference: _Id
    status: _Short


class CancelQuery(Query):
    """Cancel a booking by the reference on its slip."""

    request_type = RequestType.APPOINTMENT_CANCEL
    answer = CancelAnswer
    reference: _Id


QUERIES: dict[RequestType, type[Query]] = {
    query.request_type: query
    for query in (ClockQuery, ProgressQuery, SlotsQuery, BookQuery, CancelQuery)
}
