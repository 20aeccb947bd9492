"""ESC/POS command bytes for receipts, with our own Chinese text encoding.

QR codes come from python-escpos's native ``GS ( k`` builder; text never goes through
python-escpos, which only switches to GB18030 when a CJK ideograph is present.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

__all__ = ["Align", "EscPosBuilder", "encode_text"]

ESC: Final = b"\x1b"
GS: Final = b"\x1d"
FS: Final = b"\x1c"
ENCODINGS: Final = ("gb18030", "gbk")


class Align(Enum):
    """Text justification (ESC a n)."""

    LEFT = 0
    CENTER = 1
    RIGHT = 2


def encode_text(text: str, encoding: str = "gb18030") -> bytes:
    """Return ``text`` as printer bytes; control characters become spaces, so text
    can never inject commands; characters the encoding lacks print as '?'."""
    if encoding not in ENCODINGS:
        raise ValueError(f"printer encoding must be one of {ENCODINGS}, not {encoding!r}")
    clean = "".join(" " if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in text)
    return clean.encode(encoding, errors="replace")


class EscPosBuilder:
    """Accumulates one receipt's ESC/POS bytes; ``build()`` returns them."""

    def __init__(self, encoding: str = "gb18030") -> None:
        encode_text("", encoding)  # validates the encoding name
        self.encoding = encoding
        self._out = bytearray(ESC + b"@" + FS + b"&")  # reset, then Chinese character mode

    def line(
        self, text: str, *, bold: bool = False, size: int = 1, align: Align = Align.LEFT
    ) -> EscPosBuilder:
        """Add one line of text; ``size`` 1-8 multiplies width and height."""
        if not 1 <= size <= 8:
            raise ValueError("text size is 1 to 8")
        self._out += ESC + b"a" + bytes([align.value])
        self._out += ESC + b"E" + bytes([int(bold)])
        self._out += GS + b"!" + bytes([(size - 1) << 4 | (size - 1)])
        self._out += encode_text(text, self.encoding) + b"\n"
        self._out += ESC + b"E\x00" + GS + b"!\x00"
        return self

    def qr(self, payload: str, *, module_size: int = 6) -> EscPosBuilder:
        """Add a centred QR code (model 2, error correction M) holding ``payload``."""
        if not payload:
            raise ValueError("a QR code needs a payload")
        dummy = Dummy()
        self._out += ESC + b"a\x01"
        dummy.qr(payload, native=True, size=module_size, ec=QR_ECLEVEL_M)
        self._out += dummy.output
        return self

    def barcode(self, data: str, *, height: int = 64) -> EscPosBuilder:
        """Add a centred CODE128 barcode (code set B) with its text printed below."""
        if not data or not data.isascii() or not data.isprintable() or len(data) > 60:
            raise ValueError("a barcode holds 1-60 printable ASCII characters")
        payload = b"{B" + data.encode("ascii")
        self._out += ESC + b"a\x01" + GS + b"h" + bytes([height]) + GS + b"w\x02"
        self._out += GS + b"H\x02" + GS + b"k\x49" + bytes([len(payload)]) + payload
        return self

    def feed(self, lines: int = 1) -> EscPosBuilder:
        """Feed ``lines`` blank lines."""
        self._out += ESC + b"d" + bytes([lines])
        return self

    def cut(self, *, partial: bool = False) -> EscPosBuilder:
        """Feed the receipt past the cutter and cut it."""
        self.feed(4)
        self._out += GS + b"V" + (b"\x01" if partial else b"\x00")
        return self

    def build(self) -> bytes:
        """Return the bytes accumulated so far."""
        return bytes(self._out)
