"""Shared builders for the schedule core tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sync.schedule import StationSchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Officers on weekday evenings and weekend days, kiosks 07:00-22:30 every day.
BASE_DOCUMENT: dict[str, Any] = {
    "station_id": "hz-test-station",
    "version": 1,
    "effective_from": "2024-01-01",
    "weekly": {
        "staffed": {"mo-fr": ["17:30-21:00"], "sa-su": ["09:00-17:00"]},
        "self_service": {"daily": ["07:00-22:30"]},
    },
    "holidays": {"staffed": "closed", "self_service": "regular"},
    "makeup_workday_follows": "mo",
}


def build_schedule(**changes: Any) -> StationSchedule:
    """The base document with top-level fields replaced."""
    return StationSchedule.model_validate({**BASE_DOCUMENT, **changes})


@pytest.fixture
def schedule_factory() -> Callable[..., StationSchedule]:
    return build_schedule


@pytest.fixture
def at() -> Callable[[str], datetime]:
    """Parse "2025-01-26T18:00" as Shanghai wall time."""

    def parse(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)

    return parse
