"""Controller features: each module here plugs into the controller and into stationctl.

A feature module may define any of:

- ``attach(context: FeatureContext) -> None`` — called once when the controller is
  built, with what a feature may use and register (:mod:`controller.feature_context`):
  HTTP routes, request handlers, ingest projectors, retention jobs, documents to
  publish, start/stop/connect hooks; never the whole controller.
- ``cli: typer.Typer`` and ``CLI_NAME: str`` — a ``stationctl CLI_NAME …`` command group,
  built on :mod:`controller.ctl` for talking to the API.

Features are found by listing this package, so adding one never edits a shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__all__ = ["discover"]


def discover() -> list[ModuleType]:
    """Return every feature module, in name order."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
            if not info.name.startswith("_")]
