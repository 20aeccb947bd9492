"""The emulator as a process: DEVICE line, stdin and socket control, a driver on its pty."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from devices.idcard import IdCardReader, NoCard

ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "devices.emulate", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _ask(process: subprocess.Popen[str], line: str) -> str:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()
    return process.stdout.readline().strip()


def test_idcard_emulator_process_is_driven_over_stdin(tmp_path: Path) -> None:
    link = tmp_path / "idcard"
    process = _start("idcard", "--link", str(link))
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == f"DEVICE {link}"
        with IdCardReader(str(link), reply_timeout=0.3) as reader:
            assert reader.read_card().kind.value == "resident"
            assert _ask(process, "card remove") == "OK no card on the reader"
            with pytest.raises(NoCard):
                reader.read_card()
            assert _ask(process, "card insert nobody").startswith("ERR no card 'nobody'")
            assert _ask(process, "help").startswith("OK commands: status")
    finally:
        _ask(process, "quit") if process.poll() is None else None
        assert process.wait(timeout=5) == 0


def test_printer_emulator_process_accepts_socket_control(tmp_path: Path) -> None:
    process = _start("printer", "--link", str(tmp_path / "p"), "--control", "127.0.0.1:0")
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("DEVICE ")
        host, port = process.stdout.readline().split()[1].rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=5) as control:
            stream = control.makefile("rw")
            stream.write("fault paper-out\nstatus\n")
            stream.flush()
            assert stream.readline().strip() == "OK condition paper-out set"
            assert "condition=paper-out" in stream.readline()
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0
