"""Benchmark: one card read (find + select + read) through the driver vs the wire floor.

Run: ``python bench/bench_card_read.py [--reads 20] [--baud 115200]``. Starts the ID-card
emulator on a pty in-process, reads the first fixture card repeatedly through
IdCardReader, and prints the median read time, the wire floor (bytes on the wire × 10
bits ÷ baud) and their ratio; exits 1 if the ratio exceeds --target (default 1.3).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from devices.emulators import IdCardEmulator, load_cards
from devices.idcard import IdCardReader
from devices.idcard.protocol import Command, encode_command
from devices.serial_link import wire_seconds

# reply sizes from the reference: find 14, select 19, read text+photo 1295 bytes
REPLY_BYTES = 14 + 19 + 1295
REQUESTS = (Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO)


def wire_floor(baudrate: int) -> float:
    """Return the seconds one read's bytes need on the wire, both directions."""
    request_bytes = sum(len(encode_command(c)) for c in REQUESTS)
    return wire_seconds(request_bytes + REPLY_BYTES, baudrate)


def measure(reads: int, baudrate: int) -> list[float]:
    """Return the duration of each of ``reads`` card reads, in seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        link = Path(tmp) / "idcard"
        with IdCardEmulator(load_cards(), baudrate=baudrate, link=link) as emulator:
            with IdCardReader(emulator.device_path, baudrate=baudrate) as reader:
                reader.read_card()  # warm-up: opens the port
                durations = []
                for _ in range(reads):
                    started = time.perf_counter()
                    reader.read_card()
                    durations.append(time.perf_counter() - started)
    return durations


def main() -> int:
    """Print the median read, the wire floor and the ratio; return 1 above the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reads", type=int, default=20)
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--target", type=float, default=1.3)
    args = parser.parse_args()
    durations = measure(args.reads, args.baud)
    median, floor = statistics.median(durations), wire_floor(args.baud)
    ratio = median / floor
    print(f"card read median over {args.reads}: {median * 1000:.1f} ms")
    print(f"wire floor at {args.baud} baud:   {floor * 1000:.1f} ms")
    print(f"ratio: {ratio:.3f} (target <= {args.target})")
    return 0 if ratio <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
