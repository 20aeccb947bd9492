"""What the scanner can read at a kiosk: a receipt's progress QR or an identity QR."""

from __future__ import annotations

import re

__all__ = ["progress_payload", "tracking_from_code", "identity_token_from_code"]

PROGRESS_PREFIX = "stationnet:progress/"
IDENTITY_PREFIX = "12123id:"
_TRACKING = re.compile(r"T[0-9]{6}-[A-Z0-9-]{1,24}-[0-9]{6}")


def progress_payload(tracking_no: str) -> str:
    """Return the text the receipt's QR code carries for ``tracking_no``."""
    return f"{PROGRESS_PREFIX}{tracking_no}"


def tracking_from_code(text: str) -> str | None:
    """Return the tracking number in a scanned or typed ``text``, or None if it has none."""
    value = text.strip()
    if value.lower().startswith(PROGRESS_PREFIX):
        value = value[len(PROGRESS_PREFIX):]
    value = value.upper()
    return value if _TRACKING.fullmatch(value) else None


def identity_token_from_code(text: str) -> str | None:
    """Return the token of a '12123' identity QR code, or None for any other code."""
    value = text.strip()
    if not value.lower().startswith(IDENTITY_PREFIX):
        return None
    token = value[len(IDENTITY_PREFIX):]
    return token if 8 <= len(token) <= 64 and token.isascii() and token.isalnum() else None
