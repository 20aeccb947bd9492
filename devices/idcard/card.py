"""The identity read from a card, as a frozen value that masks itself in logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from devices.idcard.citizen_id import embedded_birth_date, is_valid_citizen_number
from devices.idcard.errors import InvalidCardData
from devices.idcard.nations import NATIONS, Gender

__all__ = ["CardKind", "IdentityCard", "mask_name", "mask_number"]

_HMT_PREFIXES = ("81", "82", "83")  # Hong Kong, Macau, Taiwan


class CardKind(StrEnum):
    """Which document the chip holds; the value is the card-type flag's meaning."""

    RESIDENT = "resident"
    FOREIGN_PERMANENT = "foreign-permanent"  # flag I
    HMT_RESIDENCE = "hmt-residence"  # flag J


def mask_name(name: str) -> str:
    """Return ``name`` with all but its first character replaced by ``*``."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_number(number: str) -> str:
    """Return ``number`` with only its first 6 and last 4 characters shown."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


@dataclass(frozen=True, repr=False)
class IdentityCard:
    """A validated identity card; ``repr``/``str`` show only masked data.

    Personal data lives only in memory for one session: never log the fields, use
    ``masked_name``/``masked_number``; call :meth:`wipe` and drop the reference when the
    session ends. The photo is the vendor-encoded WLT image, kept raw.
    """

    kind: CardKind
    name: str
    gender: Gender
    birth_date: date
    number: str
    valid_from: date
    valid_to: date | None  # None: 长期, no expiry
    authority: str = ""
    nation_code: str = ""
    address: str = ""
    english_name: str = ""
    nationality: str = ""
    card_version: str = ""
    pass_number: str = ""
    issue_count: int | None = None
    photo: bytearray = field(default_factory=bytearray, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not (self.name or self.english_name):
            raise InvalidCardData("name")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise InvalidCardData("validity period")
        if self.kind is CardKind.FOREIGN_PERMANENT:
            if len(self.number) != 15 or not self.number.isascii() or not self.number.isalnum():
                raise InvalidCardData("permanent residence card number")
            return
        if not is_valid_citizen_number(self.number):
            raise InvalidCardData("ID number")
        if embedded_birth_date(self.number) != self.birth_date:
            raise InvalidCardData("birth date")
        if self.kind is CardKind.RESIDENT and self.nation_code not in NATIONS:
            raise InvalidCardData("nation code")
        if self.kind is CardKind.HMT_RESIDENCE and not self.number.startswith(_HMT_PREFIXES):
            raise InvalidCardData("residence permit number")

    @property
    def nation(self) -> str:
        """Return the nation's name (resident cards), or '' when the card has none."""
        return NATIONS.get(self.nation_code, "")

    @property
    def is_long_term(self) -> bool:
        """Return whether the card is valid without expiry (长期)."""
        return self.valid_to is None

    def is_expired(self, on: date) -> bool:
        """Return whether the card has expired by the day ``on``."""
        return self.valid_to is not None and on > self.valid_to

    @property
    def masked_name(self) -> str:
        """Return the name safe to show or log, e.g. '张*'."""
        return mask_name(self.name or self.english_name)

    @property
    def masked_number(self) -> str:
        """Return the card number safe to show or log, e.g. '330106********123X'."""
        return mask_number(self.number)

    def wipe(self) -> None:
        """Zero the photo buffer in place; drop the card reference afterwards.

        Python strings cannot be overwritten, so the text fields are released by dropping
        every reference; the photo is the only large mutable copy and is zeroed here.
        """
        self.photo[:] = bytes(len(self.photo))

    def __repr__(self) -> str:
        return (
            f"IdentityCard(kind={self.kind.value}, name={self.masked_name!r}, "
            f"number={self.masked_number!r}, address=<hidden>, photo=<{len(self.photo)} bytes>)"
        )

    __str__ = __repr__
