"""Retained, versioned documents: every version kept, the newest published retained."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from sync.envelope import format_utc, parse_utc, utc_now
from sync.messages import VersionedDocument
from sync.mqtt import MqttLink
from sync.topics import document_topic

from .db import PublishedDocument

__all__ = ["DocumentPublisher"]

log = logging.getLogger(__name__)


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class DocumentPublisher:
    """Stores document versions and publishes the newest of each retained."""

    def __init__(self, engine: Engine, link: MqttLink | None = None) -> None:
        self._engine = engine
        self._link = link

    def put(self, kind: str, scope: str, body: dict[str, Any], author: str = "controller") -> int:
        """Store ``body`` as a new version unless it equals the newest; publish; return version."""
        document_topic(kind, scope)  # validates kind and scope before anything is stored
        text = _canonical(body)
        with Session(self._engine) as session, session.begin():
            newest = self._newest(session, kind, scope)
            if newest is not None and newest.body == text:
                version = newest.version
            else:
                version = (newest.version if newest else 0) + 1
                session.add(PublishedDocument(kind=kind, scope=scope, version=version,
                                              published_at=format_utc(utc_now()),
                                              author=author, body=text))
        self.publish(kind, scope)
        return version

    @staticmethod
    def _newest(session: Session, kind: str, scope: str) -> PublishedDocument | None:
        return session.scalars(
            select(PublishedDocument)
            .where(PublishedDocument.kind == kind, PublishedDocument.scope == scope)
            .order_by(PublishedDocument.version.desc()).limit(1)
        ).first()

    def latest(self, kind: str, scope: str) -> VersionedDocument | None:
        """Return the newest version of a document, if any."""
        with Session(self._engine) as session:
            row = self._newest(session, kind, scope)
            if row is None:
                return None
            return VersionedDocument(kind=row.kind, scope=row.scope, version=row.version,
                                     published=parse_utc(row.published_at),
                                     body=json.loads(row.body))

    def publish(self, kind: str, scope: str) -> None:
        """Publish the newest version of one document retained (no-op without a link)."""
        doc = self.latest(kind, scope)
        if doc is None or self._link is None:
            return
        self._link.publish(document_topic(kind, scope), doc.encode(), qos=1, retain=True)

    def publish_all(self) -> None:
        """Publish the newest version of every document (after each connect)."""
        with Session(self._engine) as session:
            keys = session.execute(
                select(PublishedDocument.kind, PublishedDocument.scope).group_by(
                    PublishedDocument.kind, PublishedDocument.scope)).all()
        for kind, scope in keys:
            self.publish(kind, scope)

    def versions(self) -> dict[str, int]:
        """Return ``{"kind/scope": newest version}`` for every document."""
        with Session(self._engine) as session:
            rows = session.execute(
                select(PublishedDocument.kind, PublishedDocument.scope,
                       func.max(PublishedDocument.version))
                .group_by(PublishedDocument.kind, PublishedDocument.scope)).all()
        return {f"{kind}/{scope}": int(version) for kind, scope, version in rows}
