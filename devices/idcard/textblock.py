"""The 256-byte UCS-2 text block: parse it into an IdentityCard, or build one (emulator)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from devices.idcard.card import CardKind, IdentityCard
from devices.idcard.errors import InvalidCardData
from devices.idcard.nations import Gender

__all__ = ["LONG_TERM", "TEXT_BLOCK_SIZE", "encode_text_block", "parse_text_block"]

TEXT_BLOCK_SIZE: Final = 256
LONG_TERM: Final = "长期"
_FLAG: Final = (248, 2)
_FLAGS: Final = {"I": CardKind.FOREIGN_PERMANENT, "J": CardKind.HMT_RESIDENCE}

# field -> (byte offset, byte length), per card layout
_RESIDENT: Final = {
    "name": (0, 30),
    "gender": (30, 2),
    "nation": (32, 4),
    "birth": (36, 16),
    "address": (52, 70),
    "number": (122, 36),
    "authority": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
}
_HMT: Final = {**_RESIDENT, "pass_number": (220, 18), "issue_count": (238, 4)}
del _HMT["nation"]
_FOREIGN: Final = {
    "english_name": (0, 120),
    "gender": (120, 2),
    "number": (122, 30),
    "nationality": (152, 6),
    "name": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "birth": (220, 16),
    "card_version": (236, 4),
    "authority": (240, 8),
}
LAYOUTS: Final[Mapping[CardKind, Mapping[str, tuple[int, int]]]] = {
    CardKind.RESIDENT: _RESIDENT,
    CardKind.HMT_RESIDENCE: _HMT,
    CardKind.FOREIGN_PERMANENT: _FOREIGN,
}


def _text(block: bytes, span: tuple[int, int], name: str) -> str:
    offset, length = span
    try:
        return block[offset : offset + length].decode("utf-16-le").rstrip(" \x00")
    except UnicodeDecodeError:
        raise InvalidCardData(name) from None


def _date(text: str, name: str) -> date:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise InvalidCardData(name)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise InvalidCardData(name) from None


def card_kind(block: bytes) -> CardKind:
    """Return the layout the block uses, from its card-type flag."""
    flag = _text(block, _FLAG, "card type")
    return _FLAGS.get(flag, CardKind.RESIDENT)


def parse_text_block(block: bytes, photo: bytes = b"") -> IdentityCard:
    """Return the IdentityCard in a 256-byte text block; raise InvalidCardData if invalid."""
    if len(block) != TEXT_BLOCK_SIZE:
        raise InvalidCardData("text block length")
    kind = card_kind(block)
    f = {name: _text(block, span, name) for name, span in LAYOUTS[kind].items()}
    try:
        gender = Gender(f["gender"])
    except ValueError:
        raise InvalidCardData("gender code") from None
    valid_to = None if f["valid_to"] == LONG_TERM else _date(f["valid_to"], "expiry date")
    issue = f.get("issue_count", "")
    if issue and not (issue.isascii() and issue.isdigit()):
        raise InvalidCardData("issue count")
    return IdentityCard(
        kind=kind,
        name=f["name"],
        gender=gender,
        birth_date=_date(f["birth"], "birth date"),
        number=f["number"],
        valid_from=_date(f["valid_from"], "start of validity"),
        valid_to=valid_to,
        authority=f["authority"],
        nation_code=f.get("nation", ""),
        address=f.get("address", ""),
        english_name=f.get("english_name", ""),
        nationality=f.get("nationality", ""),
        card_version=f.get("card_version", ""),
        pass_number=f.get("pass_number", ""),
        issue_count=int(issue) if issue else None,
        photo=bytearray(photo),
    )


def _values(card: IdentityCard) -> dict[str, str]:
    return {
        "name": card.name,
        "english_name": card.english_name,
        "gender": card.gender.value,
        "nation": card.nation_code,
        "birth": card.birth_date.strftime("%Y%m%d"),
        "address": card.address,
        "number": card.number,
        "authority": card.authority,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": LONG_TERM if card.valid_to is None else card.valid_to.strftime("%Y%m%d"),
        "nationality": card.nationality,
        "card_version": card.card_version,
        "pass_number": card.pass_number,
        "issue_count": "" if card.issue_count is None else f"{card.issue_count:02d}",
    }


def encode_text_block(card: IdentityCard) -> bytes:
    """Return the 256-byte text block a chip holding ``card`` sends (space-padded UCS-2)."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_BLOCK_SIZE // 2))
    values = _values(card)
    for name, (offset, length) in LAYOUTS[card.kind].items():
        raw = values[name].encode("utf-16-le")
        if len(raw) > length:
            raise ValueError(f"{name} does not fit its {length // 2}-character field")
        block[offset : offset + len(raw)] = raw
    flag = {v: k for k, v in _FLAGS.items()}.get(card.kind, " ")
    block[_FLAG[0] : _FLAG[0] + 2] = flag.encode("utf-16-le")
    return bytes(block)
