"""The screens beside a visit: progress, appointment, closed, out of service, technician."""

from __future__ import annotations

from typing import Any

from ..session import KioskSession, Outcome
from . import texts
from .actions import on_touch
from .widgets import BodyLabel, KButton, KioskScreen, clear_and_add

__all__ = ["ProgressScreen", "AppointmentScreen", "ClosedScreen", "OutOfServiceScreen",
           "TechnicianScreen"]

_OUTCOME_KEYS = {Outcome.BUSY: "progress.busy", Outcome.OFFLINE: "progress.offline",
                 Outcome.NONE: "progress.none", Outcome.REFUSED: "progress.refused"}


def _station_name(s: KioskSession) -> str:
    return s.station.name_en if s.lang == "en" else s.station.name


class ProgressScreen(KioskScreen):
    """Tap a card or scan the receipt; shows the controller's answer or says it is offline."""

    shows_personal_data = True

    def render(self, s: KioskSession, tr: Any) -> None:
        ids, panel = self.ids, s.progress
        ids.title.text = tr("progress.title")
        ids.how.text = tr("progress.how")
        key = _OUTCOME_KEYS.get(panel.outcome)
        ids.outcome.text = tr(key) if key else ""
        if panel.outcome == Outcome.REFUSED and panel.detail:
            ids.outcome.text += f": {panel.detail}"
        catalog = s.services.catalog()
        rows = []
        for item in panel.items:
            try:
                title = catalog.service(item.service_id).title.get(s.lang)
            except LookupError:
                title = item.service_id
            rows.append(BodyLabel(
                text=f"[b]{item.tracking_no}[/b]  {texts.escape(title)}\n"
                     f"[color=#FFD54F]{texts.escape(texts.status_label(item, s.lang))}[/color]"
                     f"  {item.updated_at}"))
        clear_and_add(ids.rows, rows)
        ids.home.text = tr("nav.home")


class AppointmentScreen(KioskScreen):
    """Staffed-only service outside staffed hours: when officers are next there, and slots."""

    shows_personal_data = True

    def render(self, s: KioskSession, tr: Any) -> None:
        ids, panel, service = self.ids, s.appointment, s.service
        ids.title.text = tr("appointment.title")
        ids.service.text = service.title.get(s.lang) if service else ""
        ids.why.text = tr("appointment.why")
        ids.next_staffed.text = texts.hours_line(s.station, s.lang)
        outcome = {Outcome.BUSY: tr("progress.busy"),
                   Outcome.OFFLINE: tr("appointment.unavailable"),
                   Outcome.NONE: tr("appointment.unavailable"),
                   Outcome.REFUSED: f"{tr('progress.refused')}: {panel.detail}",
                   Outcome.DONE: f"{tr('appointment.booked')}: {panel.booking}"}
        ids.outcome.text = outcome.get(panel.outcome, "")
        if s.message:
            ids.outcome.text += "\n" + texts.message_text(s.message, s.lang)
        buttons = []
        for slot in panel.slots if panel.outcome != Outcome.DONE else []:
            button = KButton(text=slot.label, tid=f"slot-{slot.slot_id}")
            button.bind(on_release=on_touch("book", slot.slot_id))
            buttons.append(button)
        clear_and_add(ids.slots, buttons)
        ids.back.text = tr("nav.back")


class ClosedScreen(KioskScreen):
    """When this station next opens, and the nearest stations open now."""

    def render(self, s: KioskSession, tr: Any) -> None:
        ids, station = self.ids, s.station
        ids.station.text = _station_name(s)
        ids.title.text = tr("closed.title")
        ids.next_opening.text = (f"{tr('closed.next')}: "
                                 f"{texts.opening_text(station.next_opening, s.lang)}")
        lines = texts.nearest_lines(station.nearest_open, s.lang)
        ids.nearest_title.text = tr("closed.nearest") if lines else tr("closed.none_open")
        ids.nearest.text = "\n".join(f"•  {line}" for line in lines)
        ids.progress.text = tr("attract.progress")


class OutOfServiceScreen(KioskScreen):
    """Why the kiosk cannot serve (technician lock, device faults) and where to go instead."""

    def render(self, s: KioskSession, tr: Any) -> None:
        ids = self.ids
        ids.station.text = _station_name(s)
        ids.title.text = tr("oos.title")
        reasons = [tr("oos.locked")] if s.locked else []
        if s.locked and s.lock_message:
            reasons.append(s.lock_message)
        reasons += [f"{tr('oos.devices')}: {tr(f'device.{name}')}" for name in sorted(s.faults)
                    if f"device.{name}" in _DEVICE_KEYS]
        ids.reasons.text = "\n".join(f"•  {r}" for r in reasons)
        ids.alternatives.text = tr("oos.alternatives")
        lines = texts.nearest_lines(s.station.nearest_open, s.lang)
        ids.nearest.text = (f"{tr('closed.nearest')}:\n" + "\n".join(lines)) if lines else ""
        ids.progress.text = tr("attract.progress")


_DEVICE_KEYS = {"device.idcard", "device.printer", "device.scanner"}


class TechnicianScreen(KioskScreen):
    """PIN, then device states, test print, test card read, outbox depth, versions."""

    shows_personal_data = True

    def render(self, s: KioskSession, tr: Any) -> None:
        ids, panel = self.ids, s.technician
        ids.title.text = tr("tech.title")
        ids.exit.text = tr("tech.exit")
        ids.message.text = texts.message_text(panel.message, s.lang)
        if not panel.unlocked:
            ids.pin.text = f"{tr('tech.pin')}:  {'●' * len(panel.pin)}"
            ids.details.text = ""
            keys = [self._key(d, ("key", d), f"pin-{d}") for d in "1234567890"]
            keys.append(self._key(tr("form.delete"), ("backspace",), "pin-del"))
            ok = KButton(text="OK", tid="pin-ok")
            ok.bind(on_release=on_touch("technician_pin"))
            clear_and_add(ids.pad, [*keys, ok])
            return
        ids.pin.text = ""
        ids.details.text = self._details(s, tr)
        buttons = [self._key(tr("tech.test_print"), ("test_print",), "tech-print"),
                   self._key(tr("tech.test_card"), ("test_card",), "tech-card")]
        lock = KButton(text=tr("tech.unlock" if s.locked else "tech.lock"), tid="tech-lock")
        lock.bind(on_release=on_touch("toggle_lock"))
        clear_and_add(ids.pad, [*buttons, lock])

    @staticmethod
    def _key(text: str, action: tuple[str, ...], tid: str) -> KButton:
        key = KButton(text=text, kind="key", tid=tid)
        key.bind(on_release=on_touch("technician_edit", *action))
        return key

    @staticmethod
    def _details(s: KioskSession, tr: Any) -> str:
        diagnostics = s.technician.diagnostics
        if diagnostics is None:
            return ""
        lines = [f"[b]{tr('tech.devices')}[/b]"]
        lines += [f"{name}: {state} — {texts.escape(reason)}"
                  for name, state, reason in diagnostics.devices]
        lines.append(f"[b]{tr('tech.outbox')}[/b]: {diagnostics.outbox_depth}")
        lines.append(f"[b]{tr('tech.versions')}[/b]: " + ", ".join(
            f"{k} {v}" for k, v in diagnostics.versions.items()))
        return "\n".join(lines)
