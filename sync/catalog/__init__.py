"""The service catalogue: the versioned document of what a station offers and how.

The controller loads ``config/catalog.toml`` with :func:`load_catalog` and publishes
``ServiceCatalog.to_json()`` as a retained document; kiosks rebuild it with
``ServiceCatalog.from_json`` and use :meth:`ServiceCatalog.available`,
:meth:`ServiceCatalog.by_list` and :meth:`ServiceCatalog.notice` to drive their screens,
and the ``validate_*`` functions to check what citizens type into forms.
"""

from .availability import STATION_MODES, ServiceAvailability
from .document import ServiceCatalog
from .errors import CatalogError, CatalogIssue, FieldError, UnknownServiceError
from .fields import (
    DELIVERY_METHODS,
    FIELD_VALIDATORS,
    VEHICLE_TYPES,
    validate_delivery,
    validate_field,
    validate_licence_file_no,
    validate_phone,
    validate_postal_address,
    validate_vehicle_type,
    validate_violation_ref,
)
from .loader import load_catalog
from .plates import PROVINCES, validate_plate
from .service import Service, ServiceNotice
from .text import LocalizedText
from .vocabulary import (
    DEVICES,
    FORM_FIELDS,
    LANGUAGES,
    MODES,
    Category,
    DeviceName,
    FormFieldName,
    Language,
    ModeName,
    VisitList,
    resolve_language,
)

__all__ = [
    "DELIVERY_METHODS",
    "DEVICES",
    "FIELD_VALIDATORS",
    "FORM_FIELDS",
    "LANGUAGES",
    "MODES",
    "PROVINCES",
    "STATION_MODES",
    "VEHICLE_TYPES",
    "CatalogError",
    "CatalogIssue",
    "Category",
    "DeviceName",
    "FieldError",
    "FormFieldName",
    "Language",
    "LocalizedText",
    "ModeName",
    "Service",
    "ServiceAvailability",
    "ServiceCatalog",
    "ServiceNotice",
    "UnknownServiceError",
    "VisitList",
    "load_catalog",
    "resolve_language",
    "validate_delivery",
    "validate_field",
    "validate_licence_file_no",
    "validate_phone",
    "validate_plate",
    "validate_postal_address",
    "validate_vehicle_type",
    "validate_violation_ref",
]
