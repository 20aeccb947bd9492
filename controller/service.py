"""The controller process: ingest, fleet registry, presence, documents, requests, HTTP API."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from sync import __version__
from sync.envelope import utc_now
from sync.limits import PAYLOAD_LIMITS
from sync.messages import ALL_STATIONS, ControllerPresence, DocumentKind
from sync.mqtt import LastWill, MqttLink
from sync.settings import Settings
from sync.storage import make_engine, sqlite_url
from sync.topics import CONTROLLER_PRESENCE, KioskChannel, kiosk_subscription

from .api import create_app
from .db import Station, migrate
from .documents import DocumentPublisher
from .feature_context import FeatureContext
from .features import discover
from .ingest import Ingest
from .ingest_buffer import IngestBuffer
from .quarantine import prune_quarantine, quarantine_policy
from .requests import RequestRouter
from .retention import RetentionWorker

__all__ = ["ControllerService", "controller_engine"]

_PACKET_OVERHEAD = 4096  # topic, properties and header around the largest payload

log = logging.getLogger(__name__)


def controller_engine(settings: Settings) -> Engine:
    """Return the engine of the configured database, migrated to the newest schema."""
    url = settings.controller.database_url or sqlite_url(
        settings.data_path() / "controller" / "controller.db")
    engine = make_engine(url)
    migrate(engine)
    return engine


class ControllerService:
    """Everything the controller runs, started and stopped together."""

    def __init__(self, settings: Settings, *, http: bool = True) -> None:
        self.settings = settings
        cfg = settings.controller
        self.engine = controller_engine(settings)
        self._sync_stations()
        offline = ControllerPresence(state="offline", software=__version__).encode()
        self.link = MqttLink(
            cfg.client_id, settings.broker.endpoint(), manual_ack=True,
            receive_maximum=cfg.receive_maximum, max_inflight=200,
            max_packet_bytes=max(PAYLOAD_LIMITS.values()) + _PACKET_OVERHEAD,
            will=LastWill(CONTROLLER_PRESENCE, offline), on_connect=self._on_connect,
        )
        policy = quarantine_policy(cfg)
        self.ingest = Ingest(
            self.engine, self.link.ack, batch_size=cfg.batch_size,
            batch_wait_ms=cfg.batch_wait_ms, quarantine=policy,
            buffer=IngestBuffer(max_messages=cfg.ingest_queue_messages,
                                max_bytes=cfg.ingest_queue_bytes,
                                telemetry_min_interval_s=cfg.telemetry_min_interval_s))
        self.retention = RetentionWorker(self.engine, cfg.retention_interval_s)
        self.retention.add("quarantine", lambda session, now: prune_quarantine(
            session, now, policy))
        self.documents = DocumentPublisher(self.engine, self.link)
        self.requests = RequestRouter(self.link)
        self.app = create_app(self.engine, self.status)
        self.on_start: list[Callable[[], None]] = []
        self.on_stop: list[Callable[[], None]] = []
        self.on_connect: list[Callable[[], None]] = []
        self._subscribe()
        for feature in discover():
            if hasattr(feature, "attach"):
                feature.attach(self._feature_context())
        self._http: uvicorn.Server | None = None
        self._http_thread: threading.Thread | None = None
        if http:
            self._http = uvicorn.Server(uvicorn.Config(
                self.app, host=cfg.http_host, port=cfg.http_port,
                log_level="warning", access_log=False))
        self.started_at = utc_now()

    def _feature_context(self) -> FeatureContext:
        """Return what a feature may use and register of this controller."""
        return FeatureContext(
            settings=self.settings, engine=self.engine, documents=self.documents,
            link=self.link, ingest=self.ingest, app=self.app, requests=self.requests,
            retention=self.retention, on_start=self.on_start, on_stop=self.on_stop,
            on_connect=self.on_connect)

    def _filter(self, channel: KioskChannel) -> str:
        plain = kiosk_subscription(channel)
        group = self.settings.controller.shared_group
        return f"$share/{group}/{plain}" if group else plain

    def _subscribe(self) -> None:
        self.link.subscribe(self._filter(KioskChannel.EVENTS), self.ingest.submit, qos=1)
        self.link.subscribe(self._filter(KioskChannel.PRESENCE), self.ingest.submit, qos=1)
        self.link.subscribe(self._filter(KioskChannel.TELEMETRY), self.ingest.submit, qos=0)
        self.link.subscribe(self._filter(KioskChannel.REQUEST), self._on_request, qos=1)

    def _on_request(self, message: Any) -> None:
        self.link.ack(message)  # a request is answered, not stored: ack it on arrival
        self.requests.submit(message)

    def _sync_stations(self) -> None:
        with Session(self.engine) as session, session.begin():
            for station in self.settings.stations:
                session.merge(Station(**station.model_dump()))

    def _on_connect(self, _session_present: bool) -> None:
        presence = ControllerPresence(state="online", software=__version__)
        self.link.publish(CONTROLLER_PRESENCE, presence.encode(), qos=1, retain=True)
        threading.Thread(target=self._publish_documents, daemon=True).start()

    def _publish_documents(self) -> None:
        try:
            self.documents.put(DocumentKind.STATIONS, ALL_STATIONS, {
                "stations": [s.model_dump() for s in self.settings.stations]})
            self.documents.publish_all()
        except Exception:
            log.exception("publishing documents failed; they will be published on reconnect")
        for hook in self.on_connect:
            try:
                hook()
            except Exception:
                log.exception("on-connect hook %s failed", hook)

    def status(self) -> dict[str, Any]:
        """Return live state for the health endpoint."""
        return {"status": "ok", "software": __version__,
                "broker_connected": self.link.connected.is_set(),
                "started_at": self.started_at.isoformat(),
                "ingest": self.ingest.status(),
                "documents": self.documents.versions()}

    def start(self) -> None:
        """Start ingest, the MQTT link and the HTTP API."""
        self.ingest.start()
        self.retention.start()
        for hook in self.on_start:
            hook()
        self.link.start()
        if self._http is not None:
            self._http_thread = threading.Thread(target=self._http.run, name="http", daemon=True)
            self._http_thread.start()

    def wait_ready(self, timeout: float = 15.0) -> bool:
        """Return True once the API listens and the broker has confirmed our subscriptions.

        False after ``timeout`` (broker away): the controller keeps trying in the
        background and serves its API meanwhile.
        """
        deadline = time.monotonic() + timeout
        while self._http is not None and not self._http.started:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return self.link.subscribed.wait(max(0.0, deadline - time.monotonic()))

    def stop(self) -> None:
        """Stop taking messages, commit and ack what is queued, say goodbye, stop the API."""
        self.ingest.stop()  # commit and acknowledge what has arrived while still connected
        self.retention.stop()
        for hook in self.on_stop:
            try:
                hook()
            except Exception:
                log.exception("stop hook %s failed", hook)
        offline = ControllerPresence(state="offline", software=__version__).encode()
        self.link.stop(final=(CONTROLLER_PRESENCE, offline))
        self.requests.close()
        if self._http is not None:
            self._http.should_exit = True
            if self._http_thread is not None:
                self._http_thread.join(5)
        self.engine.dispose()

