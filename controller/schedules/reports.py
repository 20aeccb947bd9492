"""Open-hours report: average daily open hours per mode and the evening and weekend shares,
per station and for the network, as rows, CSV and a PNG bar chart.

Figures come from each station's newest schedule, applied to the whole period (before a
document's ``effective_from`` it counts as closed).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sync.schedule import Mode

from .service import Schedules, UnknownStation

__all__ = ["HoursRow", "ReportError", "hours_report", "hours_csv", "MAX_DAYS"]

MAX_DAYS = 3660


class ReportError(ValueError):
    """A report period or selection that cannot be computed; says what to change."""


@dataclass(frozen=True, slots=True)
class HoursRow:
    """One station's (or the network's) figures over the period."""

    station: str
    name: str
    days: int
    staffed_h: float
    self_service_h: float
    open_h: float
    evening_share: float
    weekend_share: float
    schedule_version: int | None

    def as_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        return asdict(self)


def _station_row(schedules: Schedules, station: Any, first: date, last: date) -> HoursRow:
    evaluator = schedules.evaluator(station.id)
    if evaluator is None:
        return HoursRow(station.id, station.name, (last - first).days + 1, 0.0, 0.0, 0.0,
                        0.0, 0.0, None)
    stats = evaluator.open_time_stats(first, last)
    staffed, kiosk = stats.hours_per_day[Mode.STAFFED], stats.hours_per_day[Mode.SELF_SERVICE]
    return HoursRow(station.id, station.name, stats.days, round(staffed, 3), round(kiosk, 3),
                    round(staffed + kiosk, 3), round(stats.evening_share, 4),
                    round(stats.weekend_share, 4), evaluator.document.version)


def _network_row(rows: list[HoursRow], days: int) -> HoursRow:
    count = len(rows) or 1
    total_open = sum(r.open_h for r in rows)

    def weighted(share: str) -> float:
        return round(sum(getattr(r, share) * r.open_h for r in rows) / total_open, 4) \
            if total_open else 0.0

    return HoursRow("network", "全网 network", days,
                    round(sum(r.staffed_h for r in rows) / count, 3),
                    round(sum(r.self_service_h for r in rows) / count, 3),
                    round(total_open / count, 3), weighted("evening_share"),
                    weighted("weekend_share"), None)


def hours_report(schedules: Schedules, first: date, last: date,
                 station_id: str | None = None) -> list[HoursRow]:
    """Return one row per station (or just ``station_id``) and a last row for the network
    (stations averaged; shares weighted by open time)."""
    if last < first:
        raise ReportError(f"--to {last} is before --from {first}; swap them")
    if (last - first).days + 1 > MAX_DAYS:
        raise ReportError(f"the period is longer than {MAX_DAYS} days; shorten it")
    try:
        stations = [schedules.station(station_id)] if station_id else schedules.stations()
    except UnknownStation as exc:
        raise ReportError(str(exc)) from None
    rows = [_station_row(schedules, s, first, last) for s in stations]
    return [*rows, _network_row(rows, (last - first).days + 1)]


def hours_csv(rows: list[HoursRow]) -> str:
    """Return the rows as CSV text with a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["station", "name", "days", "staffed_h_per_day", "self_service_h_per_day",
                     "open_h_per_day", "evening_share", "weekend_share", "schedule_version"])
    for r in rows:
        writer.writerow([r.station, r.name, r.days, f"{r.staffed_h:.3f}",
                         f"{r.self_service_h:.3f}", f"{r.open_h:.3f}",
                         f"{r.evening_share:.4f}", f"{r.weekend_share:.4f}",
                         "" if r.schedule_version is None else r.schedule_version])
    return out.getvalue()
