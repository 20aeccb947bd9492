"""The open-hours report as a PNG bar chart (Pillow), labelled in Chinese and English."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from .reports import HoursRow

__all__ = ["hours_chart", "CHART_SIZE"]

CHART_SIZE = (1000, 560)
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# The reform's figures: average open time a day before (3.9 h) and after (5.38 h).
REFERENCES = ((3.9, "改革前 before 3.9 h"), (5.38, "改革后 after 5.38 h"))
_STAFFED, _KIOSK, _GRID = (31, 78, 140), (120, 170, 220), (200, 200, 200)
_REFERENCE = (200, 40, 40)
_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 30, 70, 110

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int) -> Font:
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:  # no CJK font installed: still a chart, with the default font
        return ImageFont.load_default()


def _label(row: HoursRow) -> str:
    return row.name.replace("社区交警服务站", "") or row.station


def _axes(draw: ImageDraw.ImageDraw, top_value: float, font: Font) -> float:
    width, height = CHART_SIZE
    scale = (height - _TOP - _BOTTOM) / top_value
    for hours in range(0, int(top_value) + 1, 2 if top_value > 12 else 1):
        y = height - _BOTTOM - hours * scale
        draw.line([(_LEFT, y), (width - _RIGHT, y)], fill=_GRID)
        draw.text((_LEFT - 8, y), f"{hours}", fill="black", font=font, anchor="rm")
    for value, _text in REFERENCES:
        _dashed(draw, _LEFT, width - _RIGHT, height - _BOTTOM - value * scale)
    return scale


def _dashed(draw: ImageDraw.ImageDraw, x0: float, x1: float, y: float) -> None:
    for x in range(int(x0), int(x1), 14):
        draw.line([(x, y), (min(x + 7, x1), y)], fill=_REFERENCE, width=2)


def _bars(draw: ImageDraw.ImageDraw, rows: list[HoursRow], scale: float, font: Font) -> None:
    width, height = CHART_SIZE
    slot = (width - _LEFT - _RIGHT) / max(1, len(rows))
    base = height - _BOTTOM
    for i, row in enumerate(rows):
        x0 = _LEFT + i * slot + slot * 0.2
        x1 = x0 + slot * 0.6
        staffed_top = base - row.staffed_h * scale
        draw.rectangle([x0, staffed_top, x1, base], fill=_STAFFED)
        draw.rectangle([x0, staffed_top - row.self_service_h * scale, x1, staffed_top],
                       fill=_KIOSK)
        draw.text(((x0 + x1) / 2, staffed_top - row.self_service_h * scale - 4),
                  f"{row.open_h:.2f} h", fill="black", font=font, anchor="mb")
        draw.text(((x0 + x1) / 2, base + 8), _label(row), fill="black", font=font, anchor="mt")
        draw.text(((x0 + x1) / 2, base + 30),
                  f"晚 {row.evening_share:.0%} · 周末 {row.weekend_share:.0%}",
                  fill=(90, 90, 90), font=font, anchor="mt")


def hours_chart(rows: list[HoursRow], first: date, last: date) -> bytes:
    """Return a PNG: stacked staffed / self-service hours a day per station and network."""
    image = Image.new("RGB", CHART_SIZE, "white")
    draw = ImageDraw.Draw(image)
    title, small = _font(22), _font(14)
    draw.text((CHART_SIZE[0] / 2, 14), f"日均开放时长 Average open hours a day  {first} – {last}",
              fill="black", font=title, anchor="mt")
    top = max([r.open_h for r in rows] + [6.0]) * 1.15
    scale = _axes(draw, top, small)
    _bars(draw, rows, scale, small)
    legend_y = CHART_SIZE[1] - 30
    for x, colour, text in ((_LEFT, _STAFFED, "民警值守 staffed"),
                            (_LEFT + 220, _KIOSK, "自助 self-service")):
        draw.rectangle([x, legend_y, x + 16, legend_y + 16], fill=colour)
        draw.text((x + 24, legend_y + 8), text, fill="black", font=small, anchor="lm")
    _dashed(draw, _LEFT + 440, _LEFT + 470, legend_y + 8)
    references = " / ".join(text for _value, text in REFERENCES)
    draw.text((_LEFT + 480, legend_y + 8), references, fill=_REFERENCE, font=small, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
