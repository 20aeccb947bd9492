"""Where the schedules feature finds its configuration files (the rule is in sync)."""

from __future__ import annotations

from sync.settings import config_file

__all__ = ["config_file"]
