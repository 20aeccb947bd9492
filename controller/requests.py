"""Answers kiosks' requests (MQTT 5 request/response) on a small worker pool."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sync.envelope import utc_now
from sync.mqtt import MqttLink, ReceivedMessage
from sync.request_bodies import Answer, ClockAnswer, Query, RequestType
from sync.requests import BadRequest, decode_query, decode_request, encode_response
from sync.topics import TopicError, parse_kiosk_topic

__all__ = ["RequestRouter", "RequestHandler", "HandlerRefusal"]

log = logging.getLogger(__name__)

# handler(kiosk_id, query) -> answer; the query is already read through its model.
RequestHandler = Callable[[str, Any], Answer]


class HandlerRefusal(Exception):
    """Raised by a handler to refuse a request with a reason the kiosk can show."""


class RequestRouter:
    """Reads ``{"type", "body"}`` requests through their query models, hands each to its
    type's handler and sends the answer."""

    def __init__(self, link: MqttLink, workers: int = 4) -> None:
        self._link = link
        self._handlers: dict[RequestType, RequestHandler] = {RequestType.CLOCK: self._clock}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="requests")

    def register(self, request_type: RequestType, handler: RequestHandler) -> None:
        """Answer requests of ``request_type`` with ``handler(kiosk_id, query)``."""
        self._handlers[request_type] = handler

    def submit(self, message: ReceivedMessage) -> None:
        """Queue a request for a worker (called on paho's network thread)."""
        self._pool.submit(self._answer, message)

    def close(self) -> None:
        """Stop taking requests."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _clock(_kiosk: str, _query: Query) -> ClockAnswer:
        return ClockAnswer(now=utc_now())

    def _answer(self, message: ReceivedMessage) -> None:
        if message.response_topic is None:
            log.warning("request on %s has no response topic; dropped", message.topic)
            return
        try:
            kiosk_id = parse_kiosk_topic(message.topic).kiosk_id
            query = decode_query(decode_request(message.payload))
            handler = self._handlers.get(query.request_type)
            if handler is None:
                payload = encode_response(error=f"this controller does not answer "
                                                f"{query.request_type.value!r} requests")
            else:
                payload = encode_response(handler(kiosk_id, query).model_dump(mode="json"))
        except (TopicError, BadRequest, HandlerRefusal) as exc:
            payload = encode_response(error=str(exc))
        except Exception:
            log.exception("request on %s failed", message.topic)
            payload = encode_response(error="the controller could not answer; try again later")
        self._link.respond(message, payload)
