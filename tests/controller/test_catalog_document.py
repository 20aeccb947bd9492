"""The controller publishes the service catalogue as a versioned document."""

from __future__ import annotations

from pathlib import Path

import pytest

from controller.db import migrate
from controller.documents import DocumentPublisher
from controller.features.catalog import publish_catalog
from sync.catalog import CatalogError, ServiceCatalog
from sync.messages import ALL_STATIONS, DocumentKind
from sync.settings import config_file
from sync.storage import make_engine, sqlite_url


@pytest.fixture
def documents(tmp_path: Path) -> DocumentPublisher:
    engine = make_engine(sqlite_url(tmp_path / "c.db"))
    migrate(engine)
    return DocumentPublisher(engine)


def test_a_new_version_only_when_the_catalogue_changed(documents: DocumentPublisher,
                                                       tmp_path: Path) -> None:
    shipped = config_file("catalog.toml")
    assert publish_catalog(documents, shipped) == 1
    assert publish_catalog(documents, shipped) == 1  # a restart publishes the same version
    edited = tmp_path / "catalog.toml"
    edited.write_text(shipped.read_text(encoding="utf-8").replace("version = 1", "version = 2",
                                                                  1), encoding="utf-8")
    assert publish_catalog(documents, edited) == 2
    latest = documents.latest(DocumentKind.CATALOG, ALL_STATIONS)
    assert latest is not None and ServiceCatalog.from_mapping(latest.body).version == 2


def test_a_broken_catalogue_is_refused_and_the_published_one_stays(
        documents: DocumentPublisher, tmp_path: Path) -> None:
    publish_catalog(documents, config_file("catalog.toml"))
    broken = tmp_path / "catalog.toml"
    broken.write_text("version = 3\npublished = 2026-11-25\nlocale = ['zh']\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="locale"):
        publish_catalog(documents, broken)
    assert documents.versions() == {"catalog/all": 1}
