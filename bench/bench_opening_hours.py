"""Benchmark the compiled schedule evaluator against opening_hours.js, in one run.

Both sides get the same opening_hours expressions (every station schedule in
config/schedules/ exported per mode, and the rules of the project's semantics cases) and
the same instants (seeded, spread over 2026 in Asia/Shanghai), and answer:
  * state: the mode at t, the expression already parsed and compiled;
  * next:  the next change after t, the same way;
  * cold:  parse, compile, then the mode at t and the next change after t.
Each timing is taken --repeat times on each side and the fastest counts, since the machine
may be shared; a rate is the calls of all expressions over their summed time.
The Python side also uses opening_hours.js's own public holidays for China, so that every
answer can be compared: the bench prints how many agree.

opening_hours.js (the version pinned in bench/reference/package-lock.json) runs under the
machine's Node. On first run the bench installs what is missing: Debian's nodejs and npm
when `node` is absent (as root), then `npm ci` in bench/reference when node_modules is
missing or the lock file changed.

Run: python bench/bench_opening_hours.py [--runs 3] [--instants 4000] [--seed 2017]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sync.schedule import (  # noqa: E402
    CalendarYear,
    HolidayCalendar,
    Mode,
    StationSchedule,
    apply_opening_hours,
    compile_schedule,
    export_opening_hours,
    load_schedule_directory,
    parse_opening_hours,
)

REFERENCE = ROOT / "bench" / "reference"
ZONE = "Asia/Shanghai"
SEMANTICS_CASES = [
    "Fr 20:00-02:00; Sa off",
    "Mo-Sa 18:00-02:00; Su off",
    "Mo-Fr 18:00-02:00; We off",
    "Mo-Su 18:00-02:00; 2026 Jan 02 off",
    "Mo-Su 20:00-03:00; PH off",
    'Mo-Fr 08:00-17:00 open "by appointment"',
    "Mo-Fr 09:00-17:00; 2026 Sep 28-2026 Oct 08 off",
]
# opening_hours.js's public holidays for China (fixed dates), as our calendar years.
_REFERENCE_HOLIDAYS = [(1, 1), (3, 8), (5, 1), (5, 4), (6, 1), (10, 1), (10, 2), (10, 3)]
BASE = StationSchedule(
    station_id="bench-oh",
    version=1,
    effective_from=date(2020, 1, 1),
    timezone=ZONE,
    makeup_workday_follows="regular",
)


def reference_calendar() -> HolidayCalendar:
    """The holidays opening_hours.js knows for China, for 2025-2028."""
    years = [
        CalendarYear(
            year=year,
            source="opening_hours.js holiday definitions for cn",
            origin="file",
            holidays={date(year, m, d): "PH" for m, d in _REFERENCE_HOLIDAYS},
            makeup_workdays={},
        )
        for year in range(2025, 2029)
    ]
    return HolidayCalendar(years, use_package=False)


def expressions() -> list[str]:
    """Every demo station's schedule per mode, then the semantics cases."""
    found = []
    for document in load_schedule_directory(ROOT / "config" / "schedules").values():
        for mode in (Mode.STAFFED, Mode.SELF_SERVICE):
            found.append(export_opening_hours(document, mode))
    return found + SEMANTICS_CASES


def ensure_reference() -> None:
    """Install Node and the pinned opening_hours.js if they are missing."""
    if shutil.which("node") is None:
        if os.geteuid() != 0:
            sys.exit("bench: Node is missing; install it: sudo apt-get install nodejs npm")
        print("bench: installing Debian's nodejs and npm (first run)", flush=True)
        apt = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
        subprocess.run([*apt, "update", "-qq"], check=True)
        subprocess.run([*apt, "install", "-y", "-qq", "nodejs", "npm"], check=True)
    lock = hashlib.sha256((REFERENCE / "package-lock.json").read_bytes()).hexdigest()
    stamp = REFERENCE / "node_modules" / ".stationnet-lock"
    if not stamp.exists() or stamp.read_text() != lock:
        print("bench: npm ci in bench/reference (first run or lock changed)", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=REFERENCE, check=True)
        stamp.write_text(lock)


def timed(action: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs of `action`, in seconds (the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def measure_python(
    expression: str, moments: list[datetime], next_count: int, cold_count: int, repeat: int
) -> dict[str, Any]:
    """Our side of one expression, shaped like the reference's result."""
    calendar = reference_calendar()

    def compiled() -> Any:
        document = apply_opening_hours(BASE, Mode.STAFFED, parse_opening_hours(expression))
        return compile_schedule(document, calendar)

    evaluator = compiled()
    for moment in moments:  # compile every month the instants touch
        evaluator.mode_at(moment)
    mode_at, next_change = evaluator.mode_at, evaluator.next_change
    states = [mode_at(m) for m in moments]
    changes = [next_change(m) for m in moments[:next_count]]
    state_seconds = timed(lambda: [mode_at(m) for m in moments], repeat)
    next_seconds = timed(lambda: [next_change(m) for m in moments[:next_count]], repeat)

    def cold() -> None:
        for moment in moments[:cold_count]:
            fresh = compiled()
            fresh.mode_at(moment)
            fresh.next_change(moment)

    return {
        "expression": expression,
        "state_seconds": state_seconds,
        "next_seconds": next_seconds,
        "cold_seconds": timed(cold, repeat),
        "states": [mode is not Mode.CLOSED for mode in states],
        "changes": [None if c is None else round(c[0].timestamp() * 1000) for c in changes],
    }


def measure_reference(job: dict[str, Any]) -> dict[str, Any]:
    """opening_hours.js's side, in a Node child process with the stations' zone."""
    completed = subprocess.run(
        ["node", str(REFERENCE / "opening_hours_bench.js")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": ZONE},
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def one_run(args: argparse.Namespace, exprs: list[str]) -> dict[str, float]:
    """Both sides once; prints the figures and returns the three ratios."""
    rng = random.Random(args.seed)
    start = datetime(2026, 1, 1, tzinfo=UTC) - timedelta(hours=8)
    seconds = sorted(rng.randrange(0, 365 * 86400) for _ in range(args.instants))
    rng.shuffle(seconds)
    moments = [start + timedelta(seconds=s) for s in seconds]
    next_count, cold_count = args.instants // 2, args.cold
    ours = [measure_python(e, moments, next_count, cold_count, args.repeat) for e in exprs]
    job = {
        "expressions": exprs,
        "instants": [round(m.timestamp() * 1000) for m in moments],
        "next_instants": next_count,
        "cold_instants": cold_count,
        "repeat": args.repeat,
    }
    theirs = measure_reference(job)
    counts = {"state": len(moments), "next": next_count, "cold": cold_count}
    ratios = {}
    print(f"{'question':<8} {'ours/s':>12} {'opening_hours.js/s':>19} {'ratio':>7}")
    for question, per in counts.items():
        our_time = sum(r[f"{question}_seconds"] for r in ours)
        their_time = sum(r[f"{question}_seconds"] for r in theirs["results"])
        total = per * len(exprs)
        ratios[question] = their_time / our_time
        print(f"{question:<8} {total / our_time:>12,.0f} {total / their_time:>19,.0f} "
              f"{ratios[question]:>6.1f}x")  # fmt: skip
    report_agreement(ours, theirs["results"], detail=args.detail)
    return ratios


def report_agreement(
    ours: list[dict[str, Any]], theirs: list[dict[str, Any]], *, detail: bool
) -> None:
    """How many states and next changes both sides agree on; per expression with `detail`."""
    states = changes = same_states = same_changes = 0
    for mine, other in zip(ours, theirs, strict=True):
        same_state = sum(a == b for a, b in zip(mine["states"], other["states"], strict=True))
        same_next = sum(a == b for a, b in zip(mine["changes"], other["changes"], strict=True))
        states, same_states = states + len(mine["states"]), same_states + same_state
        changes, same_changes = changes + len(mine["changes"]), same_changes + same_next
        if detail or same_state < len(mine["states"]) or same_next < len(mine["changes"]):
            ratios = " ".join(
                f"{q} {other[f'{q}_seconds'] / mine[f'{q}_seconds']:5.1f}x"
                for q in ("state", "next", "cold")
            )
            print(f"  {ratios}  agree: state {same_state}/{len(mine['states'])}, "
                  f"next {same_next}/{len(mine['changes'])}  {mine['expression']}")  # fmt: skip
    print(f"agreement with opening_hours.js: states {same_states}/{states}, "
          f"next changes {same_changes}/{changes}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--instants", type=int, default=4000)
    parser.add_argument("--cold", type=int, default=60, help="cold instants per expression")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--detail", action="store_true", help="figures per expression")
    parser.add_argument("--repeat", type=int, default=3, help="the fastest of N timings counts")
    args = parser.parse_args()
    ensure_reference()
    exprs = expressions()
    runs = []
    for number in range(args.runs):
        print(f"run {number + 1}/{args.runs}: {len(exprs)} expressions, {args.instants} instants")
        runs.append(one_run(args, exprs))
    print("ratio (opening_hours.js time / ours) over runs: min / median / max")
    for question, target in (("state", 10), ("next", 10), ("cold", 3)):
        values = [run[question] for run in runs]
        print(f"  {question:<6} {min(values):6.1f}x {statistics.median(values):6.1f}x "
              f"{max(values):6.1f}x   target >= {target}x")  # fmt: skip


if __name__ == "__main__":
    main()
