"""The services report: applications per service, station and day; one-visit and after-hours
shares per service. Computed from the application records."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .models import ApplicationRecord
from .workflow import Status

__all__ = ["ServicesReport", "services_report", "report_csv", "ReportError"]


class ReportError(ValueError):
    """The report cannot be made as asked; the message says how to ask."""


@dataclass(frozen=True, slots=True)
class ServiceShare:
    """One service over the period."""

    service: str
    applications: int
    completed: int
    one_visit: int
    after_hours: int

    @property
    def one_visit_share(self) -> float | None:
        """Share of completed applications finished with at most one visit."""
        return self.one_visit / self.completed if self.completed else None

    @property
    def after_hours_share(self) -> float | None:
        """Share of applications submitted outside staffed hours."""
        return self.after_hours / self.applications if self.applications else None

    def as_dict(self) -> dict[str, Any]:
        """Return the row with its shares."""
        return {**asdict(self), "one_visit_share": self.one_visit_share,
                "after_hours_share": self.after_hours_share}


@dataclass(frozen=True, slots=True)
class ServicesReport:
    """The whole report."""

    first: date
    last: date
    daily: list[dict[str, Any]]
    services: list[ServiceShare]

    def as_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat(),
                "daily": self.daily, "services": [s.as_dict() for s in self.services]}


def services_report(engine: Engine, first: date, last: date,
                    station: str | None = None) -> ServicesReport:
    """Return the report over the days ``first``..``last`` (inclusive, station time)."""
    if last < first:
        raise ReportError(f"--to {last} is before --from {first}; swap them")
    query = select(ApplicationRecord).where(
        ApplicationRecord.submitted_day >= first.isoformat(),
        ApplicationRecord.submitted_day <= last.isoformat())
    if station:
        query = query.where(ApplicationRecord.station_id == station)
    per_day: Counter[tuple[str, str, str]] = Counter()
    totals: dict[str, Counter[str]] = {}
    with Session(engine) as session:
        for record in session.scalars(query):
            per_day[(record.submitted_day, record.station_id, record.service_id)] += 1
            counts = totals.setdefault(record.service_id, Counter())
            counts["applications"] += 1
            done = record.status == Status.DONE.value
            counts["completed"] += done
            counts["one_visit"] += done and record.visits <= 1
            counts["after_hours"] += record.mode != "staffed"
    daily = [{"day": d, "station": s, "service": v, "applications": n}
             for (d, s, v), n in sorted(per_day.items())]
    services = [ServiceShare(name, c["applications"], c["completed"], c["one_visit"],
                             c["after_hours"]) for name, c in sorted(totals.items())]
    return ServicesReport(first, last, daily, services)


def report_csv(report: ServicesReport) -> str:
    """Return the report as CSV: the daily rows, then one summary row per service."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "day", "station", "service", "applications", "completed",
                     "one_visit_share", "after_hours_share"])
    for row in report.daily:
        writer.writerow(["daily", row["day"], row["station"], row["service"],
                         row["applications"], "", "", ""])
    for share in report.services:
        writer.writerow(["service", "", "", share.service, share.applications,
                         share.completed, _ratio(share.one_visit_share),
                         _ratio(share.after_hours_share)])
    return out.getvalue()


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"
