"""Shared fixtures for device tests: fixture cards, emulators on real ptys, drivers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from devices.emulators import IdCardEmulator, PrinterEmulator, VirtualCard, load_cards
from devices.idcard import IdCardReader, IdentityCard
from devices.printer import Receipt, ReceiptPrinter
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


@pytest.fixture
def printer_emulator(tmp_path: Path) -> Iterator[PrinterEmulator]:
    """Yield a running printer emulator on a pty behind a stable symlink."""
    with PrinterEmulator(link=tmp_path / "printer") as emulator:
        yield emulator


@pytest.fixture
def printer(printer_emulator: PrinterEmulator) -> Iterator[ReceiptPrinter]:
    """Yield a printer driver on the emulator with fast reconnects."""
    driver = ReceiptPrinter(
        printer_emulator.device_path, status_timeout=0.1, backoff=Backoff(0.05, 0.2)
    )
    yield driver
    driver.close()


@pytest.fixture
def receipt() -> Receipt:
    """Return a typical after-hours receipt."""
    return Receipt(
        station="西湖区文三路社区警务站",
        service="机动车检验标志核发",
        tracking_number="HZ20240601-0007",
        issued_at=datetime(2024, 6, 1, 19, 30, tzinfo=UTC),
        masked_name="李**",
        next_steps=("工作日到窗口领取标志。", "请携带：身份证、行驶证！"),
        qr_payload="https://stationnet.example/t/HZ20240601-0007",
    )
