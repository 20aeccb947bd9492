"""The versioned service catalogue document the controller publishes to every kiosk."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Set
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .availability import ServiceAvailability, availability
from .diagnostics import catalog_error
from .errors import CatalogError, UnknownServiceError
from .service import Service, ServiceNotice
from .vocabulary import LANGUAGES, Language, VisitList

__all__ = ["ServiceCatalog"]

_JSON_FIX = "publish the bytes of ServiceCatalog.to_json()"


class ServiceCatalog(BaseModel):
    """The complete, versioned list of services; immutable and validated at construction."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1)
    published: dt.date
    locale: tuple[Language, ...]
    services: tuple[Service, ...]

    @field_validator("locale")
    @classmethod
    def _locale_has_both(cls, value: tuple[Language, ...]) -> tuple[Language, ...]:
        if sorted(value) != sorted(LANGUAGES):
            raise ValueError(
                f"locale is {list(value)}; every text is written in both languages, "
                f"so write locale = {list(LANGUAGES)}"
            )
        return value

    @field_validator("services")
    @classmethod
    def _ids_unique(cls, value: tuple[Service, ...]) -> tuple[Service, ...]:
        if not value:
            raise ValueError("no services; add at least one [[services]] table")
        positions: dict[str, list[int]] = {}
        for index, service in enumerate(value):
            positions.setdefault(service.id, []).append(index)
        repeated = {sid: at for sid, at in positions.items() if len(at) > 1}
        if repeated:
            listed = "; ".join(f"{sid!r} at services{at}" for sid, at in repeated.items())
            raise ValueError(f"duplicate service ids: {listed}; give each service its own id")
        return value

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "catalogue") -> ServiceCatalog:
        """Return the catalogue built from parsed TOML/JSON data; raises CatalogError.

        ``source`` names the document (a path, a topic) in the error message.
        """
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise catalog_error(source, exc, data) from None

    @classmethod
    def from_json(cls, payload: bytes | str, source: str = "JSON catalogue") -> ServiceCatalog:
        """Return the catalogue carried by a JSON payload (an MQTT retained message).

        Raises CatalogError when the payload is not JSON or not a valid catalogue.
        """
        try:
            data = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CatalogError.whole_document(source, f"not JSON ({exc})", _JSON_FIX) from exc
        if not isinstance(data, dict):
            raise CatalogError.whole_document(source, "not a JSON object", _JSON_FIX)
        return cls.from_mapping(data, source)

    def to_json(self) -> bytes:
        """Return the catalogue as compact UTF-8 JSON, identical for equal catalogues."""
        return self.model_dump_json().encode("utf-8")

    def service(self, service_id: str) -> Service:
        """Return the service with ``service_id``; raises UnknownServiceError."""
        for service in self.services:
            if service.id == service_id:
                return service
        raise UnknownServiceError(service_id, self.version)

    def notice(self, service_id: str, lang: str) -> ServiceNotice:
        """Return the one-time notice (where, bring, steps, fees, time limit, caveats)."""
        return self.service(service_id).notice(lang)

    def by_list(self) -> dict[VisitList, tuple[Service, ...]]:
        """Return the services grouped by visit list, all four lists in canonical order."""
        return {
            visit_list: tuple(s for s in self.services if s.visit_list is visit_list)
            for visit_list in VisitList
        }

    def available(
        self, mode: str, faulty_devices: Set[str] = frozenset()
    ) -> list[ServiceAvailability]:
        """Return every service, in catalogue order, with why it cannot be handled now.

        ``mode`` is the station's mode, "staffed", "self_service" or "closed" (a value of
        the schedule's Mode enum; ValueError otherwise); ``faulty_devices`` holds the
        device names ("idcard", "printer", "scanner") currently out of order.
        """
        return [availability(service, mode, faulty_devices) for service in self.services]
