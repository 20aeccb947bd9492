"""Mainland number-plate validation (GA 36 common civilian formats).

Accepted, after the province character and the issuing-office letter (A-Z without I, O):

- ordinary blue/yellow plates: 5 letters or digits (no I or O) -- 浙A12345, 浙AB123C;
- small new-energy plates: D (battery-electric) or F (other new energy), then a letter
  or digit, then 4 digits -- 浙AD12345, 浙AFA1234;
- large new-energy plates: 5 digits then D or F -- 浙A12345D;
- trailer and driving-school plates: 4 letters or digits then 挂 or 学 -- 浙A1234挂.

Not accepted (the kiosk sends these to the staffed counter): police, embassy/consulate,
Hong Kong/Macau crossing, military, test and temporary plates.
"""

from __future__ import annotations

import re

from .errors import FieldError
from .normalize import compact

__all__ = ["PROVINCES", "validate_plate"]

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

_LETTER = "A-HJ-NP-Z"
_SERIAL = re.compile(
    rf"[{_LETTER}0-9]{{5}}"  # ordinary
    rf"|[DF][{_LETTER}0-9][0-9]{{4}}"  # small new-energy
    r"|[0-9]{5}[DF]"  # large new-energy
    rf"|[{_LETTER}0-9]{{4}}[挂学]"  # trailer, driving school
)
_SEPARATORS = "·•・.-"


def validate_plate(raw: str) -> str:
    """Return the plate as 浙A12345 (no separator, upper case); raises FieldError."""
    plate = compact(raw, drop=_SEPARATORS).upper()
    if not plate:
        raise _error("请输入号牌号码，如 浙A12345", "Enter the plate number, e.g. 浙A12345")
    if plate[0] not in PROVINCES:
        raise _error(
            "号牌须以省份简称开头，如“浙”",
            "The plate must start with a province character such as 浙",
        )
    if len(plate) < 2 or not re.fullmatch(f"[{_LETTER}]", plate[1]):
        raise _error(
            "省份简称后应为发牌机关字母（不含 I、O），如 浙A",
            "After the province character comes the issuing-office letter (not I or O), e.g. 浙A",
        )
    if not _SERIAL.fullmatch(plate[2:]):
        raise _error(
            "号牌序号应为5位字母或数字（不含 I、O）；新能源号牌为6位，如 浙AD12345",
            "After the first two characters come 5 letters or digits (no I or O); "
            "new-energy plates have 6, e.g. 浙AD12345",
        )
    return plate


def _error(zh: str, en: str) -> FieldError:
    return FieldError("plate", zh, en)
