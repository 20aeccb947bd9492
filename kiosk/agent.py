"""The headless kiosk agent: store, outbox delivery, presence, telemetry and documents.

It is the kiosk's sync side with no UI. The touch app runs one inside it; tests, the demo
and screenless stations run it alone, optionally generating synthetic applications.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sync import __version__
from sync.documents import DocumentCache, DocumentRejected
from sync.envelope import utc_now
from sync.events import ApplicationSubmitted
from sync.messages import (
    ALL_STATIONS,
    DeviceHealth,
    KioskPresence,
    KioskTelemetry,
    VersionedDocument,
)
from sync.mqtt import LastWill, MqttLink, ReceivedMessage
from sync.publisher import OutboxPublisher
from sync.request_bodies import ClockAnswer, ClockQuery
from sync.requests import ControllerUnavailable, RequestClient, RequestRefused
from sync.settings import KioskConfig, Settings
from sync.topics import (
    KioskChannel,
    TopicError,
    document_subscription,
    kiosk_topic,
)

from .store import KioskStore

__all__ = ["KioskAgent"]

log = logging.getLogger(__name__)
_PRUNE_INTERVAL_S = 3600.0  # delivered events are pruned at start and then hourly

DocumentListener = Callable[[VersionedDocument], None]


class KioskAgent:
    """One kiosk's connection to the network, usable with or without a screen."""

    def __init__(self, settings: Settings, kiosk_id: str, *, data_dir: Path | None = None,
                 devices: Callable[[], list[DeviceHealth]] | None = None) -> None:
        self.settings = settings
        self.config: KioskConfig = settings.kiosk(kiosk_id)
        self.kiosk_id = kiosk_id
        folder = (data_dir or settings.data_path()) / "kiosks" / kiosk_id
        self.started_at = utc_now()
        self._devices = devices or (lambda: [])
        self.documents = DocumentCache(folder / "documents")
        self._listeners: list[DocumentListener] = []
        self._followed: list[str] = []
        self.commands: Any = None  # the CommandExecutor attached to this kiosk, if any
        self._stop = threading.Event()
        self.clock_offset_ms: float | None = None
        self.link = MqttLink(
            f"kiosk-{kiosk_id}", settings.broker.endpoint(), max_inflight=200,
            will=LastWill(self._topic(KioskChannel.PRESENCE), self._presence("offline").encode()),
            on_connect=self._on_connect,
        )
        self.store = KioskStore(folder / "kiosk.db", kiosk_id, on_commit=self._wake)
        self.publisher = OutboxPublisher(self.link, self.store.outbox, self.store.sessions,
                                         self._topic(KioskChannel.EVENTS))
        self.requests = RequestClient(self.link, kiosk_id)
        for scope in (ALL_STATIONS, self.config.station):
            self.follow_documents(document_subscription(scope=scope))
        self._telemetry_thread = threading.Thread(target=self._telemetry_loop,
                                                  name="telemetry", daemon=True)

    def _topic(self, channel: KioskChannel) -> str:
        return kiosk_topic(self.kiosk_id, channel)

    def _wake(self) -> None:
        self.publisher.wake()

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Connect and start delivering, reporting and listening."""
        self.publisher.start()
        self.link.start()
        self._telemetry_thread.start()

    def stop(self) -> None:
        """Stop cleanly: last deliveries recorded, offline presence published."""
        self._stop.set()
        self.publisher.stop()
        self.link.stop(final=(self._topic(KioskChannel.PRESENCE),
                              self._presence("offline").encode()))
        self.store.close()

    # -- presence and telemetry ---------------------------------------------------------
    def _presence(self, state: str) -> KioskPresence:
        return KioskPresence(
            kiosk=self.kiosk_id, state=state,  # type: ignore[arg-type]
            station=self.config.station, software=__version__, devices=self._devices(),
            documents=self.documents.versions(), started_at=self.started_at)

    def _on_connect(self, _session_present: bool) -> None:
        self.publish_presence()

    def publish_presence(self) -> None:
        """Publish the retained birth message with current devices and document versions."""
        self.link.publish(self._topic(KioskChannel.PRESENCE),
                          self._presence("online").encode(), qos=1, retain=True)

    def telemetry(self) -> KioskTelemetry:
        """Return this kiosk's health right now."""
        depth = self.store.depth()
        return KioskTelemetry(
            kiosk=self.kiosk_id, station=self.config.station,
            uptime_s=(utc_now() - self.started_at).total_seconds(),
            outbox_depth=depth.pending, outbox_oldest_age_s=depth.oldest_age_s,
            devices=self._devices(), documents=self.documents.versions(),
            clock_offset_ms=self.clock_offset_ms)

    def prune_outbox(self) -> int:
        """Delete delivered events past the configured retention; returns how many."""
        pruned = self.store.prune_delivered(timedelta(days=self.config.outbox_keep_days))
        if pruned:
            log.info("pruned %d delivered event(s) older than %g days from the outbox",
                     pruned, self.config.outbox_keep_days)
        return pruned

    def _telemetry_loop(self) -> None:
        next_prune = 0.0
        while not self._stop.wait(self.config.telemetry_interval_s):
            if time.monotonic() >= next_prune:
                next_prune = time.monotonic() + _PRUNE_INTERVAL_S
                try:
                    self.prune_outbox()
                except Exception:
                    log.exception("pruning the outbox failed; trying again in an hour")
            try:
                self.measure_clock_offset()
                self.link.publish(self._topic(KioskChannel.TELEMETRY),
                                  self.telemetry().encode(), qos=0)
            except Exception:
                log.exception("telemetry round failed")

    def measure_clock_offset(self) -> float | None:
        """Ask the controller for its time; return and keep the offset in ms (None offline)."""
        if not self.link.connected.is_set():
            return None
        sent = time.time()
        try:
            answer = self.requests.ask(ClockQuery(), ClockAnswer, timeout_s=3.0)
        except (ControllerUnavailable, RequestRefused):
            return None
        received = time.time()
        controller_now = answer.now.timestamp()
        self.clock_offset_ms = (controller_now - (sent + received) / 2) * 1000
        return self.clock_offset_ms

    # -- documents ----------------------------------------------------------------------
    def follow_documents(self, topic_filter: str) -> None:
        """Also receive, cache and announce the documents matching ``topic_filter``."""
        if topic_filter not in self._followed:
            self._followed.append(topic_filter)
        self.link.subscribe(topic_filter, self._on_document, qos=1)

    def refresh_documents(self) -> None:
        """Subscribe again to every followed document filter: the broker resends them."""
        for topic_filter in list(self._followed):
            self.link.subscribe(topic_filter, self._on_document, qos=1)

    def on_document(self, listener: DocumentListener) -> None:
        """Call ``listener`` with each newly applied document."""
        self._listeners.append(listener)

    def _on_document(self, message: ReceivedMessage) -> None:
        try:
            applied = self.documents.offer_payload(message.topic, message.payload)
        except (DocumentRejected, TopicError) as exc:
            log.warning("kept the last good document: %s", exc)
            return
        if applied is None:
            return
        log.info("applied %s/%s version %d", applied.kind, applied.scope, applied.version)
        for listener in self._listeners:
            listener(applied)
        self.publish_presence()

    # -- synthetic load -----------------------------------------------------------------
    def generate(self, rate: float, count: int | None = None,
                 on_submit: Callable[[str], None] | None = None) -> int:
        """Submit synthetic applications at ``rate``/s until stopped or ``count`` reached."""
        interval = 1.0 / rate
        due = time.monotonic()
        made = 0
        while not self._stop.is_set() and (count is None or made < count):
            submitted = self.store.submit_application(
                lambda tracking_no: ApplicationSubmitted(
                    tracking_no=tracking_no, service="synthetic", channel="synthetic"))
            made += 1
            if on_submit:
                on_submit(submitted.tracking_no)
            due += interval
            delay = due - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
        return made

