"""Render a printed receipt as text (for logs and tests) or as a PNG (for the demo)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import qrcode
from PIL import Image, ImageDraw, ImageFont

from devices.printer.decoder import PrintedBarcode, PrintedLine, PrintedQr, PrintedReceipt

__all__ = ["FONT", "render_png", "render_text"]

FONT: Final = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PAPER_WIDTH: Final = 384  # dots on 58 mm paper
BASE_SIZE: Final = 22
_ALIGN: Final = ("<", "^", ">")


def render_text(receipt: PrintedReceipt, width: int = 32) -> str:
    """Return the receipt as plain text: style marks, [QR …], [BARCODE …], a cut line."""
    out = []
    for element in receipt.elements:
        if isinstance(element, PrintedLine):
            mark = ("**" if element.bold else "") + (
                f"[x{element.width}]" if element.width > 1 or element.height > 1 else ""
            )
            out.append(f"{mark + element.text:{_ALIGN[element.align]}{width}}".rstrip())
        elif isinstance(element, PrintedQr):
            out.append(f"[QR {element.payload}]")
        else:
            out.append(f"[BARCODE {element.data}]")
    out.append("-- partial cut --" if receipt.partial_cut else "-- cut --")
    return "\n".join(out) + "\n"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default()


def _line_image(line: PrintedLine) -> Image.Image:
    font = _font(BASE_SIZE * max(line.width, line.height))
    image = Image.new("L", (PAPER_WIDTH, BASE_SIZE * line.height + 8), 255)
    draw = ImageDraw.Draw(image)
    text_width = draw.textlength(line.text, font=font)
    x = (0, (PAPER_WIDTH - text_width) / 2, PAPER_WIDTH - text_width)[line.align]
    draw.text((max(0, x), 2), line.text, font=font, fill=0, stroke_width=int(line.bold))
    return image


def _qr_image(qr: PrintedQr) -> Image.Image:
    code = qrcode.QRCode(border=1, box_size=6)
    code.add_data(qr.payload)
    symbol = code.make_image().get_image().convert("L")
    image = Image.new("L", (PAPER_WIDTH, symbol.height + 8), 255)
    image.paste(symbol, ((PAPER_WIDTH - symbol.width) // 2, 4))
    return image


def _barcode_image(barcode: PrintedBarcode) -> Image.Image:
    image = Image.new("L", (PAPER_WIDTH, 96), 255)
    draw = ImageDraw.Draw(image)
    bits = "".join(f"{byte:08b}" for byte in barcode.data.encode())  # a stand-in pattern
    bar = max(1, (PAPER_WIDTH - 40) // max(1, len(bits)))
    for i, bit in enumerate(bits):
        if bit == "1":
            draw.rectangle((20 + i * bar, 4, 20 + (i + 1) * bar - 1, 64), fill=0)
    font = _font(18)
    width = draw.textlength(barcode.data, font=font)
    draw.text(((PAPER_WIDTH - width) / 2, 70), barcode.data, font=font, fill=0)
    return image


def render_png(receipt: PrintedReceipt, path: Path) -> None:
    """Write the receipt as a PNG of 58 mm paper to ``path``."""
    parts: list[Image.Image] = []
    for element in receipt.elements:
        if isinstance(element, PrintedLine):
            parts.append(_line_image(element))
        elif isinstance(element, PrintedQr):
            parts.append(_qr_image(element))
        else:
            parts.append(_barcode_image(element))
    height = sum(part.height for part in parts) + 40
    page = Image.new("L", (PAPER_WIDTH, height), 255)
    y = 20
    for part in parts:
        page.paste(part, (0, y))
        y += part.height
    page.save(path)
