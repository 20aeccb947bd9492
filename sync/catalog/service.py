"""One service of the catalogue and the one-time notice a kiosk shows for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .text import LocalizedText
from .vocabulary import (
    MODES,
    Category,
    DeviceName,
    FormFieldName,
    Language,
    ModeName,
    VisitList,
    resolve_language,
)

__all__ = ["Service", "ServiceNotice"]

_T = TypeVar("_T", bound=str)

SERVICE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

_NOTICE_PART_NAMES = {
    "bring": "what to bring",
    "steps": "the steps",
    "caveats": "the caveats",
}


@dataclass(frozen=True, slots=True)
class ServiceNotice:
    """The full one-time notice of a service in one language, ready to show or print."""

    service_id: str
    lang: Language
    title: str
    visit_list: VisitList
    visit_list_label: str
    where: str
    bring: tuple[str, ...]
    steps: tuple[str, ...]
    fees: str
    time_limit: str
    caveats: tuple[str, ...]
    staffed_only: bool
    provisional: bool
    """True while the service has ``to_confirm`` items: the station has not confirmed it."""


class Service(BaseModel):
    """A service a community station offers, with its complete one-time notice."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=SERVICE_ID_PATTERN, max_length=64)
    category: Category
    visit_list: VisitList
    title: LocalizedText
    where: LocalizedText
    bring: tuple[LocalizedText, ...]
    steps: tuple[LocalizedText, ...]
    fees: LocalizedText
    time_limit: LocalizedText
    caveats: tuple[LocalizedText, ...]
    modes: tuple[ModeName, ...]
    devices: tuple[DeviceName, ...] = ()
    form_fields: tuple[FormFieldName, ...] = ()
    needs_id_number: bool
    allows_qr_identification: bool
    to_confirm: tuple[str, ...] = ()

    @field_validator("bring", "steps", "caveats")
    @classmethod
    def _notice_part_not_empty(
        cls, value: tuple[LocalizedText, ...], info: ValidationInfo
    ) -> tuple[LocalizedText, ...]:
        if not value:
            part = _NOTICE_PART_NAMES[str(info.field_name)]
            raise ValueError(
                f"the list is empty, but the one-time notice must say {part}; "
                "add at least one { zh = ..., en = ... } item"
            )
        return value

    @field_validator("modes")
    @classmethod
    def _modes_not_empty(cls, value: tuple[ModeName, ...]) -> tuple[ModeName, ...]:
        if not value:
            raise ValueError(
                f"no modes: list at least one of {', '.join(MODES)} "
                "(a service offered in no mode can never be handled)"
            )
        return _unique(value, "mode")

    @field_validator("devices")
    @classmethod
    def _devices_unique(cls, value: tuple[DeviceName, ...]) -> tuple[DeviceName, ...]:
        return _unique(value, "device")

    @field_validator("form_fields")
    @classmethod
    def _form_fields_unique(cls, value: tuple[FormFieldName, ...]) -> tuple[FormFieldName, ...]:
        return _unique(value, "form field")

    @field_validator("to_confirm")
    @classmethod
    def _to_confirm_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item for item in value):
            raise ValueError("an entry is blank; write what the station must confirm or drop it")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if "delivery" in self.form_fields and "postal_address" not in self.form_fields:
            raise ValueError(
                "form_fields has 'delivery' but not 'postal_address'; "
                "add 'postal_address' so a mailed result has somewhere to go"
            )
        if "self_service" in self.modes and self.needs_id_number and "idcard" not in self.devices:
            raise ValueError(
                "offered in self_service mode and needs_id_number, "
                "but devices lacks 'idcard'; add 'idcard' (only the card reader yields the "
                "full ID number) or drop 'self_service' from modes"
            )
        return self

    @property
    def staffed_only(self) -> bool:
        """True when the service is handled only while officers are on duty."""
        return self.modes == ("staffed",)

    def notice(self, lang: str) -> ServiceNotice:
        """Return the complete one-time notice in ``lang`` (zh unless lang is English)."""
        language = resolve_language(lang)
        return ServiceNotice(
            service_id=self.id,
            lang=language,
            title=self.title.get(language),
            visit_list=self.visit_list,
            visit_list_label=self.visit_list.label(language),
            where=self.where.get(language),
            bring=tuple(item.get(language) for item in self.bring),
            steps=tuple(item.get(language) for item in self.steps),
            fees=self.fees.get(language),
            time_limit=self.time_limit.get(language),
            caveats=tuple(item.get(language) for item in self.caveats),
            staffed_only=self.staffed_only,
            provisional=bool(self.to_confirm),
        )


def _unique(value: tuple[_T, ...], what: str) -> tuple[_T, ...]:
    """Return ``value`` unchanged, or raise naming the repeated entries."""
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:
        raise ValueError(f"{what} listed twice: {', '.join(repeated)}; list each once")
    return value
