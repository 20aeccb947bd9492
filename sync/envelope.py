"""The one message envelope every kiosk event travels in, and its strict decoder.

An envelope is ``{"v", "id", "kiosk", "seq", "ts", "type", "body"}`` as compact UTF-8
JSON (orjson: the controller parses every event, so JSON speed is ingest speed).
Decoding never raises anything but :class:`EnvelopeError`, whose ``reason`` says
which rule the message broke, so the controller can quarantine it and keep going.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson

from .ids import uuid7
from .limits import (
    MAX_JSON_DEPTH,
    MAX_JSON_ITEMS,
    MAX_JSON_STRING,
    MAX_WIRE_INT,
    ShapeError,
    check_json_shape,
    payload_limit,
)
from .topics import KioskChannel

__all__ = [
    "SCHEMA_VERSION",
    "MAX_PAYLOAD_BYTES",
    "MAX_KIOSK_CHARS",
    "MAX_TYPE_CHARS",
    "MAX_TS_CHARS",
    "TYPE_PATTERN",
    "ID_PATTERN",
    "Envelope",
    "EnvelopeError",
    "RejectReason",
    "decode_envelope",
    "utc_now",
    "format_utc",
    "parse_utc",
]

SCHEMA_VERSION = 1
MAX_PAYLOAD_BYTES = payload_limit(KioskChannel.EVENTS)
TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,4}$")  # dotted event type
ID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                        r"[0-9a-fA-F]{12}$")  # a UUID, hyphens optional
_FIELDS = ("v", "id", "kiosk", "seq", "ts", "type", "body")
# Column widths of the controller's events table: longer values are refused here.
MAX_KIOSK_CHARS = 64
MAX_TYPE_CHARS = 64
MAX_TS_CHARS = 32
# A payload this small cannot hold a string or a value count beyond the shape limits.
_SMALL_PAYLOAD = min(MAX_JSON_STRING, MAX_JSON_ITEMS)
_LONG_NUMBER = re.compile(rb"\d{19}")  # 2^63 has 19 digits


class RejectReason(StrEnum):
    """Why an incoming message was refused; stored with the quarantined copy."""

    OVERSIZED = "oversized"
    NOT_JSON = "not_json"
    NOT_OBJECT = "not_object"
    UNKNOWN_VERSION = "unknown_version"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    INVALID_VALUE = "invalid_value"
    INVALID_BODY = "invalid_body"  # a known event type whose body breaks its model (sync.events)
    TOPIC_MISMATCH = "topic_mismatch"
    WRONG_TOPIC = "wrong_topic"
    UNSTORABLE = "unstorable"  # valid on the wire, but the database refused to store it


class EnvelopeError(ValueError):
    """A message that is not a valid envelope; ``reason`` classifies it."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def format_utc(moment: datetime) -> str:
    """Return the wire form of an aware datetime: ISO 8601 UTC with microseconds and 'Z'."""
    if moment.tzinfo is None:
        raise ValueError("wire timestamps must be timezone-aware; got a naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> datetime:
    """Return the aware UTC datetime of a wire timestamp, or raise ValueError."""
    if not text.endswith("Z") or "+" in text:
        raise ValueError(f"timestamp {text!r} must be UTC and end in 'Z'")
    return datetime.fromisoformat(text)  # reads the 'Z' as UTC (Python 3.11+)


@dataclass(frozen=True, slots=True)
class Envelope:
    """One kiosk event: who sent it, its place in the kiosk's sequence, and its body."""

    kiosk: str
    seq: int
    type: str
    body: dict[str, Any]
    id: str = field(default_factory=uuid7)
    ts: datetime = field(default_factory=utc_now)
    v: int = SCHEMA_VERSION
    # The timestamp as it came off the wire, kept so storing it costs no reformatting.
    wire_ts: str = field(default="", compare=False, repr=False)
    # The body as compact JSON, made once by the decoder: proof that it serialises, and
    # what the controller stores without encoding it again.
    body_json: str = field(default="", compare=False, repr=False)

    @property
    def body_text(self) -> str:
        """Return the body as compact JSON text."""
        return self.body_json or orjson.dumps(self.body).decode()

    @property
    def ts_text(self) -> str:
        """Return the timestamp in wire form (ISO 8601 UTC with 'Z')."""
        return self.wire_ts or format_utc(self.ts)

    def encode(self) -> bytes:
        """Return the compact UTF-8 JSON payload of this envelope."""
        doc = {
            "v": self.v, "id": self.id, "kiosk": self.kiosk, "seq": self.seq,
            "ts": self.ts_text, "type": self.type, "body": self.body,
        }
        return orjson.dumps(doc)


def _require(doc: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in doc:
        raise EnvelopeError(RejectReason.MISSING_FIELD, f"field {name!r} is missing")
    value = doc[name]
    # bool is an int subclass; a JSON true is never a sequence number or version.
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise EnvelopeError(
            RejectReason.WRONG_TYPE,
            f"field {name!r} must be {getattr(kind, '__name__', kind)}, "
            f"got {type(value).__name__}",
        )
    return value


def _parse_document(payload: bytes, max_bytes: int) -> dict[str, Any]:
    if len(payload) > max_bytes:
        raise EnvelopeError(
            RejectReason.OVERSIZED, f"{len(payload)} bytes exceeds the {max_bytes}-byte limit"
        )
    try:
        doc = orjson.loads(payload)
    except (UnicodeDecodeError, orjson.JSONDecodeError, RecursionError) as exc:
        raise EnvelopeError(RejectReason.NOT_JSON, f"payload is not UTF-8 JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise EnvelopeError(RejectReason.NOT_OBJECT, "payload must be a JSON object")
    return doc


def _check_values(doc: dict[str, Any]) -> None:
    if not ID_PATTERN.match(doc["id"]):
        raise EnvelopeError(RejectReason.INVALID_VALUE, "field 'id' is not a UUID")
    if not 1 <= doc["seq"] <= MAX_WIRE_INT:
        raise EnvelopeError(RejectReason.INVALID_VALUE,
                            f"field 'seq' must be from 1 to {MAX_WIRE_INT} (signed 64-bit)")
    for name, most in (("kiosk", MAX_KIOSK_CHARS), ("type", MAX_TYPE_CHARS),
                       ("ts", MAX_TS_CHARS)):
        if len(doc[name]) > most:
            raise EnvelopeError(RejectReason.INVALID_VALUE,
                                f"field {name!r} is longer than {most} characters")
    if not TYPE_PATTERN.match(doc["type"]):
        raise EnvelopeError(
            RejectReason.INVALID_VALUE, f"field 'type' {doc['type'][:80]!r} is not a dotted name"
        )
    if len(doc) != len(_FIELDS):  # every field is present here, so more means extra
        extra = sorted(set(doc) - set(_FIELDS))
        raise EnvelopeError(RejectReason.INVALID_VALUE, f"unknown fields {extra}")


def decode_envelope(
    payload: bytes, *, topic_kiosk: str | None = None, max_bytes: int = MAX_PAYLOAD_BYTES
) -> Envelope:
    """Return the envelope in ``payload``, or raise EnvelopeError with the precise reason.

    ``topic_kiosk`` is the kiosk id taken from the topic the message arrived on; an
    envelope claiming another kiosk is refused, so one kiosk cannot speak for another.
    """
    doc = _parse_document(payload, max_bytes)
    version = _require(doc, "v", int)
    if version != SCHEMA_VERSION:
        raise EnvelopeError(
            RejectReason.UNKNOWN_VERSION,
            f"schema version {version} is not supported (this build speaks {SCHEMA_VERSION})",
        )
    for name, kind in (("id", str), ("kiosk", str), ("seq", int), ("ts", str), ("type", str)):
        _require(doc, name, kind)
    body = _require(doc, "body", dict)
    _check_values(doc)
    if topic_kiosk is not None and doc["kiosk"] != topic_kiosk:
        raise EnvelopeError(
            RejectReason.TOPIC_MISMATCH,
            f"envelope says kiosk {doc['kiosk'][:64]!r} but arrived on {topic_kiosk!r}'s topic",
        )
    try:
        ts = parse_utc(doc["ts"])
    except ValueError as exc:
        raise EnvelopeError(RejectReason.INVALID_VALUE, f"field 'ts': {exc}") from None
    return Envelope(
        kiosk=doc["kiosk"], seq=doc["seq"], type=doc["type"], body=body, id=doc["id"], ts=ts,
        wire_ts=doc["ts"], body_json=_body_json(body, payload),
    )


def _body_json(body: dict[str, Any], payload: bytes) -> str:
    """Return the body as compact JSON once it is known to be within the wire limits.

    The shape walk (depth, values, string length, 64-bit integers) runs only when the
    payload could break a limit at all: more bytes than the fewest a limit needs, more
    opening brackets than the depth limit, or a run of 19 digits. A typical event has
    none, and skipping the walk keeps decoding as fast as before the limits. Serialising
    proves it can be stored, and is what the controller stores.
    """
    try:
        if (len(payload) > _SMALL_PAYLOAD
                or payload.count(b"{") + payload.count(b"[") > MAX_JSON_DEPTH
                or _LONG_NUMBER.search(payload)):
            check_json_shape(body, max_depth=MAX_JSON_DEPTH - 1)  # the envelope is level 1
        return orjson.dumps(body).decode()
    except ShapeError as exc:
        raise EnvelopeError(RejectReason.INVALID_VALUE, f"field 'body': {exc}") from None
    except orjson.JSONEncodeError as exc:
        raise EnvelopeError(RejectReason.INVALID_VALUE,
                            f"field 'body' cannot be stored as JSON: {exc}") from None
