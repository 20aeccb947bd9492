"""Turns pydantic's validation errors into catalogue issues an editor can act on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .errors import CatalogError, CatalogIssue

__all__ = ["catalog_error"]

_FIXES: dict[str, str] = {
    "missing": "add this field",
    "extra_forbidden": "remove this key or correct its spelling",
    "string_too_short": "fill in the text; it must not be blank",
    "string_pattern_mismatch": "use a lowercase slug of letters, digits and hyphens, "
    "e.g. dl-renewal-expiry",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "date_type": "write a date such as 2017-03-01",
    "date_from_datetime_inexact": "write a date without a time, such as 2017-03-01",
    "date_parsing": "write a date such as 2017-03-01",
    "tuple_type": "write a list [ ... ]",
    "model_type": "write a table { zh = ..., en = ... }",
}


def catalog_error(source: str, exc: ValidationError, raw: object) -> CatalogError:
    """Return a CatalogError listing each of ``exc``'s errors against the ``raw`` document."""
    issues = tuple(_issue(error, raw) for error in exc.errors())
    return CatalogError(source, issues)


def _issue(error: ErrorDetails, raw: object) -> CatalogIssue:
    loc = tuple(error["loc"])
    service_id: str | None = None
    if len(loc) >= 2 and loc[0] == "services" and isinstance(loc[1], int):
        service_id = _service_id(raw, loc[1])
        loc = loc[2:]
    return CatalogIssue(
        service_id=service_id,
        field=_field_path(loc),
        problem=_problem(error),
        fix=_fix(error),
    )


def _service_id(raw: object, index: int) -> str:
    """Return the id the raw document gives services[index], or a positional name."""
    services = raw.get("services") if isinstance(raw, Mapping) else None
    if isinstance(services, Sequence) and 0 <= index < len(services):
        entry = services[index]
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"]:
            return str(entry["id"])
    return f"services[{index}] (no valid id)"


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def _problem(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind in {"literal_error", "enum"}:
        return f"unknown value {_shown(error.get('input'))}"
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unexpected key"
    return f"{error['msg'].rstrip('.')} (got {_shown(error.get('input'))})"


def _fix(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "value_error":
        return ""  # our validators' messages already say what to fix
    if kind in {"literal_error", "enum"}:
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"use one of: {expected}"
    return _FIXES.get(kind, "correct the value")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
