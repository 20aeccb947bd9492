"""Alarm rules, pure: which conditions hold for a kiosk, and when they raise and clear.

:func:`kiosk_conditions` reads one kiosk's presence and telemetry as the registry stored
them; :class:`HoldTracker` turns the conditions seen at each evaluation into raises and
clears, each only after the condition has held (or been gone) for the configured time,
so a flickering condition never flaps an alarm. No clock, no database: callers pass both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sync.messages import DeviceFault, DeviceHealth, DeviceState
from sync.settings import AlarmsConfig

__all__ = ["KioskView", "Condition", "HoldTracker", "Transitions", "kiosk_conditions",
           "calendar_conditions", "ingest_conditions", "NETWORK", "CONTROLLER"]

NETWORK = "network"
CRITICAL, WARNING = "critical", "warning"
# Fault codes with an alarm of their own; any other fault alarms by device kind and state.
_CODE_ALARMS = {DeviceFault.PAPER_NEAR_END: ("printer_paper_near_end", WARNING),
                DeviceFault.PAPER_OUT: ("printer_paper_out", CRITICAL),
                DeviceFault.COVER_OPEN: ("printer_cover_open", CRITICAL),
                DeviceFault.CUTTER_ERROR: ("printer_cutter_error", CRITICAL)}
_DEVICE_TYPES = {("idcard", "fault"): ("card_reader_fault", CRITICAL),
                 ("idcard", "absent"): ("card_reader_absent", CRITICAL),
                 ("scanner", "absent"): ("scanner_absent", WARNING),
                 ("scanner", "fault"): ("scanner_fault", WARNING),
                 ("printer", "absent"): ("printer_absent", CRITICAL),
                 ("printer", "fault"): ("printer_fault", CRITICAL)}


@dataclass(frozen=True, slots=True)
class KioskView:
    """What the registry knows of one kiosk."""

    id: str
    station: str | None
    online: bool
    last_seen: datetime
    presence_changed: datetime | None
    devices: list[DeviceHealth]
    documents: dict[str, int]
    telemetry: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition that holds now; ``key`` identifies it across evaluations."""

    type: str
    subject: str
    severity: str
    message: str
    kiosk: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Return (type, subject)."""
        return self.type, self.subject


def _offline(view: KioskView, now: datetime, cfg: AlarmsConfig) -> Condition | None:
    since = view.presence_changed or view.last_seen
    if not view.online and now - since >= timedelta(seconds=cfg.offline_after_s):
        return Condition("kiosk_offline", view.id, CRITICAL,
                         f"offline since {since:%Y-%m-%d %H:%M:%S} UTC", view.id)
    if view.online and now - view.last_seen >= timedelta(seconds=cfg.silent_after_s):
        return Condition("kiosk_offline", view.id, CRITICAL,
                         f"nothing heard since {view.last_seen:%Y-%m-%d %H:%M:%S} UTC", view.id)
    return None


def _device_conditions(view: KioskView) -> list[Condition]:
    found = []
    for device in view.devices:
        if device.state is DeviceState.OK or device.code is DeviceFault.NOT_FITTED:
            continue
        rule = ((device.code and _CODE_ALARMS.get(device.code))
                or _DEVICE_TYPES.get((device.kind, device.state.value)))
        if rule:
            found.append(Condition(rule[0], view.id, rule[1],
                                   f"{device.name}: {device.reason}", view.id))
    return found


def _telemetry_conditions(view: KioskView, cfg: AlarmsConfig) -> list[Condition]:
    found = []
    telemetry = view.telemetry or {}
    age = telemetry.get("outbox_oldest_age_s")
    if isinstance(age, int | float) and age >= cfg.outbox_age_s:
        found.append(Condition("outbox_backlog", view.id, WARNING,
                               f"{telemetry.get('outbox_depth')} events waiting, oldest "
                               f"{age:.0f} s", view.id))
    offset = telemetry.get("clock_offset_ms")
    if isinstance(offset, int | float) and abs(offset) / 1000 > cfg.clock_skew_s:
        found.append(Condition("clock_skew", view.id, WARNING,
                               f"clock off by {offset / 1000:+.1f} s; check its NTP", view.id))
    return found


def _outdated(view: KioskView, newest: dict[str, int]) -> Condition | None:
    stale = []
    for key, version in sorted(newest.items()):
        kind, _, scope = key.partition("/")
        if scope not in ("all", view.station):
            continue
        held = view.documents.get(key)
        if held is None or held < version:
            stale.append(f"{kind}/{scope} v{held if held is not None else '-'} < v{version}")
    if not stale:
        return None
    return Condition("document_outdated", view.id, WARNING, "outdated: " + ", ".join(stale),
                     view.id)


def kiosk_conditions(view: KioskView, now: datetime, cfg: AlarmsConfig,
                     newest: dict[str, int]) -> list[Condition]:
    """Return the conditions holding for ``view`` now (``newest``: newest document versions).

    Only presence is judged for a kiosk that is offline: its devices and documents are as
    they were when it went away.
    """
    offline = _offline(view, now, cfg)
    if not view.online:
        return [offline] if offline else []
    found = _device_conditions(view) + _telemetry_conditions(view, cfg)
    outdated = _outdated(view, newest)
    return found + [c for c in (offline, outdated) if c is not None]


def calendar_conditions(uncovered_years: list[int]) -> list[Condition]:
    """Return the network condition for holiday-calendar years schedules reach but lack."""
    if not uncovered_years:
        return []
    years = ", ".join(map(str, uncovered_years))
    return [Condition("calendar_year_missing", NETWORK, CRITICAL,
                      f"no holiday calendar for {years}; load the State Council notice with "
                      "`stationctl calendar load FILE`")]


CONTROLLER = "controller"


def ingest_conditions(database_failing_since: str | None, failures: int) -> list[Condition]:
    """Return the controller condition for an ingest whose database refuses every write."""
    if database_failing_since is None:
        return []
    return [Condition("ingest_database_failing", CONTROLLER, CRITICAL,
                      f"the database has refused ingest's writes since "
                      f"{database_failing_since} ({failures} attempt(s)); nothing is lost "
                      "(the broker keeps unacknowledged messages) — check the database "
                      "server, its disk space and its locks")]


@dataclass(slots=True)
class Transitions:
    """What one evaluation changed."""

    raised: list[tuple[Condition, datetime]] = field(default_factory=list)  # with first seen
    held: list[Condition] = field(default_factory=list)  # active and still true
    cleared: list[tuple[str, str]] = field(default_factory=list)


class HoldTracker:
    """Raises a condition after it held ``hold_raise_s``, clears after gone ``hold_clear_s``."""

    def __init__(self, hold_raise_s: float, hold_clear_s: float,
                 active: set[tuple[str, str]] | None = None) -> None:
        self.hold_raise = timedelta(seconds=hold_raise_s)
        self.hold_clear = timedelta(seconds=hold_clear_s)
        self.active: set[tuple[str, str]] = set(active or ())
        self._pending: dict[tuple[str, str], datetime] = {}
        self._absent: dict[tuple[str, str], datetime] = {}

    def observe(self, conditions: list[Condition], now: datetime,
                frozen: set[str] | None = None) -> Transitions:
        """Return raises and clears given the conditions true ``now``.

        Active alarms of a subject in ``frozen`` (e.g. an offline kiosk's devices) are
        neither cleared nor timed: nothing new is known about them.
        """
        out = Transitions()
        present = {c.key: c for c in conditions}
        for key, condition in present.items():
            self._absent.pop(key, None)
            if key in self.active:
                out.held.append(condition)
                continue
            since = self._pending.setdefault(key, now)
            if now - since >= self.hold_raise:
                out.raised.append((condition, since))
                self.active.add(key)
                del self._pending[key]
        for key in [k for k in self._pending if k not in present]:
            del self._pending[key]
        for key in [k for k in self.active if k not in present]:
            if frozen and key[1] in frozen and key[0] != "kiosk_offline":
                self._absent.pop(key, None)
                continue
            gone = self._absent.setdefault(key, now)
            if now - gone >= self.hold_clear:
                out.cleared.append(key)
                self.active.discard(key)
                del self._absent[key]
        return out
