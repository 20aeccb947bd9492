"""Decode an ESC/POS byte stream into what the printer would print (used by the emulator).

Feed bytes with :meth:`EscPosDecoder.receive_data`; it returns events: a
:class:`StatusQuery` the printer must answer at once, or a :class:`Cut` carrying the
finished :class:`PrintedReceipt`. Unknown commands are skipped, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Cut",
    "EscPosDecoder",
    "PrintedBarcode",
    "PrintedLine",
    "PrintedQr",
    "PrintedReceipt",
    "StatusQuery",
]

_MAX_PENDING = 70_000  # larger than any complete command (GS ( k is at most 65 535 + 5)


@dataclass(frozen=True)
class PrintedLine:
    """A line of text with the style it was printed in."""

    text: str
    bold: bool = False
    width: int = 1
    height: int = 1
    align: int = 0


@dataclass(frozen=True)
class PrintedQr:
    """A printed QR code."""

    payload: str


@dataclass(frozen=True)
class PrintedBarcode:
    """A printed barcode; ``symbology`` is the GS k ``m`` value (73 = CODE128)."""

    symbology: int
    data: str


Element = PrintedLine | PrintedQr | PrintedBarcode


@dataclass
class PrintedReceipt:
    """Everything printed between two cuts, in order."""

    elements: list[Element] = field(default_factory=list)
    partial_cut: bool = False

    @property
    def lines(self) -> list[PrintedLine]:
        """Return the text lines."""
        return [e for e in self.elements if isinstance(e, PrintedLine)]

    @property
    def text(self) -> list[str]:
        """Return the text of each line."""
        return [line.text for line in self.lines]

    @property
    def qr_payloads(self) -> list[str]:
        """Return the payloads of the printed QR codes."""
        return [e.payload for e in self.elements if isinstance(e, PrintedQr)]

    @property
    def barcodes(self) -> list[PrintedBarcode]:
        """Return the printed barcodes."""
        return [e for e in self.elements if isinstance(e, PrintedBarcode)]


@dataclass(frozen=True)
class StatusQuery:
    """The host sent ``DLE EOT n``; the printer answers one status byte."""

    n: int


@dataclass(frozen=True)
class Cut:
    """The paper was cut; ``receipt`` is what came out."""

    receipt: PrintedReceipt


Event = StatusQuery | Cut


@dataclass
class _Style:
    bold: bool = False
    width: int = 1
    height: int = 1
    align: int = 0


class EscPosDecoder:
    """Incremental ESC/POS interpreter: the printer's view of the byte stream."""

    def __init__(self, encoding: str = "gb18030") -> None:
        self.encoding = encoding
        self.page = PrintedReceipt()
        self._buffer = bytearray()
        self._text = bytearray()
        self._style = _Style()
        self._line_style: _Style | None = None
        self._qr_data = b""

    def receive_data(self, data: bytes) -> list[Event]:
        """Interpret ``data`` and return the events it completed, in order."""
        self._buffer += data
        events: list[Event] = []
        pos = 0
        buf = self._buffer
        while pos < len(buf):
            used = self._step(buf, pos, events)
            if used == 0:
                break
            pos += used
        del buf[:pos]
        if len(buf) > _MAX_PENDING:  # a command claiming an impossible size: drop it
            buf.clear()
        return events

    def _step(self, buf: bytearray, pos: int, events: list[Event]) -> int:
        byte = buf[pos]
        if byte >= 0x20 and byte != 0x7F:
            if self._line_style is None:
                self._line_style = _Style(**vars(self._style))
            self._text.append(byte)
            return 1
        if byte == 0x0A:
            self._end_line()
            return 1
        if byte == 0x10:
            return self._dle(buf, pos, events)
        if byte == 0x1B:
            return self._esc(buf, pos)
        if byte == 0x1C:
            return _need(buf, pos, 3 if bytes(buf[pos + 1 : pos + 2]) in (b"!", b"C") else 2)
        if byte == 0x1D:
            return self._gs(buf, pos, events)
        return 1  # CR, HT and other controls print nothing here

    def _dle(self, buf: bytearray, pos: int, events: list[Event]) -> int:
        if len(buf) - pos < 3:
            return 0
        if buf[pos + 1] == 0x04 and 1 <= buf[pos + 2] <= 4:
            events.append(StatusQuery(buf[pos + 2]))
            return 3
        return 1

    def _esc(self, buf: bytearray, pos: int) -> int:
        if len(buf) - pos < 2:
            return 0
        cmd = buf[pos + 1]
        if cmd in b"@2<=":
            if cmd == ord("@"):
                self._style = _Style()
            return 2
        if cmd == ord("p"):
            return _need(buf, pos, 5)
        if len(buf) - pos < 3:
            return 0
        arg = buf[pos + 2]
        if cmd == ord("E"):
            self._style.bold = bool(arg & 1)
        elif cmd == ord("a"):
            self._style.align = min(arg - 48 if arg >= 48 else arg, 2)
        elif cmd == ord("!"):
            self._style.bold = bool(arg & 0x08)
            self._style.height, self._style.width = 1 + (arg >> 4 & 1), 1 + (arg >> 5 & 1)
        return 3  # ESC d (feed), ESC t (code page), ESC 3 (spacing) and the like

    def _gs(self, buf: bytearray, pos: int, events: list[Event]) -> int:
        if len(buf) - pos < 3:
            return 0
        cmd, arg = buf[pos + 1], buf[pos + 2]
        if cmd == ord("!"):
            self._style.width, self._style.height = (arg >> 4) + 1, (arg & 0x0F) + 1
            return 3
        if cmd == ord("V"):
            return self._cut(buf, pos, events)
        if cmd == ord("("):
            return self._gs_paren(buf, pos)
        if cmd == ord("k"):
            return self._barcode(buf, pos)
        if cmd in b"LWP":
            return _need(buf, pos, 4)
        return 3 if cmd in b"hwHfBbr" else 2

    def _cut(self, buf: bytearray, pos: int, events: list[Event]) -> int:
        mode = buf[pos + 2]
        size = 4 if mode in (65, 66) else 3
        if len(buf) - pos < size:
            return 0
        self._end_line()
        self.page.partial_cut = mode in (1, 49, 66)
        events.append(Cut(self.page))
        self.page = PrintedReceipt()
        return size

    def _gs_paren(self, buf: bytearray, pos: int) -> int:
        if len(buf) - pos < 5:
            return 0
        size = 5 + int.from_bytes(buf[pos + 3 : pos + 5], "little")
        if len(buf) - pos < size:
            return 0
        body = bytes(buf[pos + 5 : pos + size])
        if buf[pos + 2] == ord("k") and len(body) >= 2 and body[0] == 0x31:
            if body[1] == 0x50:  # store the symbol data
                self._qr_data = body[3:]
            elif body[1] == 0x51:  # print the stored symbol
                self._end_line()
                payload = self._qr_data.decode("utf-8", errors="replace")
                self.page.elements.append(PrintedQr(payload))
        return size

    def _barcode(self, buf: bytearray, pos: int) -> int:
        symbology = buf[pos + 2]
        if symbology <= 6:
            end = buf.find(b"\x00", pos + 3)
            if end < 0:
                return 0
            data, size = bytes(buf[pos + 3 : end]), end + 1 - pos
        else:
            if len(buf) - pos < 4:
                return 0
            size = 4 + buf[pos + 3]
            if len(buf) - pos < size:
                return 0
            data = bytes(buf[pos + 4 : pos + size])
            if symbology == 73 and data[:1] == b"{":
                data = data[2:]  # drop the code-set selector
        self._end_line()
        text = data.decode("ascii", errors="replace")
        self.page.elements.append(PrintedBarcode(symbology, text))
        return size

    def _end_line(self) -> None:
        if self._line_style is None and not self._text:
            return
        style = self._line_style or self._style
        text = bytes(self._text).decode(self.encoding, errors="replace")
        self.page.elements.append(
            PrintedLine(text, style.bold, style.width, style.height, style.align)
        )
        self._text.clear()
        self._line_style = None


def _need(buf: bytearray, pos: int, size: int) -> int:
    return size if len(buf) - pos >= size else 0
