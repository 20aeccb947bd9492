"""The kiosk's colours, chosen for at least 4.5:1 text contrast (WCAG 2.1 AA).

Pure values, no Kivy: tests check every text/background pair with :func:`contrast`.
"""

from __future__ import annotations

__all__ = ["BACKGROUND", "PANEL", "TEXT", "MUTED", "ACCENT", "WARNING", "ERROR", "BUTTON",
           "BUTTON_SECONDARY", "BUTTON_SELECTED", "BUTTON_UNAVAILABLE", "BUTTON_TEXT",
           "SELECTED_TEXT", "BANNER", "BANNER_TEXT", "TEXT_PAIRS", "rgba", "contrast"]

BACKGROUND = "#0B1F3A"  # deep navy
PANEL = "#132B4F"
TEXT = "#FFFFFF"
MUTED = "#C9D6EA"
ACCENT = "#7FD3FF"
WARNING = "#FFD54F"
ERROR = "#FF9E9E"
BUTTON = "#1558B0"
BUTTON_SECONDARY = "#2E4668"
BUTTON_SELECTED = "#FFD54F"
BUTTON_UNAVAILABLE = "#4A5566"
BUTTON_TEXT = "#FFFFFF"
SELECTED_TEXT = "#0B1F3A"
BANNER = "#FFD54F"
BANNER_TEXT = "#0B1F3A"

# (text, background) pairs the screens use.
TEXT_PAIRS = (
    (TEXT, BACKGROUND), (MUTED, BACKGROUND), (ACCENT, BACKGROUND), (WARNING, BACKGROUND),
    (ERROR, BACKGROUND), (TEXT, PANEL), (MUTED, PANEL), (ERROR, PANEL),
    (BUTTON_TEXT, BUTTON), (BUTTON_TEXT, BUTTON_SECONDARY), (BUTTON_TEXT, BUTTON_UNAVAILABLE),
    (SELECTED_TEXT, BUTTON_SELECTED), (BANNER_TEXT, BANNER),
)


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """Return Kivy's 0..1 RGBA for '#RRGGBB'."""
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue, alpha)


def _luminance(hex_colour: str) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue, _ = rgba(hex_colour)
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(foreground: str, background: str) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
