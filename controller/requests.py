"""Answers kiosks' requests (MQTT 5 request/response) on a small worker pool."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sync.envelope import format_utc, utc_now
from sync.mqtt import MqttLink, ReceivedMessage
from sync.requests import BadRequest, decode_request, encode_response
from sync.topics import TopicError, parse_kiosk_topic

__all__ = ["RequestRouter", "RequestHandler", "HandlerRefusal"]

log = logging.getLogger(__name__)

RequestHandler = Callable[[str, dict[str, Any]], dict[str, Any]]


class HandlerRefusal(Exception):
    """Raised by a handler to refuse a request with a reason the kiosk can show."""


class RequestRouter:
    """Dispatches ``{"type", "body"}`` requests to handlers by type and sends the answer."""

    def __init__(self, link: MqttLink, workers: int = 4) -> None:
        self._link = link
        self._handlers: dict[str, RequestHandler] = {"clock": self._clock}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="requests")

    def register(self, request_type: str, handler: RequestHandler) -> None:
        """Answer requests of ``request_type`` with ``handler(kiosk_id, body)``."""
        self._handlers[request_type] = handler

    def submit(self, message: ReceivedMessage) -> None:
        """Queue a request for a worker (called on paho's network thread)."""
        self._pool.submit(self._answer, message)

    def close(self) -> None:
        """Stop taking requests."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _clock(_kiosk: str, _body: dict[str, Any]) -> dict[str, Any]:
        return {"now": format_utc(utc_now())}

    def _answer(self, message: ReceivedMessage) -> None:
        if message.response_topic is None:
            log.warning("request on %s has no response topic; dropped", message.topic)
            return
        try:
            kiosk_id = parse_kiosk_topic(message.topic).kiosk_id
            request = decode_request(message.payload)
            handler = self._handlers.get(request.type)
            if handler is None:
                payload = encode_response(error=f"unknown request type {request.type!r}")
            else:
                payload = encode_response(handler(kiosk_id, request.body))
        except (TopicError, BadRequest, HandlerRefusal) as exc:
            payload = encode_response(error=str(exc))
        except Exception:
            log.exception("request on %s failed", message.topic)
            payload = encode_response(error="the controller could not answer; try again later")
        self._link.respond(message, payload)
