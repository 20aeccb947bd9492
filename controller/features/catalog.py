"""Catalogue feature: the controller owns the service catalogue and publishes it to every
kiosk as the retained, versioned ``catalog/all`` document, like the schedules.

It is read from ``catalog.toml`` in the configuration folder at start; a new version is
published only when the catalogue changed. Kiosks apply it, keep the last good copy on
disk and serve from it while the controller is away.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sync.catalog import CatalogError, load_catalog
from sync.messages import ALL_STATIONS, DocumentKind
from sync.settings import config_file

if TYPE_CHECKING:
    from controller.documents import DocumentPublisher
    from controller.feature_context import FeatureContext

__all__ = ["attach", "publish_catalog"]

log = logging.getLogger(__name__)


def publish_catalog(documents: DocumentPublisher, path: Path) -> int:
    """Store and publish the catalogue in ``path``; return its document version.

    Raises CatalogError (saying what to fix in the file) when it is not a valid catalogue.
    """
    catalog = load_catalog(path)
    return documents.put(DocumentKind.CATALOG, ALL_STATIONS, json.loads(catalog.to_json()))


def attach(context: FeatureContext) -> None:
    """Publish the configured catalogue when the controller starts."""

    def seed() -> None:
        path = config_file("catalog.toml")
        try:
            version = publish_catalog(context.documents, path)
        except CatalogError as exc:
            log.error("the service catalogue in %s was not published: %s; kiosks keep their "
                      "last good copy", path, exc)
            return
        log.info("service catalogue from %s is document version %d", path, version)

    context.at_start(seed)
