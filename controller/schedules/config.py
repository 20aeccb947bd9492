"""Where the schedules feature finds its configuration files."""

from __future__ import annotations

import os
from pathlib import Path

from sync.settings import default_config_path

__all__ = ["config_folder", "config_file", "REPO_CONFIG"]

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config"


def config_folder() -> Path:
    """Return $STATIONNET_CONFIG_DIR, else the folder of the configuration file in use."""
    explicit = os.environ.get("STATIONNET_CONFIG_DIR")
    return Path(explicit) if explicit else default_config_path().parent


def config_file(name: str) -> Path:
    """Return ``name`` in the configuration folder, else the repository's shipped copy."""
    local = config_folder() / name
    return local if local.exists() else REPO_CONFIG / name
