"""A fake of the kiosk's services for session tests: a real catalogue, recorded calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from kiosk.session import (
    ApplicationRequest,
    Diagnostics,
    Identity,
    KioskSession,
    ProgressItem,
    ProgressQuery,
    ProgressUnavailable,
    Slot,
    StationView,
    Submission,
    applicant_ref,
)
from sync.catalog import ServiceCatalog, load_catalog
from sync.events import EventBody

REPO = Path(__file__).resolve().parents[2]
KEY = b"test-key"
FICTITIOUS_NUMBER = "33010619850312001X"  # config/devices/cards.toml "resident"


class FakeServices:
    """KioskServices over the real catalogue, with a settable mode, faults and answers."""

    def __init__(self) -> None:
        self.catalogue: ServiceCatalog = load_catalog(REPO / "config" / "catalog.toml")
        self.mode = "self_service"
        self.faults: dict[str, str] = {}
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.submitted: list[ApplicationRequest] = []
        self.progress: list[ProgressItem] | Exception = []
        self.queries: list[ProgressQuery] = []
        self.printer_ok = True

    def catalog(self) -> ServiceCatalog:
        return self.catalogue

    def station(self) -> StationView:
        return StationView("文三路服务站", "Wensan station", self.mode,
                           (("self_service", "07:00-22:30"),))

    def device_faults(self) -> Mapping[str, str]:
        return self.faults

    def submit(self, request: ApplicationRequest) -> Submission:
        self.submitted.append(request)
        tracking = f"T261125-K-TEST-{len(self.submitted):06d}"
        self.events.append(("application.submitted", {"tracking_no": tracking}))
        return Submission(tracking, self.printer_ok)

    def lookup_progress(self, query: ProgressQuery) -> list[ProgressItem]:
        self.queries.append(query)
        if isinstance(self.progress, Exception):
            raise self.progress
        return self.progress

    def record(self, event: EventBody) -> None:
        self.events.append((event.event_type.value, event.wire()))

    def appointment_slots(self, service_id: str) -> list[Slot]:
        raise ProgressUnavailable("no controller")

    def book_appointment(self, service_id: str, slot_id: str, masked_name: str) -> str:
        raise ProgressUnavailable("no controller")

    def diagnostics(self) -> Diagnostics:
        return Diagnostics((("printer", "ok", "ready"),), 3, {"software": "test"})

    def test_print(self) -> str:
        return "printed"

    def test_card_read(self) -> str:
        return "read 李*"

    def technician_pin_ok(self, pin: str) -> bool:
        return pin == "246810"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def card(number: str = FICTITIOUS_NUMBER, address: str = "浙江省杭州市西湖区文三路100号",
         expired: bool = False) -> Identity:
    """Return an identity as the device bridge makes it from a (fictitious) card."""
    return Identity("idcard", "李**", number[:6] + "********" + number[-4:],
                    applicant_ref(number, KEY), expired, number, address)


@pytest.fixture
def services() -> FakeServices:
    return FakeServices()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_session(services: FakeServices, clock: FakeClock) -> Callable[..., KioskSession]:
    def make(**options: Any) -> KioskSession:
        return KioskSession(services, lookup_key=KEY, clock=clock, idle_timeout_s=60,
                            idle_warning_s=15, **options)
    return make


@pytest.fixture
def session(make_session: Callable[..., KioskSession]) -> KioskSession:
    return make_session()


@pytest.fixture
def make_card() -> Callable[..., Identity]:
    return card
