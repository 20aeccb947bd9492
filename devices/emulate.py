"""Run a device emulator as a process: ``python -m devices.emulate idcard|printer|scanner``.

Prints ``DEVICE <path>`` (flushed) once the device is plugged in, then accepts control
lines on stdin (and on ``--control HOST:PORT`` if given), answering ``OK …``/``ERR …``
one line each. See devices/README.md for the commands.
"""

from __future__ import annotations

import argparse
import signal
import socketserver
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from devices.emulators.base import SerialEmulator
from devices.emulators.cardfile import load_cards
from devices.emulators.idcard import IdCardEmulator
from devices.emulators.printer import PrinterEmulator
from devices.emulators.scanner import ScannerEmulator
from devices.scanner.protocol import SUFFIXES

__all__ = ["build_emulator", "main", "parse_args"]


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT, e.g. 127.0.0.1:7001")
    return host, int(port)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the parsed command line."""
    parser = argparse.ArgumentParser(prog="python -m devices.emulate", description=__doc__)
    parser.add_argument("device", choices=["idcard", "printer", "scanner"])
    parser.add_argument("--socket", type=_address, help="serve on TCP HOST:PORT (socket://)")
    parser.add_argument("--link", type=Path, help="keep a stable symlink to the pty here")
    parser.add_argument("--control", type=_address, help="also accept control lines on TCP")
    parser.add_argument("--baud", type=int, help="pacing baud rate (default per device)")
    parser.add_argument("--no-pace", action="store_true", help="send bytes at full speed")
    parser.add_argument("--cards", type=Path, help="cards TOML (default: the shipped ones)")
    parser.add_argument("--output", type=Path, help="printer: write receipts (txt+png) here")
    parser.add_argument("--encoding", default="gb18030", choices=["gb18030", "gbk"])
    parser.add_argument("--suffix", default="CR", choices=sorted(SUFFIXES), help="scanner")
    parser.add_argument("--trigger", action="store_true", help="scanner: software trigger")
    return parser.parse_args(argv)


def build_emulator(args: argparse.Namespace) -> SerialEmulator:
    """Return the (not yet started) emulator the command line asks for."""
    options: dict[str, Any] = {"link": args.link, "tcp": args.socket, "pace": not args.no_pace}
    if args.baud:
        options["baudrate"] = args.baud
    if args.device == "idcard":
        return IdCardEmulator(load_cards(args.cards), **options)
    if args.device == "printer":
        return PrinterEmulator(encoding=args.encoding, output_dir=args.output, **options)
    return ScannerEmulator(suffix=SUFFIXES[args.suffix], trigger_mode=args.trigger, **options)


class _Console:
    """Serialises output lines from the stdin and socket control channels."""

    def __init__(self, out: TextIO) -> None:
        self._out, self._lock = out, threading.Lock()

    def say(self, line: str) -> None:
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()


def _serve_control(
    emulator: SerialEmulator, address: tuple[str, int], stop: threading.Event
) -> socketserver.ThreadingTCPServer:
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            for raw in self.rfile:
                line = raw.decode("utf-8", errors="replace").strip()
                if line == "quit":
                    stop.set()
                    return
                self.wfile.write((emulator.handle_control(line) + "\n").encode())

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(address, Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _read_stdin(emulator: SerialEmulator, console: _Console, stop: threading.Event) -> None:
    for raw in sys.stdin:
        line = raw.strip()
        if line == "quit":
            break
        if line:
            reply = emulator.handle_control(line)
            console.say(reply)
    else:
        return  # stdin closed: keep running until a signal or 'quit' on the socket
    stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until 'quit', SIGINT or SIGTERM; return the exit status."""
    args = parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console = _Console(sys.stdout)
    with build_emulator(args) as emulator:
        console.say(f"DEVICE {emulator.device_path}")
        server = _serve_control(emulator, args.control, stop) if args.control else None
        if server is not None:
            host, port = server.server_address[:2]
            console.say(f"CONTROL {host!s}:{port}")
        threading.Thread(target=_read_stdin, args=(emulator, console, stop), daemon=True).start()
        stop.wait()
        if server is not None:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
