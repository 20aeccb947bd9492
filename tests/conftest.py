"""Fixtures shared by every test folder: a real broker network per test."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import Network
from postgres import PostgresCluster, PostgresUnavailable

from controller.broker import BrokerError, find_mosquitto


@pytest.fixture(scope="session")
def mosquitto_binary() -> str:
    """The Mosquitto binary; a missing one fails the run with the way to install it."""
    try:
        return find_mosquitto()
    except BrokerError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def network_factory(tmp_path: Path, mosquitto_binary: str
                    ) -> Iterator[Callable[..., Network]]:
    """Build isolated networks (own broker port, config and data folder) for one test."""
    made: list[Network] = []

    def make(kiosks: list[tuple[str, str]] | None = None, *, start_broker: bool = True,
             **kwargs: Any) -> Network:
        root = tmp_path / f"net{len(made)}"
        root.mkdir()
        net = Network(root, kiosks or [("k-test-1", "hz-xihu-wensan")], **kwargs)
        made.append(net)
        if start_broker:
            net.start_broker()
        return net

    yield make
    for net in made:
        net.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """A private PostgreSQL server for the run; a missing one fails with how to install it."""
    cluster = PostgresCluster()
    try:
        cluster.start()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres: PostgresCluster, request: pytest.FixtureRequest) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:50].lower()
    return postgres.create_database(name)


@pytest.fixture
def network(network_factory: Callable[..., Network]) -> Network:
    """A network with two kiosks at two stations and a running broker."""
    return network_factory([("k-wensan-1", "hz-xihu-wensan"), ("k-daguan-1", "hz-gongshu-daguan")])


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """The X display for kiosk windows: $DISPLAY, or a fresh 1920x1080 Xvfb for the run."""
    import kiosk_window

    proc, name = kiosk_window.start_xvfb()
    yield name
    if proc is not None:
        proc.terminate()
        proc.wait(10)


def pytest_report_header() -> list[str]:
    found = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    return [f"mosquitto: {found}"]
