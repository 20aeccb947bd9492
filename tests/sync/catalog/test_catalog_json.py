"""The catalogue travels as a JSON retained document and comes back identical."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sync.catalog import CatalogError, ServiceCatalog


def test_shipped_catalogue_round_trips_through_bytes(shipped_catalog: ServiceCatalog) -> None:
    payload = shipped_catalog.to_json()
    assert isinstance(payload, bytes)
    assert ServiceCatalog.from_json(payload) == shipped_catalog


def test_round_trip_through_text(shipped_catalog: ServiceCatalog) -> None:
    text = shipped_catalog.to_json().decode("utf-8")
    assert ServiceCatalog.from_json(text) == shipped_catalog


def test_equal_catalogues_serialize_identically(shipped_catalog: ServiceCatalog) -> None:
    again = ServiceCatalog.from_json(shipped_catalog.to_json())
    assert again.to_json() == shipped_catalog.to_json()


def test_json_keeps_chinese_readable_and_dates_iso(shipped_catalog: ServiceCatalog) -> None:
    document = json.loads(shipped_catalog.to_json())
    assert document["published"] == shipped_catalog.published.isoformat()
    assert document["services"][0]["title"]["zh"] == "驾驶证有效期满换证"


def test_invalid_json_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="not JSON"):
        ServiceCatalog.from_json(b"{not json")


def test_non_utf8_payload_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="not JSON"):
        ServiceCatalog.from_json(b"\xff\xfe\x00")


def test_json_that_is_not_an_object_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="not a JSON object"):
        ServiceCatalog.from_json("[1, 2]")


def test_invalid_document_in_json_names_the_service(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][1]["devices"] = ["fax"]
    with pytest.raises(CatalogError) as caught:
        ServiceCatalog.from_json(json.dumps(catalog_data), source="stationnet/catalog")
    assert str(caught.value).startswith("stationnet/catalog: 1 problem")
    assert caught.value.issues[0].service_id == "svc-b"
