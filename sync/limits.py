"""The size and shape limits of every message on the wire, and the check that enforces them.

Both ends agree on these: a kiosk never builds a message beyond them and the controller
refuses (quarantines) one that is. They are chosen so that whatever passes fits every
supported database: integers within a signed 64-bit column, JSON that serialises again
(orjson stops at 254 levels; we stop far earlier), strings that fit their columns.
"""

from __future__ import annotations

from typing import Any

from .topics import KioskChannel

__all__ = [
    "PAYLOAD_LIMITS",
    "MAX_JSON_DEPTH",
    "MAX_JSON_STRING",
    "MAX_JSON_ITEMS",
    "MAX_WIRE_INT",
    "MIN_WIRE_INT",
    "payload_limit",
    "check_json_shape",
    "ShapeError",
]

# Bytes of payload each channel of a kiosk's subtree may carry. Events hold one business
# record; presence and telemetry are a few device states; a command response may carry a
# 640x360 screenshot preview.
PAYLOAD_LIMITS: dict[KioskChannel, int] = {
    KioskChannel.EVENTS: 64 * 1024,
    KioskChannel.PRESENCE: 8 * 1024,
    KioskChannel.TELEMETRY: 16 * 1024,
    KioskChannel.REQUEST: 8 * 1024,
    KioskChannel.RESPONSE: 512 * 1024,
    KioskChannel.COMMAND: 64 * 1024,
    KioskChannel.REPLY: 64 * 1024,
}

MAX_JSON_DEPTH = 16  # nesting of objects and arrays, the top level counting as 1
MAX_JSON_STRING = 8 * 1024  # characters in any one string (keys included)
MAX_JSON_ITEMS = 4096  # values in one document, all levels together
MAX_WIRE_INT = 2**63 - 1  # a signed 64-bit column holds it on SQLite and PostgreSQL
MIN_WIRE_INT = -(2**63)


class ShapeError(ValueError):
    """A JSON value outside the wire limits; the message says which limit and where."""


def payload_limit(channel: KioskChannel) -> int:
    """Return the largest payload in bytes that ``channel`` may carry."""
    return PAYLOAD_LIMITS[channel]


def check_json_shape(value: Any, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise ShapeError if ``value`` (decoded JSON) breaks a wire limit; return None if not.

    Iterative, so a hostile document cannot exhaust the interpreter's stack.
    """
    stack: list[tuple[Any, int, str]] = [(value, 1, "$")]
    items = 0
    while stack:
        node, depth, where = stack.pop()
        items += 1
        if items > MAX_JSON_ITEMS:
            raise ShapeError(f"more than {MAX_JSON_ITEMS} values in one message")
        if isinstance(node, dict):
            if depth > max_depth:
                raise ShapeError(f"{where}: nested deeper than {max_depth} levels")
            for key, child in node.items():
                if len(key) > MAX_JSON_STRING:
                    raise ShapeError(f"{where}: a key longer than {MAX_JSON_STRING} characters")
                stack.append((child, depth + 1, f"{where}.{key[:40]}"))
        elif isinstance(node, list):
            if depth > max_depth:
                raise ShapeError(f"{where}: nested deeper than {max_depth} levels")
            stack.extend((child, depth + 1, f"{where}[{i}]") for i, child in enumerate(node))
        elif isinstance(node, str):
            if len(node) > MAX_JSON_STRING:
                raise ShapeError(f"{where}: a string longer than {MAX_JSON_STRING} characters")
        elif isinstance(node, int) and not isinstance(node, bool):
            if not MIN_WIRE_INT <= node <= MAX_WIRE_INT:
                raise ShapeError(f"{where}: integer outside the signed 64-bit range")
        elif isinstance(node, float):
            if node != node or node in (float("inf"), float("-inf")):
                raise ShapeError(f"{where}: not a finite number")
