"""`stationnet demo`, the main job: everything comes up, and one Ctrl-C stops all of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from harness import REPO, free_port, wait_for


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def test_demo_brings_up_the_network_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    http_port = free_port()
    env = {**os.environ, "STATIONNET__BROKER__PORT": str(free_port()),
           "STATIONNET__CONTROLLER__HTTP_PORT": str(http_port),
           "STATIONNET_DATA_DIR": str(tmp_path)}
    demo = subprocess.Popen([sys.executable, "-m", "controller.launcher", "demo", "--no-window",
                             "--rate", "5", "--data-dir", str(tmp_path / "demo")],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        api = f"http://127.0.0.1:{http_port}/api/v1"

        def everyone_online() -> bool:
            try:
                fleet = httpx.get(f"{api}/fleet", timeout=2).json()
            except httpx.HTTPError:
                return False
            return bool(fleet["kiosks_online"] == 4 and all(
                k["events"] > 0 for s in fleet["stations"] for k in s["kiosks"]))

        wait_for(everyone_online, 60, "4 demo kiosks online and sending events", interval=0.5)
        children = _children_of(demo.pid)
        assert len(children) >= 6  # mosquitto, controller, four kiosks
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode == 0, output
    assert "stationnet demo is running" in output
    assert "stopped broker, controller and kiosks" in output
    assert all(not Path(f"/proc/{pid}").exists() or
               "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
               for pid in children), "a demo child outlived Ctrl-C"
