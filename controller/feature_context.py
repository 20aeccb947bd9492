"""What a controller feature may use and register, and nothing more.

A feature (``controller/features/*.py``) gets a :class:`FeatureContext` in ``attach``:
the settings, the database, the document publisher, the MQTT link and the ingest
counters to read; routes, request handlers, ingest projectors, retention jobs and
start/stop/connect hooks to register. It never holds the whole controller, so what a
feature can reach is written here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from sync.mqtt import MqttLink
from sync.request_bodies import RequestType
from sync.settings import Settings

from .documents import DocumentPublisher
from .ingest import Ingest, IngestStats, Projector
from .requests import RequestHandler, RequestRouter
from .retention import RetentionJob, RetentionWorker

__all__ = ["FeatureContext"]

Hook = Callable[[], None]


class FeatureContext:
    """One controller as its features see it."""

    def __init__(self, *, settings: Settings, engine: Engine, documents: DocumentPublisher,
                 link: MqttLink, ingest: Ingest, app: FastAPI, requests: RequestRouter,
                 retention: RetentionWorker, on_start: list[Hook], on_stop: list[Hook],
                 on_connect: list[Hook]) -> None:
        self.settings, self.engine, self.documents = settings, engine, documents
        self.link = link  # commands are published and answered on it
        self.ingest_stats: IngestStats = ingest.stats
        self._app, self._requests, self._ingest = app, requests, ingest
        self._retention = retention
        self._on_start, self._on_stop, self._on_connect = on_start, on_stop, on_connect

    def add_routes(self, router: APIRouter) -> None:
        """Serve ``router``'s routes on the controller's HTTP API."""
        self._app.include_router(router)

    def share(self, name: str, value: Any) -> None:
        """Make ``value`` reachable as ``app.state.<name>`` (for routes and tests)."""
        setattr(self._app.state, name, value)

    def answer(self, request_type: RequestType, handler: RequestHandler) -> None:
        """Answer the kiosks' requests of ``request_type`` with ``handler``."""
        self._requests.register(request_type, handler)

    def project(self, projector: Projector) -> None:
        """Run ``projector`` on every batch of events, in the batch's transaction."""
        self._ingest.projectors.append(projector)

    def retain(self, name: str, job: RetentionJob) -> None:
        """Run retention ``job`` (what it deleted, counted) with the controller's others."""
        self._retention.add(name, job)

    def at_start(self, hook: Hook) -> None:
        """Call ``hook`` when the controller starts, before it connects to the broker."""
        self._on_start.append(hook)

    def at_stop(self, hook: Hook) -> None:
        """Call ``hook`` when the controller stops."""
        self._on_stop.append(hook)

    def at_connect(self, hook: Hook) -> None:
        """Call ``hook`` each time the controller (re)connects to the broker."""
        self._on_connect.append(hook)
