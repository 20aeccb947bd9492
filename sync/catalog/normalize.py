"""Normalizes what a citizen typed on a touch keyboard before it is validated."""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_INPUT_LENGTH", "compact", "normalized"]

MAX_INPUT_LENGTH = 200


def normalized(raw: str) -> str:
    """Return ``raw`` NFKC-normalized (full-width digits and letters to ASCII), trimmed."""
    return unicodedata.normalize("NFKC", raw[: MAX_INPUT_LENGTH * 2]).strip()


def compact(raw: str, drop: str = "") -> str:
    """Return ``raw`` normalized without whitespace and without the characters in ``drop``."""
    return "".join(normalized(raw).split()).translate(str.maketrans("", "", drop))
