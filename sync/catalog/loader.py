"""Reads the service catalogue from a TOML file: the package's only I/O."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .document import ServiceCatalog
from .errors import CatalogError

__all__ = ["load_catalog"]


def load_catalog(path: str | Path) -> ServiceCatalog:
    """Return the validated catalogue in the TOML file at ``path``.

    Raises CatalogError naming the file and, for each problem, the service id and field
    and what to fix.
    """
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        fix = "check the path (default config/catalog.toml) and its permissions"
        raise CatalogError.whole_document(source, f"cannot read: {exc}", fix) from exc
    except tomllib.TOMLDecodeError as exc:
        fix = "correct the TOML syntax (each { zh = ..., en = ... } table on one line)"
        raise CatalogError.whole_document(source, f"not valid TOML: {exc}", fix) from exc
    return ServiceCatalog.from_mapping(data, source)
