"""Schedules as operators read them: weekly table per mode, specials, closures, diffs."""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Any

from sync.schedule import (
    OPEN_MODES,
    HolidayCalendar,
    Mode,
    StationSchedule,
    Weekday,
    compile_schedule,
    export_opening_hours,
)

__all__ = ["describe", "describe_lines", "diff_lines", "weekly_table"]


def _spans(spans: Any) -> str:
    return ", ".join(span.text for span in spans) or "-"


def _rule(rule: Any) -> str:
    return _spans(rule) if isinstance(rule, tuple) else str(rule)


def weekly_table(document: StationSchedule) -> dict[str, dict[str, str]]:
    """Return ``{weekday: {mode: "09:00-12:00, 13:30-17:30"}}`` with holidays as "ph"."""
    table: dict[str, dict[str, str]] = {}
    for day in Weekday:
        table[day.value] = {m.value: _spans(document.weekly.of(m).on(day)) for m in OPEN_MODES}
    table["ph"] = {m.value: _rule(document.holidays.of(m)) for m in OPEN_MODES}
    return table


def describe(document: StationSchedule, calendar: HolidayCalendar,
             now: datetime) -> dict[str, Any]:
    """Return the document's weekly hours, specials, closures and its mode now."""
    evaluator = compile_schedule(document, calendar)
    change = evaluator.next_change(now)
    return {
        "station": document.station_id, "version": document.version,
        "effective_from": document.effective_from.isoformat(),
        "timezone": document.timezone,
        "makeup_workday_follows": str(document.makeup_workday_follows),
        "weekly": weekly_table(document),
        "special": [{"start": s.start.isoformat(), "end": s.last.isoformat(),
                     "staffed": None if s.staffed is None else _spans(s.staffed),
                     "self_service": None if s.self_service is None else _spans(s.self_service),
                     "note": s.note} for s in document.special],
        "closures": [{"start": c.start.isoformat(), "end": c.end.isoformat(),
                      "reason": c.reason, "modes": [m.value for m in c.modes]}
                     for c in document.closures],
        "opening_hours": {m.value: export_opening_hours(document, m) for m in OPEN_MODES},
        "mode_now": evaluator.mode_at(now).value,
        "next_change": None if change is None else {"at": change[0].isoformat(),
                                                      "mode": change[1].value},
    }


def describe_lines(document: StationSchedule) -> list[str]:
    """Return the document as comparable lines, one rule per line (version left out)."""
    lines = [f"effective_from {document.effective_from}", f"timezone {document.timezone}",
             f"makeup_workday_follows {document.makeup_workday_follows}"]
    for mode in OPEN_MODES:
        rules = export_opening_hours(document, mode).split("; ")
        lines += [f"{mode.value}: {rule}" for rule in rules]
    lines += [f"closure {c.start.isoformat()} .. {c.end.isoformat()} "
              f"[{','.join(m.value for m in c.modes)}] {c.reason}" for c in document.closures]
    return lines


def diff_lines(old: StationSchedule, new: StationSchedule) -> list[str]:
    """Return a unified diff of two versions in :func:`describe_lines` form."""
    return list(difflib.unified_diff(
        describe_lines(old), describe_lines(new), fromfile=f"version {old.version}",
        tofile=f"version {new.version}", lineterm=""))


MODE_LABELS = {Mode.STAFFED: "staffed", Mode.SELF_SERVICE: "self-service",
               Mode.CLOSED: "closed"}
