"""Shared fixtures for device tests: fixture cards, emulators on real ptys, drivers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.emulators import IdCardEmulator, VirtualCard, load_cards
from devices.idcard import IdCardReader, IdentityCard
from devices.serial_link import Backoff


def pytest_assertrepr_compare(op: str, left: Any, right: Any) -> list[str] | None:
    """Explain IdentityCard mismatches by field name only, never by value."""
    if isinstance(left, IdentityCard) and isinstance(right, IdentityCard) and op == "==":
        differing = [
            name
            for name in IdentityCard.__dataclass_fields__
            if name != "photo" and getattr(left, name) != getattr(right, name)
        ]
        return [f"{left!r} == {right!r}", f"differing fields (values withheld): {differing}"]
    return None


@pytest.fixture(scope="session")
def cards() -> dict[str, VirtualCard]:
    """Return the fixture cards from config/devices/cards.toml by key."""
    return {card.key: card for card in load_cards()}


@pytest.fixture
def idcard_emulator(cards: dict[str, VirtualCard], tmp_path: Path) -> Iterator[IdCardEmulator]:
    """Yield a running ID-card emulator on a pty, reachable through a stable symlink."""
    with IdCardEmulator(list(cards.values()), link=tmp_path / "idcard") as emulator:
        emulator.slow_seconds = 0.6
        yield emulator


@pytest.fixture
def reader(idcard_emulator: IdCardEmulator) -> Iterator[IdCardReader]:
    """Yield a reader driver on the emulator with short deadlines and fast reconnects."""
    driver = IdCardReader(
        idcard_emulator.device_path,
        reply_timeout=0.3,
        backoff=Backoff(initial=0.05, maximum=0.2),
    )
    yield driver
    driver.close()
