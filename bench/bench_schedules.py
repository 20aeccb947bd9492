"""Benchmark the schedule core over a city network of 129 stations.

Builds 129 schedules as variants of the demo ones in config/schedules/, then measures:
  * a year of open intervals for every station (compile included, then warm);
  * the mode-at-instant rate of the compiled evaluator;
  * the same questions answered naively (the uncompiled reference lookup, and minute
    sampling for intervals), measured in this run on a sample, with the ratio.

Run: python bench/bench_schedules.py [--stations 129] [--samples 200000] [--seed 2017]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sync.schedule import (  # noqa: E402
    HolidayCalendar,
    Mode,
    ScheduleEvaluator,
    StationSchedule,
    TimeSpan,
    Weekday,
    WeeklySchedule,
    compile_schedule,
    load_schedule_directory,
)
from sync.schedule.reference import reference_mode_at  # noqa: E402

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)


def _shift(spans: tuple[TimeSpan, ...], minutes: int) -> list[TimeSpan]:
    shifted = []
    for span in spans:
        start = min(max(span.start + minutes, 0), 1439)
        end = min(max(span.end + minutes, start + 15), start + 1440)
        shifted.append(TimeSpan(start=start, end=end))
    return shifted


def station_variants(
    templates: list[StationSchedule], count: int, seed: int
) -> list[StationSchedule]:
    """`count` schedules derived from the templates, each with its hours nudged."""
    rng = random.Random(seed)
    variants = []
    for number in range(count):
        template = templates[number % len(templates)]
        weekly = {}
        for mode in (Mode.STAFFED, Mode.SELF_SERVICE):
            nudge = rng.choice([-60, -30, 0, 0, 30, 60])
            hours = template.weekly.of(mode)
            weekly[mode.value] = {d.value: _shift(hours.on(d), nudge) for d in Weekday}
        variants.append(
            template.model_copy(
                update={
                    "station_id": f"{template.station_id}-{number:03d}",
                    "weekly": WeeklySchedule.model_validate(weekly),
                }
            )
        )
    return variants


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def year_of_intervals(evaluators: list[ScheduleEvaluator]) -> int:
    return sum(len(e.open_intervals(YEAR_START, YEAR_END)) for e in evaluators)


def minute_sampled_intervals(
    document: StationSchedule, calendar: HolidayCalendar, days: int
) -> int:
    """Open intervals found the naive way: the reference lookup at every minute."""
    count, previous = 0, Mode.CLOSED
    start = datetime(2026, 6, 1, tzinfo=UTC)  # after every variant's effective_from
    for minute in range(days * 24 * 60):
        mode = reference_mode_at(document, start + timedelta(minutes=minute), calendar)
        count += mode is not previous and mode is not Mode.CLOSED
        previous = mode
    return count


def report_intervals(evaluators: list[ScheduleEvaluator]) -> float:
    """Print the year-of-intervals timings; return the cold (compiling) time in seconds."""
    cold, total = timed(lambda: year_of_intervals(evaluators))
    warm, _ = timed(lambda: year_of_intervals(evaluators))
    print(
        f"year 2026 of open intervals, all stations: {cold * 1000:.0f} ms with compiling, "
        f"{warm * 1000:.0f} ms warm ({total} intervals)"
    )
    return cold


def report_mode_at(
    evaluators: list[ScheduleEvaluator], calendar: HolidayCalendar, args: argparse.Namespace
) -> None:
    """Print the compiled and naive mode_at rates over the same random queries."""
    rng = random.Random(args.seed)
    seconds = (YEAR_END - YEAR_START).total_seconds()
    queries = [
        (rng.choice(evaluators), YEAR_START + timedelta(seconds=rng.random() * seconds))
        for _ in range(args.samples)
    ]
    elapsed, _ = timed(lambda: [e.mode_at(t) for e, t in queries])
    compiled_rate = args.samples / elapsed
    naive = queries[: args.naive_samples]
    naive_elapsed, _ = timed(lambda: [reference_mode_at(e.document, t, calendar) for e, t in naive])
    naive_rate = len(naive) / naive_elapsed
    print(f"mode_at, compiled: {compiled_rate:,.0f} evaluations/s ({args.samples:,} samples)")
    print(
        f"mode_at, naive reference lookup: {naive_rate:,.0f} evaluations/s "
        f"({len(naive):,} samples); compiled is {compiled_rate / naive_rate:,.0f}x faster"
    )


def report_minute_sampling(
    documents: list[StationSchedule], calendar: HolidayCalendar, compiled_seconds: float
) -> None:
    """Print the naive minute-sampling cost, measured on a week and scaled to the network."""
    sample_days = 7
    sampled, _ = timed(lambda: minute_sampled_intervals(documents[0], calendar, sample_days))
    estimate = sampled / sample_days * 365 * len(documents)
    print(
        f"year of intervals by naive minute sampling: {sampled:.2f} s for {sample_days} days of "
        f"one station, so ~{estimate:,.0f} s for all stations (estimated); "
        f"compiled is ~{estimate / compiled_seconds:,.0f}x faster"
    )


def report_network(evaluators: list[ScheduleEvaluator], calendar: HolidayCalendar) -> None:
    """Print the network's 2026 open-time averages and any missing calendar years."""
    stats = [e.open_time_stats(date(2026, 1, 1), date(2026, 12, 31)) for e in evaluators]
    print(
        f"network 2026 averages: {statistics.fmean(s.open_hours_per_day for s in stats):.2f} "
        f"open h/day, {statistics.fmean(s.hours_per_day[Mode.STAFFED] for s in stats):.2f} "
        f"staffed h/day, evening share {statistics.fmean(s.evening_share for s in stats):.0%}, "
        f"weekend share {statistics.fmean(s.weekend_share for s in stats):.0%}"
    )
    missing = calendar.missing_years(2026, 2027)
    print(f"holiday calendar years missing for 2026-2027: {missing or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stations", type=int, default=129)
    parser.add_argument("--samples", type=int, default=200_000)
    parser.add_argument("--naive-samples", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()

    calendar = HolidayCalendar()
    calendar.year(2026)  # load the package's 2026 data outside the timings
    templates = list(load_schedule_directory(ROOT / "config" / "schedules").values())
    documents = station_variants(templates, args.stations, args.seed)
    evaluators = [compile_schedule(d, calendar) for d in documents]
    print(f"stations: {len(documents)} (variants of {', '.join(t.station_id for t in templates)})")
    cold = report_intervals(evaluators)
    report_mode_at(evaluators, calendar, args)
    report_minute_sampling(documents, calendar, cold)
    report_network(evaluators, calendar)


if __name__ == "__main__":
    main()
