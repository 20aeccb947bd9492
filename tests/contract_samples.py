"""One well-formed message of every kind in the wire contract, for contract tests.

No real personal data: names and addresses are already masked, as a kiosk sends them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sync.commands import RefusalReason
from sync.events import (
    ApplicationSubmitted,
    CommandRefusedEvent,
    DeviceAlarm,
    EventBody,
    KioskLocked,
    KioskUnlocked,
    ReceiptFailed,
    ReceiptPrinted,
    VisitEnded,
    VisitOutcome,
)
from sync.messages import DeviceFault, DeviceHealth, DeviceState, KioskPresence, KioskTelemetry
from sync.request_bodies import BookQuery, CancelQuery, ClockQuery, ProgressQuery, Query, SlotsQuery

__all__ = ["EVENTS", "QUERIES", "presence", "telemetry", "MOMENT", "BY_APPOINTMENT"]

MOMENT = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # a fixed instant: no test reads today
SHANGHAI = timezone(timedelta(hours=8))
TRACKING = "T261125-K1-000001"
BY_APPOINTMENT = "dl-postpone"  # a staffed-only service (config/appointments.toml)
PAPER_OUT = DeviceHealth(name="printer", kind="printer", state=DeviceState.FAULT,
                         code=DeviceFault.PAPER_OUT, reason="paper out — load a new paper roll",
                         since=MOMENT)

EVENTS: list[EventBody] = [
    ApplicationSubmitted(tracking_no=TRACKING, service="dl-renewal-expiry",
                         station="hz-xihu-wensan", mode="self_service", lang="zh",
                         identification="idcard", applicant="李*明", applicant_ref="ref-1",
                         fields={"delivery": "mail", "postal_address": "杭州市西湖区*"}),
    ReceiptPrinted(tracking_no=TRACKING, service="dl-renewal-expiry"),
    ReceiptFailed(tracking_no=TRACKING, reason="paper out — load a new paper roll"),
    VisitEnded(outcome=VisitOutcome.TIMEOUT, last_step="form", duration_s=91.5, lang="en",
               large_text=True),
    DeviceAlarm.of(PAPER_OUT),
    KioskLocked(command_id="c-1", message="维护中 Under maintenance"),
    KioskUnlocked(command_id="c-2"),
    CommandRefusedEvent(reason=RefusalReason.REPLAYED, command_id="c-1", name="lock",
                        detail="this command was already received"),
]

QUERIES: list[Query] = [
    ClockQuery(), ProgressQuery(tracking_no=TRACKING), ProgressQuery(applicant_ref="ref-1"),
    SlotsQuery(service=BY_APPOINTMENT, days=30),
    BookQuery(service=BY_APPOINTMENT, start=datetime(2026, 11, 26, 17, 30, tzinfo=SHANGHAI),
              name="李*", phone="13900001111"),
    CancelQuery(reference="A7K2M9QX"),
]


def presence(kiosk_id: str, station: str) -> KioskPresence:
    """Return the retained birth message of ``kiosk_id``."""
    return KioskPresence(kiosk=kiosk_id, state="online", station=station, software="0.1.0",
                         devices=[PAPER_OUT], documents={"catalog/all": 1}, started_at=MOMENT,
                         ts=MOMENT)


def telemetry(kiosk_id: str, station: str) -> KioskTelemetry:
    """Return one telemetry report of ``kiosk_id``."""
    return KioskTelemetry(kiosk=kiosk_id, station=station, uptime_s=12.5, outbox_depth=0,
                          devices=[PAPER_OUT], documents={"catalog/all": 1},
                          clock_offset_ms=-3.5, ts=MOMENT)
