"""What the catalogue offers now, and the application a finished form makes (pure)."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from sync.catalog import Service, ServiceCatalog, VisitList

from .form import FormState
from .identity import Identity
from .ports import ApplicationRequest

__all__ = ["CatalogueEntry", "catalogue_entries", "application_request"]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One service as the catalogue lists it now."""

    service: Service
    available: bool
    bookable: bool  # staffed-only while no officer is on duty: offer an appointment
    reason: str


def catalogue_entries(catalog: ServiceCatalog, mode: str, faults: Set[str],
                      lang: str) -> dict[VisitList, list[CatalogueEntry]]:
    """Return every service by visit list, with whether it can be handled now and why not."""
    groups: dict[VisitList, list[CatalogueEntry]] = {v: [] for v in VisitList}
    for item in catalog.available(mode, faults):
        bookable = not item.available and item.service.staffed_only and mode != "staffed"
        reason = item.reason.get(lang) if item.reason else ""
        groups[item.service.visit_list].append(
            CatalogueEntry(item.service, item.available, bookable, reason))
    return groups


def application_request(service: Service, identity: Identity, form: FormState, mode: str,
                        lang: str) -> ApplicationRequest | None:
    """Return the application for a valid form, with only the personal data it needs."""
    values = form.validate(bool(identity.address))
    if values is None:
        return None
    notice = service.notice("zh")
    mailed = values.get("delivery") == "mail"
    return ApplicationRequest(
        service_id=service.id, service_title_zh=notice.title,
        next_steps_zh=(notice.steps[-1], notice.time_limit), fields=values,
        identification=identity.source, applicant_masked=identity.masked_name,
        applicant_ref=identity.ref,
        id_number=identity.id_number if service.needs_id_number else None,
        postal_address=identity.address if mailed else None, mode=mode, lang=lang)
