"""The session's services on a real kiosk: agent store and requests, devices, station hours.

:class:`KioskBackend` implements :class:`~kiosk.session.KioskServices` over the
:class:`~kiosk.agent.KioskAgent` (one local commit per application with its outbox event,
MQTT 5 requests to the controller), the :class:`~kiosk.devices_bridge.DevicesBridge`
and :class:`~kiosk.station_state.StationState`.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from devices.printer import Receipt
from sync import __version__
from sync.catalog import ServiceCatalog, load_catalog
from sync.envelope import parse_utc
from sync.events import ApplicationSubmitted, EventBody, ReceiptFailed, ReceiptPrinted
from sync.messages import ALL_STATIONS, DocumentKind
from sync.request_bodies import ProgressAnswer
from sync.request_bodies import ProgressQuery as WireProgressQuery
from sync.settings import config_file

from .agent import KioskAgent
from .appointments_port import AppointmentsPort, controller_answers
from .devices_bridge import DevicesBridge, PrinterUnavailable
from .session import (
    ApplicationRequest,
    Diagnostics,
    NearbyView,
    ProgressItem,
    ProgressQuery,
    Slot,
    StationView,
    Submission,
    SubmissionFailed,
    progress_payload,
)
from .station_state import StationState

__all__ = ["KioskBackend"]

log = logging.getLogger(__name__)

PROGRESS_TIMEOUT_S = 4.0


class KioskBackend:
    """Everything the session asks for, on a kiosk with an agent and devices."""

    def __init__(self, agent: KioskAgent, bridge: DevicesBridge, state: StationState) -> None:
        self.agent = agent
        self.bridge = bridge
        self.state = state
        self.station_config = agent.settings.station(agent.config.station)
        self.zone = ZoneInfo(self.station_config.timezone)
        self.appointments = AppointmentsPort(agent)
        self._catalog: tuple[int, ServiceCatalog] | None = None
        # One writer keeps events in order and keeps disk waits off the UI thread.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")

    # -- documents ------------------------------------------------------------------------
    def catalog(self) -> ServiceCatalog:
        """Return the controller's catalogue document as last received (kept on disk).

        Only a kiosk that has never received one reads the catalogue of its configuration
        folder, until the controller's arrives.
        """
        stored = self.agent.documents.get(DocumentKind.CATALOG, ALL_STATIONS)
        version = stored.document.version if stored else 0
        if self._catalog is None or self._catalog[0] != version:
            self._catalog = (version, self._load_catalog(stored.document.body if stored else None))
        return self._catalog[1]

    @staticmethod
    def _load_catalog(body: dict[str, Any] | None) -> ServiceCatalog:
        if body is not None:  # the document cache applied it only once it read as one
            return ServiceCatalog.from_mapping(body, "catalog document")
        path = config_file("catalog.toml")
        log.warning("no catalogue document from the controller yet; serving %s until one "
                    "arrives", path)
        return load_catalog(path)

    def station(self) -> StationView:
        """Return this station's name, mode, today's hours and, when closed, where to go."""
        cfg, state = self.station_config, self.state
        mode = state.mode_now().value
        hours = sorted((r.start, m.value, r.text) for m, ranges in state.today_hours().items()
                       for r in ranges)
        nearest = tuple(NearbyView(s.name, s.name_en, s.address, s.distance_km, s.closes_at)
                        for s in state.nearest_open(3)) if mode == "closed" else ()
        return StationView(cfg.name, cfg.name_en or cfg.name, mode,
                           tuple((m, text) for _, m, text in hours),
                           state.next_opening() if mode == "closed" else None,
                           nearest, state.schedule_known)

    def device_faults(self) -> Mapping[str, str]:
        """Return the devices that cannot serve now, with reasons."""
        return self.bridge.faults()

    # -- applications ---------------------------------------------------------------------
    def submit(self, request: ApplicationRequest) -> Submission:
        """Commit the application with its event, then print and record the receipt."""
        fields = dict(request.fields)
        if request.postal_address:
            fields["postal_address"] = request.postal_address

        def body(tracking_no: str) -> ApplicationSubmitted:
            return ApplicationSubmitted(
                tracking_no=tracking_no, service=request.service_id,
                station=self.station_config.id, mode=request.mode, lang=request.lang,
                channel="kiosk", identification=request.identification,
                applicant=request.applicant_masked, applicant_ref=request.applicant_ref,
                id_number=request.id_number or None, fields=fields)

        details = {"mode": request.mode, "identification": request.identification,
                   "delivery": fields.get("delivery")}
        try:
            submitted = self.agent.store.submit_application(body, details)
        except Exception as exc:
            raise SubmissionFailed(f"could not store the application: {exc}") from exc
        return self._print(request, submitted.tracking_no)

    def _print(self, request: ApplicationRequest, tracking_no: str) -> Submission:
        receipt = Receipt(
            station=self.station_config.name, service=request.service_title_zh,
            tracking_number=tracking_no, issued_at=datetime.now(self.zone),
            masked_name=request.applicant_masked, next_steps=request.next_steps_zh,
            qr_payload=progress_payload(tracking_no))
        try:
            self.bridge.print_receipt(receipt)
        except PrinterUnavailable as exc:
            self.record(ReceiptFailed(tracking_no=tracking_no, reason=str(exc)[:500]))
            return Submission(tracking_no, False, str(exc))
        self.record(ReceiptPrinted(tracking_no=tracking_no, service=request.service_id))
        return Submission(tracking_no, True)

    def record(self, event: EventBody) -> None:
        """Commit an outbox event on the store's writer thread (never blocks the screen)."""
        future = self._writer.submit(self.agent.store.record, event)
        future.add_done_callback(lambda done: done.exception() and log.error(
            "could not record %s: %s", event.event_type.value, done.exception()))

    def flush(self) -> None:
        """Wait until every recorded event is committed (at shutdown)."""
        self._writer.shutdown(wait=True, cancel_futures=False)

    # -- requests -------------------------------------------------------------------------
    def lookup_progress(self, query: ProgressQuery) -> list[ProgressItem]:
        """Ask the controller for the applications matching ``query``."""
        question = (WireProgressQuery(tracking_no=query.tracking_no) if query.tracking_no
                    else WireProgressQuery(applicant_ref=query.applicant_ref))
        with controller_answers():
            answer = self.agent.requests.ask(question, ProgressAnswer,
                                             timeout_s=PROGRESS_TIMEOUT_S)
        return [ProgressItem(a.tracking_no, a.service, a.status, self._local(a.updated_at),
                             a.reason, a.delivery)
                for a in answer.applications]

    def _local(self, stamp: str) -> str:
        """Return a wire timestamp as station time, 'YYYY-MM-DD HH:MM' ('' if unreadable)."""
        try:
            return f"{parse_utc(stamp).astimezone(self.zone):%Y-%m-%d %H:%M}"
        except ValueError:
            return ""

    def appointment_slots(self, service_id: str) -> list[Slot]:
        """Return the staffed slots the controller offers for ``service_id``."""
        return self.appointments.slots(service_id)

    def book_appointment(self, service_id: str, slot_id: str, masked_name: str) -> str:
        """Book a slot; return the booking reference."""
        return self.appointments.book(service_id, slot_id, masked_name)

    # -- technician -----------------------------------------------------------------------
    def diagnostics(self) -> Diagnostics:
        """Return devices, outbox depth and versions."""
        devices = tuple((h.name, h.state.value, h.reason) for h in self.bridge.health())
        versions = {"software": __version__, "catalog": str(self.catalog().version),
                    **{k: str(v) for k, v in self.agent.documents.versions().items()}}
        return Diagnostics(devices, self.agent.store.depth().pending, versions)

    def test_print(self) -> str:
        """Print a test receipt."""
        receipt = Receipt(station=self.station_config.name, service="测试打印 Test print",
                          tracking_number="TEST", issued_at=datetime.now(self.zone),
                          masked_name="", next_steps=(), qr_payload="stationnet:test")
        try:
            self.bridge.print_receipt(receipt)
        except PrinterUnavailable as exc:
            return f"printer: {exc}"
        return "printer: test receipt printed"

    def test_card_read(self) -> str:
        """Read the card on the reader once; report it masked."""
        identity = self.bridge.read_card_once()
        try:
            return f"card read: {identity.masked_name} {identity.masked_number}"
        finally:
            identity.wipe()

    def technician_pin_ok(self, pin: str) -> bool:
        """Return whether ``pin`` matches the configured technician PIN."""
        expected = self.agent.config.technician_pin
        return bool(expected) and hmac.compare_digest(pin.encode(), expected.encode())
