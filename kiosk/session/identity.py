"""Who the citizen is, held in memory for one visit only, and the pseudonym used to look up.

An :class:`Identity` keeps the full ID number and card address only because a service may
need them; :meth:`Identity.wipe` drops them at the end of every visit. Progress lookups by
card send :func:`applicant_ref` (a keyed hash), never the number itself.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field

__all__ = ["Identity", "applicant_ref", "lookup_key", "mask_text"]

_DEFAULT_KEY = "stationnet applicant reference v1"
LOOKUP_KEY_ENV = "STATIONNET_LOOKUP_KEY"


def lookup_key(network_name: str = "") -> bytes:
    """Return the network-wide key for applicant references ($STATIONNET_LOOKUP_KEY first).

    Every kiosk of a network must use the same key so a card tapped at any kiosk finds
    the applications made at another; set the variable to a deployment secret.
    """
    secret = os.environ.get(LOOKUP_KEY_ENV) or f"{_DEFAULT_KEY}|{network_name}"
    return secret.encode("utf-8")


def applicant_ref(id_number: str, key: bytes) -> str:
    """Return the keyed hash standing for ``id_number`` on the wire (32 hex characters)."""
    digest = hmac.new(key, id_number.strip().upper().encode("ascii", "replace"), hashlib.sha256)
    return digest.hexdigest()[:32]


def mask_text(text: str, keep: int = 6) -> str:
    """Return ``text`` with all but its first ``keep`` characters replaced by ``*``."""
    if len(text) <= keep:
        return "*" * len(text)
    return text[:keep] + "*" * min(8, len(text) - keep)


@dataclass(slots=True, repr=False)
class Identity:
    """The identified citizen: masked fields to show, full ones only for the application."""

    source: str  # "idcard" or "qr"
    masked_name: str
    masked_number: str
    ref: str
    expired: bool = False
    _number: str = field(default="")
    _address: str = field(default="")

    @property
    def id_number(self) -> str:
        """Return the full ID number ('' after wipe or for QR identification)."""
        return self._number

    @property
    def address(self) -> str:
        """Return the card's address ('' after wipe or for QR identification)."""
        return self._address

    @property
    def masked_address(self) -> str:
        """Return the address safe to show: its first six characters."""
        return mask_text(self._address)

    def wipe(self) -> None:
        """Drop every personal field this object holds."""
        self.masked_name = self.masked_number = self.ref = ""
        self._number = self._address = ""

    def __repr__(self) -> str:
        return f"Identity(source={self.source}, name={self.masked_name!r}, number=<hidden>)"

    __str__ = __repr__
