"""Validators for the kiosk's form fields: each returns the normalized value or raises.

Every validator takes what the citizen typed and returns a canonical string that
validates to itself again, or raises FieldError with a bilingual message saying what to
fix. They never raise anything else for any string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from .errors import FieldError
from .normalize import compact, normalized
from .plates import validate_plate
from .vocabulary import FormFieldName

__all__ = [
    "DELIVERY_METHODS",
    "FIELD_VALIDATORS",
    "VEHICLE_TYPES",
    "validate_delivery",
    "validate_field",
    "validate_licence_file_no",
    "validate_phone",
    "validate_postal_address",
    "validate_vehicle_type",
    "validate_violation_ref",
]

# 号牌种类 codes (GA 24.7) of civilian vehicles a community station handles.
VEHICLE_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "01": "大型汽车",
        "02": "小型汽车",
        "07": "普通摩托车",
        "08": "轻便摩托车",
        "15": "挂车",
        "16": "教练汽车",
        "51": "大型新能源汽车",
        "52": "小型新能源汽车",
    }
)

_VEHICLE_TYPE_CODES = {name: code for code, name in VEHICLE_TYPES.items()}

DELIVERY_METHODS: Mapping[str, str] = MappingProxyType(
    {"pickup": "自取 / Pick up", "mail": "邮寄 / Mail"}
)
_DELIVERY_ALIASES = {"自取": "pickup", "现场领取": "pickup", "领取": "pickup", "邮寄": "mail"}

_PHONE = re.compile(r"1[3-9][0-9]{9}")
_PHONE_PREFIX = re.compile(r"^(?:\+86|0086)")
_ADDRESS_LENGTH = (6, 100)


def validate_phone(raw: str) -> str:
    """Return the 11-digit mainland mobile number (spaces, dashes, +86 removed)."""
    number = _PHONE_PREFIX.sub("", compact(raw, drop="-"))
    if len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not _PHONE.fullmatch(number):
        raise FieldError(
            "phone",
            "请输入11位手机号码，以13至19开头",
            "Enter the 11-digit mobile number; it starts with 13 to 19",
        )
    return number


def validate_licence_file_no(raw: str) -> str:
    """Return the 12-digit driving-licence file number (档案编号)."""
    return _digits(
        raw,
        "licence_file_no",
        (12, 12),
        "档案编号为12位数字，印在驾驶证副页上",
        "The file number is 12 digits, printed on the licence's second page",
    )


def validate_violation_ref(raw: str) -> str:
    """Return the penalty decision number (决定书编号): 15 or 16 digits.

    The 15/16-digit format is the common public form; other formats are to be confirmed.
    """
    return _digits(
        raw,
        "violation_ref",
        (15, 16),
        "决定书编号为15或16位数字，见处罚决定书",
        "The decision number is 15 or 16 digits, printed on the penalty decision",
    )


def validate_postal_address(raw: str) -> str:
    """Return the postal address with runs of whitespace collapsed to one space."""
    address = " ".join(normalized(raw).split())
    low, high = _ADDRESS_LENGTH
    if not low <= len(address) <= high or not address.isprintable():
        raise FieldError(
            "postal_address",
            f"请填写完整邮寄地址（市、区、街道、门牌号），{low}至{high}个字",
            f"Enter the full postal address (city, district, street, number), "
            f"{low} to {high} characters",
        )
    return address


def validate_vehicle_type(raw: str) -> str:
    """Return the two-digit plate-type code (号牌种类), given the code or its name."""
    value = compact(raw)
    code = value if value in VEHICLE_TYPES else _VEHICLE_TYPE_CODES.get(value)
    if code is None:
        raise FieldError(
            "vehicle_type",
            "请选择号牌种类，如“小型汽车”",
            "Choose the plate type, e.g. small car (小型汽车)",
        )
    return code


def validate_delivery(raw: str) -> str:
    """Return "pickup" or "mail" for how the citizen receives the result."""
    value = compact(raw).lower()
    method = value if value in DELIVERY_METHODS else _DELIVERY_ALIASES.get(value)
    if method is None:
        raise FieldError("delivery", "请选择自取或邮寄", "Choose pick up or mail")
    return method


FIELD_VALIDATORS: Mapping[FormFieldName, Callable[[str], str]] = MappingProxyType(
    {
        "phone": validate_phone,
        "plate": validate_plate,
        "postal_address": validate_postal_address,
        "licence_file_no": validate_licence_file_no,
        "vehicle_type": validate_vehicle_type,
        "violation_ref": validate_violation_ref,
        "delivery": validate_delivery,
    }
)


def validate_field(field: FormFieldName, raw: str) -> str:
    """Return ``raw`` validated and normalized as form field ``field``."""
    return FIELD_VALIDATORS[field](raw)


def _digits(raw: str, field: str, length: tuple[int, int], zh: str, en: str) -> str:
    """Return ``raw`` without spaces or dashes if it is all ASCII digits of ``length``."""
    value = compact(raw, drop="-")
    low, high = length
    if not (low <= len(value) <= high and value.isascii() and value.isdigit()):
        raise FieldError(field, zh, en)
    return value
