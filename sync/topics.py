"""The MQTT topic namespace both ends agree on.

Every kiosk owns one subtree, ``stationnet/v1/kiosk/<id>/``: it writes only under ``up/``
and reads only ``down/`` there, so a broker ACL with the pattern
``stationnet/v1/kiosk/%u/up/#`` confines each kiosk's credentials to itself. Documents and
the controller's presence are controller-only topics outside any kiosk subtree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "ROOT",
    "KioskChannel",
    "TopicError",
    "KioskTopic",
    "kiosk_topic",
    "kiosk_subscription",
    "document_topic",
    "document_subscription",
    "CONTROLLER_PRESENCE",
    "parse_kiosk_topic",
    "parse_document_topic",
    "validate_id",
]

ROOT = "stationnet/v1"
CONTROLLER_PRESENCE = f"{ROOT}/controller/presence"

# Identifiers become topic levels and file names: keep them boring.
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class TopicError(ValueError):
    """A topic or identifier that cannot be part of the stationnet namespace."""


class KioskChannel(StrEnum):
    """The channels of a kiosk's subtree; the prefix says who may write it."""

    EVENTS = "up/events"  # outbox events, QoS 1
    PRESENCE = "up/presence"  # retained birth / last will
    TELEMETRY = "up/telemetry"  # periodic health
    REQUEST = "up/request"  # kiosk → controller requests (MQTT 5 request/response)
    RESPONSE = "up/response"  # kiosk's responses to controller commands
    COMMAND = "down/command"  # controller → kiosk commands
    REPLY = "down/reply"  # controller's responses to kiosk requests


def validate_id(value: str, what: str = "identifier") -> str:
    """Return ``value`` if it is a valid kiosk/station/document identifier, else raise."""
    if not _ID_PATTERN.match(value):
        raise TopicError(
            f"{what} {value!r} is not valid: use 1-63 characters of lower-case letters, "
            "digits, '-' or '_', starting with a letter or digit"
        )
    return value


@dataclass(frozen=True, slots=True)
class KioskTopic:
    """A concrete topic in one kiosk's subtree."""

    kiosk_id: str
    channel: KioskChannel

    def __post_init__(self) -> None:
        validate_id(self.kiosk_id, "kiosk id")

    def __str__(self) -> str:
        return f"{ROOT}/kiosk/{self.kiosk_id}/{self.channel.value}"


def kiosk_topic(kiosk_id: str, channel: KioskChannel) -> str:
    """Return the topic string of ``channel`` in ``kiosk_id``'s subtree."""
    return str(KioskTopic(kiosk_id, channel))


def kiosk_subscription(channel: KioskChannel) -> str:
    """Return the wildcard filter matching ``channel`` for every kiosk."""
    return f"{ROOT}/kiosk/+/{channel.value}"


def document_topic(kind: str, scope: str) -> str:
    """Return the retained topic of document ``kind`` for ``scope`` (a station id or 'all')."""
    validate_id(kind, "document kind")
    validate_id(scope, "document scope")
    return f"{ROOT}/doc/{kind}/{scope}"


def document_subscription(kind: str = "+", scope: str = "+") -> str:
    """Return the filter for documents of ``kind`` for ``scope`` ('+' matches any)."""
    return f"{ROOT}/doc/{kind}/{scope}"


@lru_cache(maxsize=8192)  # the controller parses every message's topic; kiosks are few
def parse_kiosk_topic(topic: str) -> KioskTopic:
    """Return the kiosk and channel a topic names, or raise TopicError."""
    prefix = f"{ROOT}/kiosk/"
    if not topic.startswith(prefix):
        raise TopicError(f"topic {topic!r} is not in the kiosk namespace {prefix}")
    kiosk_id, _, rest = topic[len(prefix):].partition("/")
    try:
        channel = KioskChannel(rest)
    except ValueError:
        raise TopicError(f"topic {topic!r} names no known kiosk channel") from None
    return KioskTopic(kiosk_id, channel)


def parse_document_topic(topic: str) -> tuple[str, str]:
    """Return (kind, scope) of a document topic, or raise TopicError."""
    prefix = f"{ROOT}/doc/"
    parts = topic[len(prefix):].split("/") if topic.startswith(prefix) else []
    if len(parts) != 2:
        raise TopicError(f"topic {topic!r} is not a document topic {prefix}<kind>/<scope>")
    return validate_id(parts[0], "document kind"), validate_id(parts[1], "document scope")
