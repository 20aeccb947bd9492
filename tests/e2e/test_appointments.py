"""Appointments over MQTT 5 request/response: the last place goes to exactly one kiosk."""

from __future__ import annotations

import threading

import httpx
import pytest
from harness import Network

from kiosk import appointments
from kiosk.agent import KioskAgent
from sync.requests import ControllerUnavailable, RequestRefused

SERVICE = "plate-replacement"  # staffed only, capacity 1 in config/appointments.toml


def _agents(network: Network) -> list[KioskAgent]:
    made = [KioskAgent(network.settings, k) for k in ("k-wensan-1", "k-daguan-1")]
    for agent in made:
        agent.start()
        assert agent.link.wait_connected(10)
    return made


def test_two_kiosks_racing_for_the_last_place_exactly_one_wins(network: Network) -> None:
    network.controller()
    wensan, daguan = agents = _agents(network)
    try:
        slots = appointments.available_slots(wensan, SERVICE)
        assert slots, "the seeded schedule has staffed hours within 14 days"
        target = slots[0]
        results: list[object] = []
        barrier = threading.Barrier(2)

        def attempt(agent: KioskAgent) -> None:
            barrier.wait()
            try:
                results.append(appointments.book(agent, SERVICE, target.start, "张三丰",
                                                 station="hz-xihu-wensan"))
            except RequestRefused as exc:
                results.append(exc)

        threads = [threading.Thread(target=attempt, args=(a,)) for a in agents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)
        won = [r for r in results if isinstance(r, appointments.Booking)]
        refused = [r for r in results if isinstance(r, RequestRefused)]
        assert len(won) == 1 and len(refused) == 1
        assert "fully booked; choose another slot" in str(refused[0])
        assert won[0].masked_name == "张**" and won[0].start == target.start
        assert target.start not in [s.start for s in appointments.available_slots(wensan,
                                                                                  SERVICE)]
        listed = httpx.get(f"{network.api}/api/v1/appointments").json()
        assert [a["reference"] for a in listed] == [won[0].reference]
        appointments.cancel(daguan, won[0].reference)
        assert target.start in [s.start for s in appointments.available_slots(wensan, SERVICE)]
        with pytest.raises(RequestRefused, match="already cancelled"):
            appointments.cancel(wensan, won[0].reference)
    finally:
        for agent in agents:
            agent.stop()


def test_with_the_controller_down_booking_says_controller_unavailable(
        network: Network) -> None:
    network.controller()
    wensan = KioskAgent(network.settings, "k-wensan-1")
    wensan.start()
    try:
        assert wensan.link.wait_connected(10)
        slots = appointments.available_slots(wensan, SERVICE)
        network.procs[0].kill()
        with pytest.raises(ControllerUnavailable):
            appointments.book(wensan, SERVICE, slots[0].start, "李四", timeout_s=1.0)
        with pytest.raises(ControllerUnavailable):
            appointments.available_slots(wensan, SERVICE, timeout_s=1.0)
        assert "暂时无法预约" in appointments.UNAVAILABLE["zh"]
    finally:
        wensan.stop()
