"""Retained, versioned documents: the kiosk's last-good cache on disk.

The controller publishes each document (schedule, catalogue, …) retained on
``stationnet/v1/doc/<kind>/<scope>``. A kiosk applies a document only when its version is
newer than the one it holds, writes it atomically, and keeps serving from it when the
controller is away; it always knows how old its copy is. A document whose body does not
read as its kind (a catalogue that is not a valid :class:`ServiceCatalog`) is refused
before it is stored, so the last good copy stays.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .catalog import ServiceCatalog
from .envelope import format_utc, parse_utc, utc_now
from .messages import DocumentKind, MessageSchemaError, VersionedDocument, parse_message
from .topics import parse_document_topic, validate_id

__all__ = ["DocumentCache", "StoredDocument", "DocumentRejected"]

log = logging.getLogger(__name__)


def _catalog(body: dict[str, Any]) -> object:
    return ServiceCatalog.from_mapping(body, "catalog document")


# How each kind's body is read; each raises ValueError (with what is wrong) when it does not.
_BODY_READERS: dict[str, Callable[[dict[str, Any]], object]] = {
    DocumentKind.CATALOG: _catalog,
}


class DocumentRejected(ValueError):
    """A published document that cannot be applied; the last good one stays."""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as the kiosk holds it, with when it was received."""

    document: VersionedDocument
    received: datetime

    def age_s(self, now: datetime | None = None) -> float:
        """Return how many seconds ago this copy was received."""
        return ((now or utc_now()) - self.received).total_seconds()


def _check_body(doc: VersionedDocument) -> None:
    """Raise DocumentRejected if ``doc``'s body does not read as its kind."""
    reader = _BODY_READERS.get(doc.kind)
    try:
        if reader is not None:
            reader(doc.body)
    except ValueError as exc:
        raise DocumentRejected(f"{doc.kind}/{doc.scope} version {doc.version}: {exc}") from None


class DocumentCache:
    """Last good version of each (kind, scope) document, kept in a folder."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._docs: dict[tuple[str, str], StoredDocument] = {}
        self._load()

    def _path(self, kind: str, scope: str) -> Path:
        return self._folder / f"{validate_id(kind)}.{validate_id(scope)}.json"

    def _load(self) -> None:
        for path in sorted(self._folder.glob("*.json")):
            try:
                raw = json.loads(path.read_bytes())
                doc = VersionedDocument.model_validate(raw["document"])
                _check_body(doc)
                stored = StoredDocument(doc, parse_utc(raw["received"]))
            except (OSError, ValueError, KeyError, TypeError) as exc:  # DocumentRejected too
                log.warning("ignoring unreadable cached document %s: %s", path.name, exc)
                continue
            self._docs[(doc.kind, doc.scope)] = stored

    def offer_payload(self, topic: str, payload: bytes) -> VersionedDocument | None:
        """Apply a retained message's document if newer; return it when applied."""
        kind, scope = parse_document_topic(topic)
        try:
            doc = parse_message(VersionedDocument, payload)
        except MessageSchemaError as exc:
            raise DocumentRejected(f"document on {topic}: {exc}") from None
        if (doc.kind, doc.scope) != (kind, scope):
            raise DocumentRejected(
                f"document on {topic} says it is {doc.kind}/{doc.scope}; refusing it"
            )
        _check_body(doc)
        return doc if self.offer(doc) else None

    def offer(self, doc: VersionedDocument) -> bool:
        """Store ``doc`` if its version is newer than the held one; True when applied."""
        key = (doc.kind, doc.scope)
        with self._lock:
            held = self._docs.get(key)
            if held is not None and held.document.version >= doc.version:
                return False
            stored = StoredDocument(doc, utc_now())
            self._write(stored)
            self._docs[key] = stored
        return True

    def _write(self, stored: StoredDocument) -> None:
        doc = stored.document
        path = self._path(doc.kind, doc.scope)
        tmp = path.with_suffix(".tmp")
        data = json.dumps({"document": doc.model_dump(mode="json"),
                           "received": format_utc(stored.received)}, ensure_ascii=False)
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    def get(self, kind: str, scope: str) -> StoredDocument | None:
        """Return the held document of ``kind`` for ``scope``, if any."""
        with self._lock:
            return self._docs.get((kind, scope))

    def versions(self) -> dict[str, int]:
        """Return ``{"kind/scope": version}`` of everything held, for presence/telemetry."""
        with self._lock:
            return {f"{k}/{s}": d.document.version for (k, s), d in sorted(self._docs.items())}
