"""The one module that owns paho-mqtt: an MQTT 5 link with declarative subscriptions.

Everything else in stationnet sees :class:`ReceivedMessage` values and calls
:class:`MqttLink` methods; nobody else imports paho. The link reconnects by itself,
restores the declared subscriptions after each connect, supports manual acknowledgement
(so a receiver can ack only after its commit) and MQTT 5 request/response.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

__all__ = [
    "BrokerEndpoint",
    "LastWill",
    "MqttLink",
    "MqttError",
    "NotConnectedError",
    "RequestTimeoutError",
    "ReceivedMessage",
    "PublishHandle",
    "MessageHandler",
]

log = logging.getLogger(__name__)

SESSION_EXPIRY_S = 7 * 24 * 3600


class MqttError(RuntimeError):
    """Base of the MQTT link's errors."""


class NotConnectedError(MqttError):
    """The link has no broker connection right now; the caller should retry later."""


class RequestTimeoutError(MqttError):
    """A request got no response before its deadline."""


@dataclass(frozen=True, slots=True)
class BrokerEndpoint:
    """Where and as whom to connect."""

    host: str = "127.0.0.1"
    port: int = 1883
    keepalive_s: int = 10
    username: str | None = None
    password: str | None = None
    tls_ca_file: str | None = None


@dataclass(frozen=True, slots=True)
class LastWill:
    """The message the broker publishes for us when we vanish."""

    topic: str
    payload: bytes
    retain: bool = True
    qos: int = 1


class ReceivedMessage(NamedTuple):
    """An incoming message, immutable; ``generation`` is the connection it arrived on.

    A named tuple rather than a frozen dataclass: one is built per message on paho's
    network thread, and a tuple is several times cheaper to construct.
    """

    topic: str
    payload: bytes
    qos: int
    retain: bool
    mid: int
    generation: int
    response_topic: str | None = None
    correlation: bytes | None = None
    expiry_s: int | None = None


MessageHandler = Callable[[ReceivedMessage], None]


@dataclass(slots=True)
class PublishHandle:
    """Tracks one QoS>0 publish until the broker acknowledges it."""

    mid: int
    _info: Any = field(repr=False)

    def is_acknowledged(self) -> bool:
        """Return True once the broker has acknowledged (PUBACK) this message."""
        # Not info.is_published(): for a message queued while the connection was down it
        # raises forever (its rc stays "not connected"), even after paho re-sent it on
        # reconnect and the broker acknowledged it. Read the flag PUBACK sets instead.
        info = self._info
        with info._condition:
            return bool(info._published)


@dataclass(slots=True)
class _PendingRequest:
    done: threading.Event = field(default_factory=threading.Event)
    payload: bytes | None = None


class MqttLink:
    """A persistent MQTT 5 session to the broker, kept alive in a background thread."""

    def __init__(
        self,
        client_id: str,
        endpoint: BrokerEndpoint,
        *,
        clean_start: bool = False,
        session_expiry_s: int = SESSION_EXPIRY_S,
        manual_ack: bool = False,
        receive_maximum: int | None = None,
        max_packet_bytes: int | None = None,
        max_inflight: int = 100,
        will: LastWill | None = None,
        on_connect: Callable[[bool], None] | None = None,
        on_disconnect: Callable[[], None] | None = None,
    ) -> None:
        self.client_id = client_id
        self.endpoint = endpoint
        self._session_expiry_s = session_expiry_s
        self._receive_maximum = receive_maximum
        self._max_packet_bytes = max_packet_bytes
        self._clean_start = clean_start
        self._user_on_connect = on_connect
        self._user_on_disconnect = on_disconnect
        self._subscriptions: dict[str, tuple[int, MessageHandler]] = {}
        self._route_cache: dict[str, MessageHandler | None] = {}
        self._lock = threading.Lock()
        self._requests: dict[bytes, _PendingRequest] = {}
        self._reply_topic: str | None = None
        self.connected = threading.Event()
        # Set once the broker has acknowledged this connection's subscriptions: from then
        # on nothing published to them is missed, even by a persistent session's first run.
        self.subscribed = threading.Event()
        self._connect_subscription_mid: int | None = None
        self.generation = 0
        self._ack_listeners: list[Callable[[], None]] = []
        self._client = self._make_client(manual_ack, max_inflight, will)

    def _make_client(self, manual_ack: bool, max_inflight: int, will: LastWill | None) -> Any:
        client = paho.Client(
            CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=MQTTProtocolVersion.MQTTv5,
            manual_ack=manual_ack,
        )
        client.max_inflight_messages_set(max_inflight)
        client.max_queued_messages_set(0)
        client.reconnect_delay_set(min_delay=1, max_delay=5)
        if self.endpoint.username:
            client.username_pw_set(self.endpoint.username, self.endpoint.password)
        if self.endpoint.tls_ca_file:
            client.tls_set(ca_certs=self.endpoint.tls_ca_file)
        if will is not None:
            client.will_set(will.topic, will.payload, qos=will.qos, retain=will.retain)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_publish = self._on_publish
        client.on_subscribe = self._on_subscribe
        return client

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        """Begin connecting in the background; reconnects forever until :meth:`stop`."""
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = self._session_expiry_s
        if self._receive_maximum:
            props.ReceiveMaximum = self._receive_maximum
        if self._max_packet_bytes:
            # MQTT 5: the broker must not send us a larger packet; it drops it instead, so
            # an oversized flood never costs this process the bytes.
            props.MaximumPacketSize = self._max_packet_bytes
        self._client.connect_async(
            self.endpoint.host, self.endpoint.port, keepalive=self.endpoint.keepalive_s,
            clean_start=self._clean_start, properties=props,
        )
        self._client.loop_start()

    def wait_connected(self, timeout: float) -> bool:
        """Return True once connected, False if ``timeout`` seconds pass first."""
        return self.connected.wait(timeout)

    def stop(self, *, final: tuple[str, bytes] | None = None, timeout: float = 2.0) -> None:
        """Disconnect cleanly, first publishing ``final`` (topic, payload) retained if given."""
        if final is not None and self.connected.is_set():
            info = self._client.publish(final[0], final[1], qos=1, retain=True)
            try:
                info.wait_for_publish(timeout)
            except (RuntimeError, ValueError):
                pass
        self._client.disconnect()
        self._client.loop_stop()
        self.connected.clear()

    # -- callbacks (paho's network thread) --------------------------------------------
    def _on_connect(self, client: Any, _ud: Any, flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            log.warning("broker %s:%s refused %s: %s", self.endpoint.host, self.endpoint.port,
                        self.client_id, reason)
            return
        with self._lock:
            self.generation += 1
            subscriptions = [(topic, qos) for topic, (qos, _) in self._subscriptions.items()]
        if subscriptions:
            _, self._connect_subscription_mid = client.subscribe(subscriptions)
        else:
            self.subscribed.set()
        self.connected.set()
        session_present = bool(getattr(flags, "session_present", False))
        log.info("%s connected to %s:%s (session present: %s)", self.client_id,
                 self.endpoint.host, self.endpoint.port, session_present)
        if self._user_on_connect:
            self._user_on_connect(session_present)

    def _on_disconnect(self, _c: Any, _ud: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if self.connected.is_set():
            log.info("%s disconnected: %s", self.client_id, reason)
        self.connected.clear()
        self.subscribed.clear()
        if self._user_on_disconnect:
            self._user_on_disconnect()

    def _on_subscribe(self, _c: Any, _ud: Any, mid: int, reasons: Any, _props: Any) -> None:
        if mid != self._connect_subscription_mid:
            return
        refused = [r for r in reasons if getattr(r, "is_failure", False)]
        if refused:
            log.error("%s: the broker refused %d subscription(s): %s — check its ACL",
                      self.client_id, len(refused), refused)
        self.subscribed.set()

    def _on_publish(self, _c: Any, _ud: Any, _mid: int, _reason: Any, _props: Any) -> None:
        for listener in self._ack_listeners:
            listener()

    def _on_message(self, _c: Any, _ud: Any, msg: Any) -> None:
        received = self._freeze(msg)
        if received.correlation is not None and received.topic == self._reply_topic:
            with self._lock:
                pending = self._requests.pop(received.correlation, None)
            if pending is not None:
                pending.payload = received.payload
                pending.done.set()
            return
        handler = self._handler_for(received.topic)
        if handler is None:
            return
        try:
            handler(received)
        except Exception:  # a handler's bug must never kill the network thread
            log.exception("handler for %s failed", received.topic)

    def _freeze(self, msg: Any) -> ReceivedMessage:
        props = getattr(msg, "properties", None)
        return ReceivedMessage(
            topic=msg.topic, payload=bytes(msg.payload), qos=msg.qos, retain=bool(msg.retain),
            mid=msg.mid, generation=self.generation,
            response_topic=getattr(props, "ResponseTopic", None),
            correlation=getattr(props, "CorrelationData", None),
            expiry_s=getattr(props, "MessageExpiryInterval", None),
        )

    def _handler_for(self, topic: str) -> MessageHandler | None:
        # Matching a topic against every filter is costly at thousands of messages a
        # second; remember the answer per topic until the subscriptions change.
        with self._lock:
            if topic in self._route_cache:
                return self._route_cache[topic]
            handler = next((h for pattern, (_, h) in self._subscriptions.items()
                            if paho.topic_matches_sub(_strip_share(pattern), topic)), None)
            if len(self._route_cache) > 10_000:
                self._route_cache.clear()
            self._route_cache[topic] = handler
            return handler

    def on_acknowledged(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (on the network thread; keep it tiny) after every PUBACK."""
        self._ack_listeners.append(listener)

    # -- subscriptions ------------------------------------------------------------------
    def subscribe(self, topic_filter: str, handler: MessageHandler, qos: int = 1) -> None:
        """Declare a subscription; it is (re)made on every connect."""
        with self._lock:
            self._subscriptions[topic_filter] = (qos, handler)
            self._route_cache.clear()
        if self.connected.is_set():
            self._client.subscribe(topic_filter, qos)

    def set_subscriptions(self, wanted: dict[str, tuple[int, MessageHandler]]) -> None:
        """Make the declared subscriptions exactly ``wanted``: add, keep or drop each."""
        with self._lock:
            dropped = [t for t in self._subscriptions if t not in wanted]
            added = [(t, q) for t, (q, _) in wanted.items() if t not in self._subscriptions]
            self._subscriptions = dict(wanted)
            self._route_cache.clear()
        if self.connected.is_set():
            if dropped:
                self._client.unsubscribe(dropped)
            if added:
                self._client.subscribe(added)

    # -- sending ------------------------------------------------------------------------
    def publish(
        self, topic: str, payload: bytes, *, qos: int = 1, retain: bool = False,
        expiry_s: int | None = None, response_topic: str | None = None,
        correlation: bytes | None = None,
    ) -> PublishHandle:
        """Queue ``payload`` for ``topic``; the handle tells when the broker has it."""
        props = None
        if expiry_s is not None or response_topic is not None or correlation is not None:
            props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
            if expiry_s is not None:
                props.MessageExpiryInterval = expiry_s
            if response_topic is not None:
                props.ResponseTopic = response_topic
            if correlation is not None:
                props.CorrelationData = correlation
        info = self._client.publish(topic, payload, qos=qos, retain=retain, properties=props)
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            raise MqttError(f"publish to {topic} failed: {paho.error_string(info.rc)}")
        return PublishHandle(info.mid, info)

    def ack(self, message: ReceivedMessage) -> bool:
        """Acknowledge a manually-acked QoS 1 message; False if its connection is gone.

        A message from an earlier connection is not acked: the broker will deliver it
        again on this one (and the receiver dedupes), whereas acking its stale packet id
        could acknowledge a different, uncommitted message.
        """
        if message.qos == 0 or message.generation != self.generation:
            return False
        self._client.ack(message.mid, message.qos)
        return True

    def respond(self, request: ReceivedMessage, payload: bytes, expiry_s: int = 30) -> None:
        """Send ``payload`` to a request's response topic with its correlation data."""
        if request.response_topic is None:
            raise MqttError(f"message on {request.topic} asked for no response")
        self.publish(request.response_topic, payload, qos=1, expiry_s=expiry_s,
                     correlation=request.correlation)

    def use_reply_topic(self, topic: str) -> None:
        """Subscribe to ``topic`` as this link's inbox for responses to its requests."""
        self._reply_topic = topic
        self.subscribe(topic, lambda _m: None, qos=1)

    def request(self, topic: str, payload: bytes, *, timeout_s: float) -> bytes:
        """Return the response to a request, raising if not connected or on timeout."""
        if self._reply_topic is None:
            raise MqttError("call use_reply_topic() before making requests")
        if not self.connected.is_set():
            raise NotConnectedError("not connected to the broker")
        correlation = uuid.uuid4().bytes
        pending = _PendingRequest()
        with self._lock:
            self._requests[correlation] = pending
        try:
            self.publish(topic, payload, qos=1, expiry_s=max(1, int(timeout_s + 0.999)),
                         response_topic=self._reply_topic, correlation=correlation)
            if not pending.done.wait(timeout_s) or pending.payload is None:
                raise RequestTimeoutError(f"no response on {topic} within {timeout_s:g} s")
            return pending.payload
        finally:
            with self._lock:
                self._requests.pop(correlation, None)


def _strip_share(pattern: str) -> str:
    """Return the plain filter of a ``$share/group/filter`` subscription."""
    if pattern.startswith("$share/"):
        return pattern.split("/", 2)[2]
    return pattern
