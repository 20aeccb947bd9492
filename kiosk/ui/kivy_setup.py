"""Kivy's kiosk configuration, applied before any Kivy widget (and so the window) loads.

Fullscreen and borderless, Escape does not quit, F1 opens no settings panel, no mouse
cursor, no screensaver, and the CJK font registered as Kivy's default so every label
and the on-screen keyboards render Chinese.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

__all__ = ["configure_kivy", "register_font", "CJK_FONT"]

log = logging.getLogger(__name__)

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_ENV = "STATIONNET_KIOSK_FONT"


def configure_kivy(kivy_home: Path, *, fullscreen: bool = True, show_cursor: bool = False,
                   size: tuple[int, int] = (1920, 1080)) -> None:
    """Set Kivy's environment and configuration; call before importing Kivy widgets."""
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # our logging, not Kivy's own handlers
    os.environ.setdefault("SDL_VIDEO_ALLOW_SCREENSAVER", "0")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")  # our own keypads, never Kivy's VKeyboard
    Config.set("kivy", "log_enable", "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "1" if show_cursor else "0")
    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "resizable", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")


def register_font() -> str:
    """Register the CJK font as Kivy's default; return the font path used."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    path = Path(os.environ.get(FONT_ENV, CJK_FONT))
    if not path.exists():
        log.error("CJK font %s is missing: Chinese will not render; install it with "
                  "`apt-get install fonts-wqy-microhei` or set %s", path, FONT_ENV)
        return ""
    LabelBase.register(DEFAULT_FONT, str(path))
    return str(path)
