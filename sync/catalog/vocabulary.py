"""The catalogue's fixed vocabularies: visit lists, categories, modes, devices, form fields.

Modes, devices and form fields are plain string literals (not enums) so that other
modules -- the schedule's own ``Mode`` enum, the device supervisor's names -- can map onto
them by value without importing this package.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

__all__ = [
    "DEVICES",
    "FORM_FIELDS",
    "LANGUAGES",
    "MODES",
    "Category",
    "DeviceName",
    "FormFieldName",
    "Language",
    "ModeName",
    "VisitList",
    "resolve_language",
]

Language = Literal["zh", "en"]
ModeName = Literal["staffed", "self_service"]
DeviceName = Literal["idcard", "printer", "scanner"]
FormFieldName = Literal[
    "phone",
    "plate",
    "postal_address",
    "licence_file_no",
    "vehicle_type",
    "violation_ref",
    "delivery",
]

LANGUAGES: tuple[Language, ...] = get_args(Language)
MODES: tuple[ModeName, ...] = get_args(ModeName)
DEVICES: tuple[DeviceName, ...] = get_args(DeviceName)
FORM_FIELDS: tuple[FormFieldName, ...] = get_args(FormFieldName)


class VisitList(StrEnum):
    """The four published lists, in their canonical (published) order."""

    AT_MOST_ONCE = "at_most_once"
    ZERO_VISITS = "zero_visits"
    NEAREST_POINT = "nearest_point"
    SEVERAL_VISITS = "several_visits"

    def label(self, lang: str) -> str:
        """Return the list's published name in ``lang`` (Chinese for unknown languages)."""
        zh, en = _VISIT_LIST_LABELS[self]
        return en if resolve_language(lang) == "en" else zh


_VISIT_LIST_LABELS: dict[VisitList, tuple[str, str]] = {
    VisitList.AT_MOST_ONCE: ("最多跑一次", "At most one visit"),
    VisitList.ZERO_VISITS: ("零跑腿（网上办）", "Zero visits (online)"),
    VisitList.NEAREST_POINT: ("就近跑一次", "One visit to the nearest point"),
    VisitList.SEVERAL_VISITS: ("跑多次", "Several visits"),
}


class Category(StrEnum):
    """What a service is about."""

    DRIVER_LICENCE = "driver_licence"
    VEHICLE = "vehicle"
    VIOLATION = "violation"
    APPOINTMENT = "appointment"


def resolve_language(lang: str) -> Language:
    """Return the catalogue language for a locale tag: ``en``/``en-GB`` -> en, else zh.

    Chinese is the fallback because every text in the catalogue exists in Chinese.
    """
    primary = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    return "en" if primary == "en" else "zh"
