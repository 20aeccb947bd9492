"""Virtual cards for the ID-card emulator, loaded from a TOML fixtures file."""

from __future__ import annotations

import hashlib
import importlib.resources
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from devices.idcard.card import CardKind, IdentityCard
from devices.idcard.nations import Gender
from devices.idcard.textblock import LONG_TERM

__all__ = ["default_cards", "VirtualCard", "load_cards", "virtual_card"]

_BLOCK = 1024


@dataclass(frozen=True, repr=False)
class VirtualCard:
    """A card the emulator can hold: its identity, chip photo and fingerprint blocks."""

    key: str
    card: IdentityCard
    newest_address: str | None = None
    fingerprint: bytes = field(default=b"", compare=False)

    def __repr__(self) -> str:
        return f"VirtualCard({self.key!r}, {self.card!r})"


def _filler(key: str, purpose: str) -> bytes:
    """Return 1024 deterministic bytes standing in for a vendor-encoded block."""
    out = bytearray()
    seed = f"{key}:{purpose}".encode()
    while len(out) < _BLOCK:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:_BLOCK])


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def virtual_card(entry: Mapping[str, Any]) -> VirtualCard:
    """Return the VirtualCard described by one ``[[card]]`` table of the fixtures file."""
    key = str(entry["key"])
    valid_to = entry["valid_to"]
    card = IdentityCard(
        kind=CardKind(entry.get("kind", "resident")),
        name=str(entry.get("name", "")),
        gender=Gender(str(entry.get("gender", "1"))),
        birth_date=_day(entry["birth_date"]),
        number=str(entry["number"]),
        valid_from=_day(entry["valid_from"]),
        valid_to=None if valid_to == LONG_TERM else _day(valid_to),
        authority=str(entry.get("authority", "")),
        nation_code=str(entry.get("nation_code", "")),
        address=str(entry.get("address", "")),
        english_name=str(entry.get("english_name", "")),
        nationality=str(entry.get("nationality", "")),
        card_version=str(entry.get("card_version", "")),
        pass_number=str(entry.get("pass_number", "")),
        issue_count=entry.get("issue_count"),
        photo=bytearray(_filler(key, "photo")),
    )
    return VirtualCard(key, card, entry.get("newest_address"), _filler(key, "fingerprint"))


def default_cards() -> Path:
    """Return the fictitious cards shipped in ``config/devices/cards.toml``.

    The configuration folder is installed with the package as ``stationnet_config``.
    """
    return Path(str(importlib.resources.files("stationnet_config") / "devices" / "cards.toml"))


def load_cards(path: str | Path | None = None) -> list[VirtualCard]:
    """Return the cards in a fixtures file (default: the shipped ones), in file order."""
    with open(path or default_cards(), "rb") as fh:
        document = tomllib.load(fh)
    return [virtual_card(entry) for entry in document.get("card", [])]
