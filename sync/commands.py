"""Technician commands on the wire: the signed command document and the kiosk's responses.

The controller signs a command's canonical bytes with its Ed25519 private key; a kiosk
verifies the signature with the public key from its configuration, then the addressee,
the expiry and that it has never seen the nonce. Every refusal is a
:class:`CommandRefused` whose ``reason`` says which rule the command broke. Pure code:
callers pass the clock and the record of seen nonces.

Payload: ``{"v": 1, "command": {...}, "sig": "<base64 signature of canonical(command)>"}``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .envelope import format_utc, parse_utc

__all__ = [
    "COMMAND_NAMES",
    "LOG_LEVELS",
    "Command",
    "CommandRefused",
    "RefusalReason",
    "CommandResponse",
    "ResponseError",
    "canonical_bytes",
    "sign_command",
    "verify_command",
    "decode_response",
    "load_public_key",
    "public_key_b64",
]

PROTOCOL_VERSION = 1
MAX_COMMAND_BYTES = 16 * 1024
MAX_RESPONSE_BYTES = 256 * 1024
# What the controller may ask a kiosk to do; a kiosk refuses names it has no handler for.
COMMAND_NAMES = ("ping", "selftest", "test_print", "lock", "unlock", "restart", "reprint",
                 "set_log_level", "fetch_log", "screenshot", "reload")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class RefusalReason(StrEnum):
    """Why a kiosk refused a command."""

    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    WRONG_KIOSK = "wrong_kiosk"
    EXPIRED = "expired"
    REPLAYED = "replayed"
    NO_KEY = "no_key"


class CommandRefused(ValueError):
    """A command the kiosk will not run; ``reason`` classifies it, ``command_id`` if known."""

    def __init__(self, reason: RefusalReason, detail: str, command_id: str | None = None,
                 name: str | None = None) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.command_id = command_id
        self.name = name


@dataclass(frozen=True, slots=True)
class Command:
    """One command to one kiosk: who, what, with which arguments, valid when."""

    id: str
    kiosk: str
    name: str
    args: dict[str, Any]
    issued_at: datetime
    expires_at: datetime
    nonce: str

    def document(self) -> dict[str, Any]:
        """Return the command as the JSON-ready dict that is signed."""
        return {"id": self.id, "kiosk": self.kiosk, "name": self.name, "args": self.args,
                "issued_at": format_utc(self.issued_at),
                "expires_at": format_utc(self.expires_at), "nonce": self.nonce}


def canonical_bytes(document: dict[str, Any]) -> bytes:
    """Return the one byte form of a document that both ends sign and verify."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def sign_command(private_key: Ed25519PrivateKey, command: Command) -> bytes:
    """Return the wire payload of ``command`` signed with the controller's key."""
    document = command.document()
    signature = private_key.sign(canonical_bytes(document))
    return json.dumps({"v": PROTOCOL_VERSION, "command": document,
                       "sig": base64.b64encode(signature).decode()},
                      ensure_ascii=False, separators=(",", ":")).encode()


def _parse_payload(payload: bytes) -> tuple[dict[str, Any], bytes]:
    if len(payload) > MAX_COMMAND_BYTES:
        raise CommandRefused(RefusalReason.MALFORMED, f"{len(payload)} bytes is too large")
    try:
        doc = json.loads(payload)
    except (ValueError, RecursionError):
        raise CommandRefused(RefusalReason.MALFORMED, "payload is not UTF-8 JSON") from None
    if not isinstance(doc, dict) or doc.get("v") != PROTOCOL_VERSION:
        raise CommandRefused(RefusalReason.MALFORMED,
                             f"payload must be an object with v={PROTOCOL_VERSION}")
    command, sig = doc.get("command"), doc.get("sig")
    if not isinstance(command, dict) or not isinstance(sig, str):
        raise CommandRefused(RefusalReason.MALFORMED, "payload needs 'command' and 'sig'")
    try:
        signature = base64.b64decode(sig, validate=True)
    except (binascii.Error, ValueError):
        raise CommandRefused(RefusalReason.MALFORMED, "'sig' is not base64") from None
    return command, signature


def _field(doc: dict[str, Any], name: str, kind: type) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind):
        raise CommandRefused(RefusalReason.MALFORMED, f"field {name!r} must be "
                             f"{kind.__name__}", _text(doc.get("id")))
    return value


def _text(value: Any) -> str | None:
    return value[:64] if isinstance(value, str) else None


def _command_from(doc: dict[str, Any]) -> Command:
    for name, kind in (("id", str), ("kiosk", str), ("name", str), ("args", dict),
                       ("issued_at", str), ("expires_at", str), ("nonce", str)):
        _field(doc, name, kind)
    try:
        uuid.UUID(doc["id"])
        issued, expires = parse_utc(doc["issued_at"]), parse_utc(doc["expires_at"])
    except ValueError as exc:
        raise CommandRefused(RefusalReason.MALFORMED, str(exc), _text(doc["id"])) from None
    if not _NAME.match(doc["name"]) or not 8 <= len(doc["nonce"]) <= 64:
        raise CommandRefused(RefusalReason.MALFORMED, "bad command name or nonce", doc["id"])
    return Command(doc["id"], doc["kiosk"], doc["name"], doc["args"], issued, expires,
                   doc["nonce"])


def verify_command(public_key: Ed25519PublicKey | None, payload: bytes, *, kiosk_id: str,
                   now: datetime, seen_nonce: Callable[[str], bool]) -> Command:
    """Return the command in ``payload`` if it is genuine, for us, current and new.

    Raises CommandRefused: the signature is checked before anything in the document is
    trusted, so a forged command is refused as forged whatever it claims.
    """
    document, signature = _parse_payload(payload)
    command_id, name = _text(document.get("id")), _text(document.get("name"))
    if public_key is None:
        raise CommandRefused(RefusalReason.NO_KEY, "this kiosk has no controller public key; "
                             "set [security] controller_public_key", command_id, name)
    try:
        public_key.verify(signature, canonical_bytes(document))
    except InvalidSignature:
        raise CommandRefused(RefusalReason.BAD_SIGNATURE, "signature does not match the "
                             "controller's key", command_id, name) from None
    command = _command_from(document)
    if command.kiosk != kiosk_id:
        raise CommandRefused(RefusalReason.WRONG_KIOSK, f"addressed to {command.kiosk!r}",
                             command.id, command.name)
    if now >= command.expires_at:
        raise CommandRefused(RefusalReason.EXPIRED, f"expired at {format_utc(command.expires_at)}",
                             command.id, command.name)
    if seen_nonce(command.nonce):
        raise CommandRefused(RefusalReason.REPLAYED, "this command was already received",
                             command.id, command.name)
    return command


# -- the kiosk's responses ---------------------------------------------------------------
class ResponseError(ValueError):
    """A command response that does not match its schema."""


Phase = Literal["delivered", "result"]


@dataclass(frozen=True, slots=True)
class CommandResponse:
    """What a kiosk says about a command: received ("delivered") or done ("result")."""

    command_id: str
    kiosk: str
    phase: Phase
    ok: bool = True
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    refused: str | None = None  # a RefusalReason value when the kiosk refused it

    def encode(self) -> bytes:
        """Return the compact JSON payload."""
        return json.dumps({"command_id": self.command_id, "kiosk": self.kiosk,
                           "phase": self.phase, "ok": self.ok, "result": self.result,
                           "error": self.error, "refused": self.refused},
                          ensure_ascii=False, separators=(",", ":")).encode()


def decode_response(payload: bytes) -> CommandResponse:
    """Return the response in ``payload`` or raise ResponseError saying what is wrong."""
    if len(payload) > MAX_RESPONSE_BYTES:
        raise ResponseError(f"response of {len(payload)} bytes is too large")
    try:
        doc = json.loads(payload)
    except (ValueError, RecursionError):
        raise ResponseError("response is not JSON") from None
    if not isinstance(doc, dict):
        raise ResponseError("response must be an object")
    kinds = {"command_id": str, "kiosk": str, "phase": str, "ok": bool, "result": dict}
    for name, kind in kinds.items():
        if not isinstance(doc.get(name), kind):
            raise ResponseError(f"response field {name!r} must be {kind.__name__}")
    if doc["phase"] not in ("delivered", "result"):
        raise ResponseError(f"unknown phase {doc['phase'][:20]!r}")
    error, refused = doc.get("error"), doc.get("refused")
    return CommandResponse(doc["command_id"], doc["kiosk"], doc["phase"], doc["ok"],
                           doc["result"], error if isinstance(error, str) else None,
                           refused if isinstance(refused, str) else None)


# -- keys --------------------------------------------------------------------------------
def load_public_key(text: str) -> Ed25519PublicKey:
    """Return the Ed25519 public key in ``text``: PEM, or the raw 32 bytes in base64.

    Raises ValueError telling the operator what a valid value looks like.
    """
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error, TypeError) as exc:
        raise ValueError(
            f"controller_public_key is not an Ed25519 public key ({exc}); copy the value the "
            "controller logs at start (`stationctl cmd public-key`)") from None


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Return the raw public key in base64, the form kiosk configurations take."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()
