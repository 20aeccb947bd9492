"""Retained documents reach kiosks and outlive the controller; requests get answers."""

from __future__ import annotations

import json

import httpx
from harness import Network, wait_for

from sync.catalog import ServiceCatalog, load_catalog
from sync.documents import DocumentCache
from sync.messages import ALL_STATIONS, DocumentKind
from sync.settings import config_file


def _cached(network: Network, kiosk_id: str) -> dict[str, int]:
    folder = network.data / "kiosks" / kiosk_id / "documents"
    return DocumentCache(folder).versions() if folder.exists() else {}


def test_kiosk_applies_published_documents_and_keeps_them_offline(network: Network) -> None:
    controller = network.controller()
    kiosk = network.kiosk("k-wensan-1")
    wait_for(lambda: _cached(network, "k-wensan-1").get("stations/all") == 1, 10,
             "the stations document at the kiosk")
    kiosk.terminate()
    # Read the cache only once the kiosk has stopped: documents still arriving after the
    # first one must not make the comparison race.
    before = _cached(network, "k-wensan-1")
    controller.kill()
    network.broker.stop()
    network.kiosk("k-wensan-1")  # no broker, no controller: starts from its own disk
    assert before["stations/all"] == 1
    assert _cached(network, "k-wensan-1") == before


def test_kiosk_reports_clock_offset_and_document_versions_in_telemetry(network: Network) -> None:
    network.controller()
    network.kiosk("k-daguan-1")

    def telemetry() -> dict[str, object] | None:
        detail = httpx.get(f"{network.api}/api/v1/kiosks/k-daguan-1")
        if detail.status_code != 200 or not detail.json()["telemetry"]:
            return None
        report = detail.json()["telemetry"]
        return report if report.get("clock_offset_ms") is not None else None

    report = wait_for(telemetry, 15, "telemetry with a clock offset")
    assert abs(float(report["clock_offset_ms"])) < 1000  # same machine: same clock
    assert report["documents"]["stations/all"] == 1
    assert report["outbox_depth"] == 0


def test_controller_publishes_the_station_directory(network: Network) -> None:
    network.controller()
    health = httpx.get(f"{network.api}/api/v1/health").json()
    assert health["broker_connected"] is True
    assert health["documents"]["stations/all"] == 1
    network.kiosk("k-wensan-1")
    wait_for(lambda: "stations/all" in _cached(network, "k-wensan-1"), 10,
             "the stations document cached")
    stored = json.loads((network.data / "kiosks" / "k-wensan-1" / "documents" /
                         "stations.all.json").read_text())
    assert {s["id"] for s in stored["document"]["body"]["stations"]} == {
        "hz-xihu-wensan", "hz-gongshu-daguan"}


def test_controller_publishes_the_catalogue_and_kiosks_serve_it_offline(
        network: Network) -> None:
    controller = network.controller()
    health = httpx.get(f"{network.api}/api/v1/health").json()
    assert health["documents"]["catalog/all"] == 1
    kiosk = network.kiosk("k-wensan-1")
    wait_for(lambda: _cached(network, "k-wensan-1").get("catalog/all") == 1, 10,
             "the catalogue document at the kiosk")
    kiosk.terminate()
    controller.kill()
    network.broker.stop()
    network.kiosk("k-wensan-1")  # no broker, no controller: its own copy is what it serves
    held = DocumentCache(network.data / "kiosks" / "k-wensan-1" / "documents").get(
        DocumentKind.CATALOG, ALL_STATIONS)
    assert held is not None
    shipped = load_catalog(config_file("catalog.toml"))
    assert ServiceCatalog.from_mapping(held.document.body) == shipped
