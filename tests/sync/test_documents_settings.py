"""Document cache keeps the last good version; configuration errors say what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.catalog import ServiceCatalog, load_catalog
from sync.documents import DocumentCache, DocumentRejected
from sync.messages import ALL_STATIONS, DocumentKind, VersionedDocument
from sync.settings import ConfigError, config_file, load_settings
from sync.topics import document_topic


def _doc(version: int, scope: str = "all", note: str = "x") -> VersionedDocument:
    return VersionedDocument(kind="stations", scope=scope, version=version, body={"note": note})


def test_only_newer_versions_apply_and_survive_restart(tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path)
    assert cache.offer(_doc(2, note="two"))
    assert not cache.offer(_doc(1, note="older"))
    assert not cache.offer(_doc(2, note="same version"))
    reopened = DocumentCache(tmp_path)
    held = reopened.get("stations", "all")
    assert held is not None and held.document.body == {"note": "two"}
    assert reopened.versions() == {"stations/all": 2}


def test_mismatched_or_broken_documents_are_refused(tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path)
    cache.offer(_doc(1))
    with pytest.raises(DocumentRejected):
        cache.offer_payload(document_topic("stations", "other"), _doc(5).encode())
    with pytest.raises(DocumentRejected):
        cache.offer_payload(document_topic("stations", "all"), b"{not json")
    assert cache.versions() == {"stations/all": 1}


def test_corrupt_cache_file_is_skipped_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "stations.all.json").write_text("garbage")
    assert DocumentCache(tmp_path).versions() == {}


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(body, encoding="utf-8")
    return path


STATION = ('[[stations]]\nid = "s1"\nname = "n"\ndistrict = "d"\naddress = "a"\n'
           "lat = 30.0\nlon = 120.0\n")


def test_environment_overrides_nested_keys(tmp_path: Path) -> None:
    path = _config(tmp_path, "[broker]\nport = 1883\n" + STATION)
    settings = load_settings(path, environ={"STATIONNET__BROKER__PORT": "1999",
                                            "STATIONNET__CONTROLLER__DATABASE_URL": "sqlite://"})
    assert settings.broker.port == 1999
    assert settings.controller.database_url == "sqlite://"


@pytest.mark.parametrize(("body", "words"), [
    ("[broker\n", "not valid TOML"),
    ("[broker]\nport = 99999\n", "broker.port"),
    ("[broker]\nprot = 1\n", "broker.prot"),
    (STATION + '[[kiosks]]\nid = "k1"\nstation = "nowhere"\n', "not among [[stations]]"),
    (STATION + STATION, "repeated: s1"),
])
def test_bad_configuration_names_the_problem(tmp_path: Path, body: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_settings(_config(tmp_path, body), environ={})


def test_missing_file_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="STATIONNET_CONFIG"):
        load_settings(tmp_path / "absent.toml", environ={})


def test_a_catalogue_document_that_is_no_catalogue_is_refused_and_the_good_one_stays(
        tmp_path: Path) -> None:
    catalog = load_catalog(config_file("catalog.toml"))
    good = VersionedDocument(kind=DocumentKind.CATALOG, scope=ALL_STATIONS, version=1,
                             body=json.loads(catalog.to_json()))
    broken = VersionedDocument(kind=DocumentKind.CATALOG, scope=ALL_STATIONS, version=2,
                               body={**good.body, "services": []})
    topic = document_topic(DocumentKind.CATALOG, ALL_STATIONS)
    cache = DocumentCache(tmp_path)
    assert cache.offer_payload(topic, good.encode()) is not None
    with pytest.raises(DocumentRejected, match="(?s)catalog/all version 2: .*no services"):
        cache.offer_payload(topic, broken.encode())
    held = DocumentCache(tmp_path).get(DocumentKind.CATALOG, ALL_STATIONS)  # after a restart
    assert held is not None and held.document.version == 1
    assert ServiceCatalog.from_mapping(held.document.body) == catalog


def test_sqlite_databases_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    from sqlalchemy import text

    from sync.storage import make_engine, sqlite_url

    old = tmp_path / "old.db"
    old.write_bytes(b"")
    old.chmod(0o644)  # a database made before files were created private
    for path in (tmp_path / "data" / "new.db", old):
        engine = make_engine(sqlite_url(path))
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
            made = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
            assert {p.name for p in made} >= {path.name, f"{path.name}-wal"}
            for file in made:
                assert stat.S_IMODE(os.stat(file).st_mode) == 0o600, file
        engine.dispose()
    assert stat.S_IMODE(os.stat(tmp_path / "data").st_mode) == 0o700
