"""The MQTT link against a real broker: what happens to messages across outages."""

from __future__ import annotations

from collections.abc import Callable

from harness import Network, wait_for

from sync.mqtt import BrokerEndpoint, MqttLink


def test_a_message_published_during_an_outage_is_acknowledged_after_reconnect(
        network_factory: Callable[..., Network]) -> None:
    network = network_factory()
    link = MqttLink("outage-probe", BrokerEndpoint(port=network.port, keepalive_s=2))
    link.start()
    try:
        assert link.wait_connected(10)
        network.broker.stop()
        wait_for(lambda: not link.connected.is_set(), 10, "the link to notice the outage")
        handle = link.publish("stationnet/v1/probe", b"queued while away", qos=1)
        assert handle.is_acknowledged() is False  # queued by paho, not lost, not an error
        network.broker.start()
        wait_for(handle.is_acknowledged, 20, "the broker to acknowledge after reconnect")
    finally:
        link.stop()
