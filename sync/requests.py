"""Kiosk → controller requests over MQTT 5 request/response, and their wire format.

A kiosk publishes ``{"type", "body"}`` on its ``up/request`` topic with a response topic
(its ``down/reply``), correlation data and a message expiry; the controller answers
``{"ok": true, "body": …}`` or ``{"ok": false, "error": …}``. When the controller cannot
be reached the kiosk gets :class:`ControllerUnavailable` and says so plainly. The bodies
of each request type are the models in :mod:`sync.request_bodies`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from .messages import validation_summary
from .mqtt import MqttLink, NotConnectedError, RequestTimeoutError
from .request_bodies import QUERIES, Answer, Query, RequestType
from .topics import KioskChannel, kiosk_topic

__all__ = [
    "KioskRequest",
    "ControllerUnavailable",
    "RequestRefused",
    "RequestClient",
    "decode_request",
    "decode_query",
    "encode_response",
    "BadRequest",
]

_A = TypeVar("_A", bound=Answer)


class ControllerUnavailable(RuntimeError):
    """The controller did not answer (offline, broker away, or too slow)."""


class RequestRefused(RuntimeError):
    """The controller answered, and said no; the message is its reason."""


class BadRequest(ValueError):
    """A request payload that is not ``{"type": str, "body": object}``."""


@dataclass(frozen=True, slots=True)
class KioskRequest:
    """A decoded request: its type and body."""

    type: str
    body: dict[str, Any]


def decode_request(payload: bytes) -> KioskRequest:
    """Return the request in ``payload`` or raise BadRequest."""
    try:
        doc = json.loads(payload)
    except (ValueError, RecursionError):
        raise BadRequest("request is not JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        raise BadRequest("request must be an object with a string 'type'")
    body = doc.get("body", {})
    if not isinstance(body, dict):
        raise BadRequest("request 'body' must be an object")
    return KioskRequest(doc["type"], body)


def decode_query(request: KioskRequest) -> Query:
    """Return the request's body read through its type's query model, or raise BadRequest."""
    try:
        model = QUERIES[RequestType(request.type)]
    except ValueError:
        raise BadRequest(f"unknown request type {request.type[:64]!r}") from None
    try:
        return model.model_validate(request.body)
    except ValidationError as exc:
        raise BadRequest(validation_summary(f"{request.type} request", exc)) from None


def encode_response(body: dict[str, Any] | None = None, error: str | None = None) -> bytes:
    """Return a response payload: ok with ``body``, or refused with ``error``."""
    doc: dict[str, Any] = {"ok": error is None}
    if error is None:
        doc["body"] = body or {}
    else:
        doc["error"] = error
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


class RequestClient:
    """A kiosk's way to ask the controller something and wait for the answer."""

    def __init__(self, link: MqttLink, kiosk_id: str) -> None:
        self._link = link
        self._topic = kiosk_topic(kiosk_id, KioskChannel.REQUEST)
        link.use_reply_topic(kiosk_topic(kiosk_id, KioskChannel.REPLY))

    def ask(self, query: Query, answer: type[_A], *, timeout_s: float = 5.0) -> _A:
        """Return the controller's answer to ``query``, read through ``answer``.

        ``answer`` must be the query's answer model (it is passed for the type checker).
        Raises ControllerUnavailable, or RequestRefused (also for an answer that does not
        fit the model: the controller speaks another version of the contract).
        """
        if query.answer is not answer:
            raise TypeError(f"{query.request_type} is answered by {query.answer.__name__}, "
                            f"not {answer.__name__}")
        raw = self._call(query.request_type, query.model_dump(mode="json", exclude_none=True),
                         timeout_s=timeout_s)
        try:
            return answer.model_validate(raw)
        except ValidationError as exc:
            summary = validation_summary(f"{query.request_type} answer", exc)
            raise RequestRefused(f"the controller's answer was not readable ({summary})"
                                 ) from None

    def _call(self, request_type: str, body: dict[str, Any], *, timeout_s: float
              ) -> dict[str, Any]:
        """Return the controller's answer body; raise ControllerUnavailable or RequestRefused."""
        payload = json.dumps({"type": request_type, "body": body}, ensure_ascii=False).encode()
        try:
            raw = self._link.request(self._topic, payload, timeout_s=timeout_s)
        except NotConnectedError:
            raise ControllerUnavailable("no connection to the network right now") from None
        except RequestTimeoutError:
            raise ControllerUnavailable(
                f"the controller did not answer within {timeout_s:g} s") from None
        try:
            doc = json.loads(raw)
        except ValueError:
            raise RequestRefused("the controller's answer was not readable") from None
        if not doc.get("ok"):
            raise RequestRefused(str(doc.get("error", "refused without a reason")))
        result: dict[str, Any] = doc.get("body", {})
        return result
