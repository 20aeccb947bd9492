"""Fixtures for the service catalogue tests: the shipped file and a minimal valid document."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sync.catalog import ServiceCatalog, load_catalog

SHIPPED_CATALOG = Path(__file__).resolve().parents[3] / "config" / "catalog.toml"


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def minimal_service(service_id: str, **overrides: Any) -> dict[str, Any]:
    """Return raw data of a valid self-service service, with ``overrides`` applied."""
    service: dict[str, Any] = {
        "id": service_id,
        "category": "driver_licence",
        "visit_list": "at_most_once",
        "title": _text("标题", "Title"),
        "where": _text("服务站", "The station"),
        "bring": [_text("身份证", "ID card")],
        "steps": [_text("刷卡", "Tap the card"), _text("确认", "Confirm")],
        "fees": _text("免费", "Free"),
        "time_limit": _text("当场办结", "On the spot"),
        "caveats": [_text("注意", "Note")],
        "modes": ["staffed", "self_service"],
        "devices": ["idcard", "printer"],
        "form_fields": ["phone"],
        "needs_id_number": True,
        "allows_qr_identification": False,
    }
    service.update(overrides)
    return service


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    """Raw data of a valid two-service catalogue, fresh for each test to mutate."""
    return copy.deepcopy(
        {
            "version": 3,
            "published": "2017-03-01",
            "locale": ["zh", "en"],
            "services": [minimal_service("svc-a"), minimal_service("svc-b")],
        }
    )


@pytest.fixture
def service_data() -> Callable[..., dict[str, Any]]:
    """The builder of raw data of a valid service: ``service_data(id, **overrides)``."""
    return minimal_service


@pytest.fixture(scope="session")
def shipped_catalog_path() -> Path:
    """The path of config/catalog.toml."""
    return SHIPPED_CATALOG


@pytest.fixture(scope="session")
def shipped_catalog() -> ServiceCatalog:
    """The catalogue in config/catalog.toml."""
    return load_catalog(SHIPPED_CATALOG)
