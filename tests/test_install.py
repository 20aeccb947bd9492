"""Lean installs: a kiosk starts without controller code, and the wheel works outside the
repository (the configuration, migrations, kv files and broker template come with it)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest
from harness import REPO, free_port

from sync.settings import load_settings

CONTROLLER_SIDE = ("controller", "fastapi", "uvicorn", "alembic", "httpx", "starlette")
# Runs ``python -m kiosk`` and prints the modules it had loaded when it stopped.
RUN_KIOSK = ("import atexit, json, runpy, sys\n"
             "atexit.register(lambda: print('MODULES ' + json.dumps(sorted(sys.modules)),"
             " flush=True))\n"
             "sys.argv = ['kiosk', *sys.argv[1:]]\n"
             "runpy.run_module('kiosk', run_name='__main__', alter_sys=True)\n")


def _first_kiosk() -> str:
    return load_settings().kiosks[0].id


def _env(data: Path) -> dict[str, str]:
    """An environment with its own data folder and a broker port nobody listens on."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STATIONNET__", "STATIONNET_CONFIG"))}
    return {**env, "STATIONNET_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1",
            "STATIONNET__BROKER__PORT": str(free_port()),
            "STATIONNET__CONTROLLER__HTTP_PORT": str(free_port())}


def _start(argv: list[str], env: dict[str, str], cwd: Path, ready: str,
           timeout: float = 30) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith(ready):
            return process, lines
    process.kill()
    pytest.fail(f"{argv[0]} did not print {ready!r}:\n{''.join(lines)[-3000:]}")


def _stop(process: subprocess.Popen[str], lines: list[str]) -> list[str]:
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 0, "".join(lines) + out
    return lines + out.splitlines(keepends=True)


def test_a_kiosk_runs_without_importing_controller_code(tmp_path: Path) -> None:
    process, lines = _start([sys.executable, "-c", RUN_KIOSK, "--kiosk-id", _first_kiosk(),
                             "--headless"], _env(tmp_path), REPO, "READY kiosk")
    lines = _stop(process, lines)
    modules = json.loads(next(line for line in lines if line.startswith("MODULES "))[8:])
    assert "kiosk.agent" in modules and "kiosk.commands" in modules
    assert [m for m in modules if m.split(".")[0] in CONTROLLER_SIDE] == []


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel built from this checkout.

    The wheel's dependencies come from the test run's own environment (a path entry, not
    an install), so nothing but the build tools is fetched from the package index.
    """
    root = tmp_path_factory.mktemp("install")
    # A clean copy: a build folder left in the checkout would add files deleted since.
    source = root / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "build", "*.egg-info", "__pycache__", "tests", "bench"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(root / "dist"), str(source)], check=True, capture_output=True)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next((root / "dist").glob("stationnet-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    return venv


@pytest.mark.slow
def test_the_wheel_runs_a_controller_and_a_headless_kiosk_outside_the_repository(
        installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import controller, kiosk, stationnet_config;"
                            "print(controller.__file__, kiosk.__file__)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True)
    assert str(REPO) not in where.stdout and str(installed) in where.stdout
    env = _env(tmp_path / "var")
    controller, lines = _start([str(installed / "bin" / "stationnet-controller")], env,
                               tmp_path, "READY controller")
    try:
        port = env["STATIONNET__CONTROLLER__HTTP_PORT"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=10) as r:
            assert r.status == 200  # the database was migrated from the packaged migrations
        kiosk, kiosk_lines = _start([str(installed / "bin" / "stationnet-kiosk"), "--kiosk-id",
                                     _first_kiosk(), "--headless"], env, tmp_path,
                                    "READY kiosk")
        _stop(kiosk, kiosk_lines)
    finally:
        _stop(controller, lines)
    assert (tmp_path / "var" / "controller" / "controller.db").exists()
