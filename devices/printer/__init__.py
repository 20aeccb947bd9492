"""Receipt printer: ESC/POS receipt building, real-time status, decoder and driver."""

from devices.errors import DeviceBusy, DeviceLost, DeviceTimeout
from devices.printer.commands import Align, EscPosBuilder, encode_text
from devices.printer.decoder import (
    EscPosDecoder,
    PrintedBarcode,
    PrintedLine,
    PrintedQr,
    PrintedReceipt,
)
from devices.printer.driver import PrinterError, PrinterNotReady, ReceiptPrinter
from devices.printer.receipt import Receipt, render_receipt
from devices.printer.status import PrinterStatus, decode_status, is_status_byte, status_query

__all__ = [
    "Align",
    "DeviceBusy",
    "DeviceLost",
    "DeviceTimeout",
    "EscPosBuilder",
    "EscPosDecoder",
    "PrintedBarcode",
    "PrintedLine",
    "PrintedQr",
    "PrintedReceipt",
    "PrinterError",
    "PrinterNotReady",
    "PrinterStatus",
    "Receipt",
    "ReceiptPrinter",
    "decode_status",
    "encode_text",
    "is_status_byte",
    "render_receipt",
    "status_query",
]
