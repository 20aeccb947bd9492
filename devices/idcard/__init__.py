"""Resident ID-card reader: SAM protocol core, card parsing and the serial driver."""

from devices.errors import DeviceBusy, DeviceLost, DeviceTimeout
from devices.idcard.card import CardKind, IdentityCard, mask_name, mask_number
from devices.idcard.citizen_id import check_digit, is_valid_citizen_number
from devices.idcard.driver import IdCardReader
from devices.idcard.errors import (
    CardMovedDuringRead,
    CardReaderError,
    CardRejected,
    ChecksumError,
    InvalidCardData,
    NoCard,
    ReaderProtocolError,
    SamFault,
)
from devices.idcard.nations import NATIONS, Gender
from devices.idcard.sequence import CardReadSequence
from devices.idcard.textblock import encode_text_block, parse_text_block

__all__ = [
    "NATIONS",
    "CardKind",
    "CardMovedDuringRead",
    "CardReadSequence",
    "CardReaderError",
    "CardRejected",
    "ChecksumError",
    "DeviceBusy",
    "DeviceLost",
    "DeviceTimeout",
    "Gender",
    "IdCardReader",
    "IdentityCard",
    "InvalidCardData",
    "NoCard",
    "ReaderProtocolError",
    "SamFault",
    "check_digit",
    "encode_text_block",
    "is_valid_citizen_number",
    "mask_name",
    "mask_number",
    "parse_text_block",
]
