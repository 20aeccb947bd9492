"""The receipt the kiosk fills in, and its rendering to ESC/POS bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from devices.printer.commands import Align, EscPosBuilder

__all__ = ["Receipt", "render_receipt"]

_RULE = "-" * 32


@dataclass(frozen=True)
class Receipt:
    """One service receipt; ``masked_name`` must already be masked (e.g. '张*')."""

    station: str
    service: str
    tracking_number: str
    issued_at: datetime
    masked_name: str
    next_steps: tuple[str, ...]
    qr_payload: str
    heading: str = "业务受理回执"
    qr_caption: str = "扫码查询办理进度"
    footer: str = "请妥善保管本回执"

    def __post_init__(self) -> None:
        number = self.tracking_number
        if not number or not number.isascii() or not number.isprintable() or len(number) > 40:
            raise ValueError("tracking number must be 1-40 printable ASCII characters")
        if self.masked_name and "*" not in self.masked_name:
            raise ValueError("masked_name must be masked (use IdentityCard.masked_name)")
        if not self.qr_payload or len(self.qr_payload.encode()) > 700:
            raise ValueError("QR payload must be 1-700 bytes")
        if not self.station or not self.service:
            raise ValueError("a receipt names its station and service")


def render_receipt(receipt: Receipt, encoding: str = "gb18030") -> bytes:
    """Return the ESC/POS bytes that print ``receipt`` and cut it."""
    out = EscPosBuilder(encoding)
    out.line(receipt.heading, bold=True, size=2, align=Align.CENTER)
    out.line(receipt.station, align=Align.CENTER)
    out.line(_RULE)
    out.line(f"业务：{receipt.service}", bold=True)
    out.line(f"受理编号：{receipt.tracking_number}", bold=True)
    out.line(f"受理时间：{receipt.issued_at:%Y-%m-%d %H:%M}")
    if receipt.masked_name:
        out.line(f"申请人：{receipt.masked_name}")
    out.line(_RULE)
    if receipt.next_steps:
        out.line("后续步骤：", bold=True)
        for index, step in enumerate(receipt.next_steps, start=1):
            out.line(f"{index}. {step}")
    out.qr(receipt.qr_payload)
    out.line(receipt.qr_caption, align=Align.CENTER)
    out.barcode(receipt.tracking_number)
    if receipt.footer:
        out.line(receipt.footer, align=Align.CENTER)
    return out.cut().build()
