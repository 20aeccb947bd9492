"""What the session needs from the rest of the kiosk, as plain values and protocols.

The session never touches a device, the store or the network itself: it asks a
:class:`KioskServices` implementation (``kiosk.backend`` in the app, a fake in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sync.catalog import ServiceCatalog
from sync.events import EventBody

__all__ = [
    "ApplicationRequest",
    "Diagnostics",
    "KioskServices",
    "NearbyView",
    "ProgressItem",
    "ProgressQuery",
    "ProgressUnavailable",
    "ProgressRefused",
    "Runner",
    "Slot",
    "StationView",
    "Submission",
    "SubmissionFailed",
    "run_now",
]


class ProgressUnavailable(RuntimeError):
    """The controller cannot be asked right now (offline, or no answer in time)."""


class ProgressRefused(RuntimeError):
    """The controller answered, and refused the lookup; the message says why."""


class SubmissionFailed(RuntimeError):
    """The application could not be stored on this kiosk (disk or database trouble)."""


@dataclass(frozen=True, slots=True)
class NearbyView:
    """Another station open now, as the closed screen lists it."""

    name: str
    name_en: str
    address: str
    distance_km: float
    closes_at: datetime | None


@dataclass(frozen=True, slots=True)
class StationView:
    """This station as the attract and closed screens show it."""

    name: str
    name_en: str
    mode: str  # "staffed", "self_service" or "closed"
    hours_today: tuple[tuple[str, str], ...] = ()  # (mode, "HH:MM-HH:MM") in time order
    next_opening: datetime | None = None
    nearest_open: tuple[NearbyView, ...] = ()
    schedule_known: bool = False


@dataclass(frozen=True, slots=True)
class ApplicationRequest:
    """Everything a submission needs: no more personal data than the service requires."""

    service_id: str
    service_title_zh: str
    next_steps_zh: tuple[str, ...]
    fields: Mapping[str, str]
    identification: str  # "idcard" or "qr"
    applicant_masked: str
    applicant_ref: str
    id_number: str | None
    postal_address: str | None
    mode: str
    lang: str


@dataclass(frozen=True, slots=True)
class Submission:
    """What a confirmed application produced."""

    tracking_no: str
    receipt_printed: bool
    receipt_problem: str = ""


@dataclass(frozen=True, slots=True)
class ProgressQuery:
    """Look up by tracking number, or by the applicant's reference from a tapped card."""

    tracking_no: str | None = None
    applicant_ref: str | None = None


@dataclass(frozen=True, slots=True)
class ProgressItem:
    """One application's progress as the controller reports it."""

    tracking_no: str
    service_id: str
    status: str
    updated_at: str = ""
    reason: str = ""
    delivery: str = ""


@dataclass(frozen=True, slots=True)
class Slot:
    """An appointment slot the controller offers."""

    slot_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Diagnostics:
    """The technician screen's facts."""

    devices: tuple[tuple[str, str, str], ...]  # (name, state, reason)
    outbox_depth: int
    versions: Mapping[str, str] = field(default_factory=dict)


class KioskServices(Protocol):
    """The kiosk's I/O as the session sees it; every method may block briefly."""

    def catalog(self) -> ServiceCatalog:
        """Return the current service catalogue."""
        ...

    def station(self) -> StationView:
        """Return this station's name, mode and hours now."""
        ...

    def device_faults(self) -> Mapping[str, str]:
        """Return the faulty devices by catalogue name ("idcard", …) with their reasons."""
        ...

    def submit(self, request: ApplicationRequest) -> Submission:
        """Store the application and its event, print the receipt; raise SubmissionFailed."""
        ...

    def lookup_progress(self, query: ProgressQuery) -> list[ProgressItem]:
        """Ask the controller; raise ProgressUnavailable or ProgressRefused."""
        ...

    def record(self, event: EventBody) -> None:
        """Commit an outbox event (visit ended, …)."""
        ...

    def appointment_slots(self, service_id: str) -> list[Slot]:
        """Return bookable slots; raise ProgressUnavailable when the controller is away."""
        ...

    def book_appointment(self, service_id: str, slot_id: str, masked_name: str) -> str:
        """Return the booking reference; raise ProgressUnavailable or ProgressRefused."""
        ...

    def diagnostics(self) -> Diagnostics:
        """Return device states, outbox depth and versions for the technician."""
        ...

    def test_print(self) -> str:
        """Print a test receipt; return what happened, for the technician."""
        ...

    def test_card_read(self) -> str:
        """Read the card on the reader once; return what happened (masked)."""
        ...

    def technician_pin_ok(self, pin: str) -> bool:
        """Return whether ``pin`` is this kiosk's technician PIN."""
        ...


Runner = Callable[[Callable[[], Any], Callable[[Any], None]], None]
"""Runs a blocking job, then calls back with its result (or exception) on the UI thread."""


def run_now(job: Callable[[], Any], done: Callable[[Any], None]) -> None:
    """Run ``job`` here and now; hand ``done`` its result or the exception it raised."""
    try:
        result: Any = job()
    except Exception as exc:  # handed over, not swallowed: done() decides
        result = exc
    done(result)
