"""Citizen ID numbers (GB 11643): the ISO 7064 MOD 11-2 check digit and embedded birth date."""

from __future__ import annotations

from datetime import date
from typing import Final

__all__ = ["check_digit", "embedded_birth_date", "is_valid_citizen_number"]

_WEIGHTS: Final = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS: Final = "10X98765432"


def check_digit(first17: str) -> str:
    """Return the check character ('0'-'9' or 'X') for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("a citizen number's body is exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def embedded_birth_date(number: str) -> date | None:
    """Return the birth date encoded in positions 7-14, or None if it is not a date."""
    digits = number[6:14]
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def is_valid_citizen_number(number: str) -> bool:
    """Return whether ``number`` is 18 characters with a correct check digit and birth date."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    return check_digit(number[:17]) == number[17] and embedded_birth_date(number) is not None
