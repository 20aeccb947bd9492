"""Fixtures for tests of the real kiosk window: a virtual display and kiosk app processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kiosk_window as driver  # noqa: E402
import pytest


@pytest.fixture
def kiosk_window(tmp_path: Path, display: str) -> Iterator[Callable[..., Any]]:
    """Make kiosk windows (each with its own emulators); all are stopped after the test."""
    made: list[Any] = []

    def make(**options: Any) -> Any:
        window = driver.KioskWindow(tmp_path / f"kiosk{len(made)}", display, **options)
        made.append(window)
        return window

    yield make
    for window in made:
        window.stop()


@pytest.fixture
def open_schedule() -> Any:
    """Return schedule documents open around the clock (self-service) for a station."""
    return driver.schedule_document
