"""The controller's HTTP JSON API (FastAPI): fleet, kiosks, events, quarantine, gaps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from . import queries

__all__ = ["create_app"]


def _session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


DB = Annotated[Session, Depends(_session)]


def create_app(engine: Engine, status: Callable[[], dict[str, Any]]) -> FastAPI:
    """Return the API app reading ``engine``; ``status`` reports live process state."""
    app = FastAPI(title="stationnet controller", version="1")
    app.state.engine = engine

    @app.get("/api/v1/health")
    def health() -> dict[str, Any]:
        return status()

    @app.get("/api/v1/fleet")
    def fleet(db: DB) -> dict[str, Any]:
        return queries.fleet(db)

    @app.get("/api/v1/kiosks/{kiosk_id}")
    def kiosk(kiosk_id: str, db: DB) -> dict[str, Any]:
        try:
            return queries.kiosk_detail(db, kiosk_id)
        except queries.KioskNotFound as exc:
            raise HTTPException(404, str(exc)) from None

    @app.get("/api/v1/kiosks/{kiosk_id}/events")
    def kiosk_events(kiosk_id: str, db: DB, after: int = 0,
                     limit: Annotated[int, Query(ge=1, le=5000)] = 100) -> list[dict[str, Any]]:
        return queries.events(db, kiosk_id=kiosk_id, after=after, limit=limit)

    @app.get("/api/v1/events")
    def events(db: DB, kiosk: str | None = None, type: str | None = None, after: int = 0,
               limit: Annotated[int, Query(ge=1, le=5000)] = 100) -> list[dict[str, Any]]:
        return queries.events(db, kiosk_id=kiosk, event_type=type, after=after, limit=limit)

    @app.get("/api/v1/quarantine")
    def quarantine(db: DB,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
        return queries.quarantine(db, limit=limit)

    @app.get("/api/v1/gaps")
    def gaps(db: DB, open: bool = False, kiosk: str | None = None) -> list[dict[str, Any]]:
        return queries.gaps(db, kiosk_id=kiosk, open_only=open)

    return app
