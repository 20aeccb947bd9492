"""The screens of a visit: attract, catalogue, notice, identify, form, confirm, result."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.gridlayout import GridLayout

from sync.catalog import PROVINCES

from ..session import CHOICES, KEYPADS, KioskSession
from . import texts
from .actions import on_touch
from .widgets import BodyLabel, ErrorLabel, Heading, KButton, KioskScreen, clear_and_add

__all__ = ["AttractScreen", "CatalogueScreen", "NoticeScreen", "IdentifyScreen", "FormScreen",
           "ConfirmScreen", "ResultScreen"]

_PLATE_PROVINCES = "浙" + PROVINCES.replace("浙", "")
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789挂学"


class AttractScreen(KioskScreen):
    """Station, mode and today's hours; tap a card to start."""

    def render(self, s: KioskSession, tr: Any) -> None:
        ids, station = self.ids, s.station
        ids.station.text = station.name_en if s.lang == "en" else station.name
        ids.mode.text = tr(f"mode.{station.mode}")
        ids.hours.text = texts.hours_line(station, s.lang)
        ids.tap.text = tr("attract.tap_card")
        ids.scan_hint.text = tr("attract.scan_hint")
        ids.start.text = tr("attract.start")
        ids.progress.text = tr("attract.progress")


class CatalogueScreen(KioskScreen):
    """Services by the four lists, with what each needs and why some are unavailable."""

    def render(self, s: KioskSession, tr: Any) -> None:
        self.ids.title.text = tr("catalogue.title")
        self.ids.back.text = tr("nav.cancel")
        self.ids.message.text = texts.message_text(s.message, s.lang)
        key = (s.lang, s.large_text, s.station.mode, tuple(sorted(s.faults)))
        if getattr(self, "_render_key", None) == key:
            return
        self._render_key = key
        widgets: list[Any] = []
        for visit_list, entries in s.catalogue().items():
            if entries:
                widgets.append(Heading(text=visit_list.label(s.lang)))
                widgets += [self._entry(e, s.lang, tr) for e in entries]
        if not widgets:
            widgets.append(BodyLabel(text=tr("catalogue.nothing")))
        clear_and_add(self.ids.entries, widgets)
        self.ids.scroll.scroll_y = 1

    @staticmethod
    def _entry(entry: Any, lang: str, tr: Any) -> KButton:
        lines = [entry.service.title.get(lang)]
        needs = texts.needs_text(entry.service, lang)
        if entry.bookable:
            lines.append(f"{entry.reason} — {tr('catalogue.appointment')}")
        elif not entry.available:
            lines.append(entry.reason)
        elif needs:
            lines.append(needs)
        kind = "primary" if entry.available else "bookable" if entry.bookable else "unavailable"
        button = KButton(text="\n".join(lines), kind=kind, tid=f"service-{entry.service.id}",
                         halign="left")
        button.bind(on_release=on_touch("choose_service", entry.service.id))
        return button


class NoticeScreen(KioskScreen):
    """The whole one-time notice; continuing is possible only after reading to its end."""

    def render(self, s: KioskSession, tr: Any) -> None:
        notice = s.notice()
        if notice is None:
            return
        ids = self.ids
        key = (notice.service_id, s.lang, s.large_text)
        if getattr(self, "_render_key", None) != key:
            self._render_key = key
            ids.title.text = notice.title
            ids.list_label.text = notice.visit_list_label
            ids.body.text = texts.notice_markup(notice, s.lang)
            ids.scroll.scroll_y = 1
            Clock.schedule_once(lambda _dt: self.check_read(), 0.2)
        ids.back.text = tr("nav.back")
        ids.accept.text = tr("notice.accept")
        ids.accept.disabled = not s.notice_read
        ids.accept.kind = "primary" if s.notice_read else "unavailable"
        ids.read_hint.text = "" if s.notice_read else tr("notice.read_all")

    def check_read(self) -> None:
        """Tell the session the notice was read once its end has been on screen."""
        scroll = self.ids.scroll
        fits = self.ids.body.height <= scroll.height
        if fits or scroll.scroll_y <= 0.01:
            app = App.get_running_app()
            if app is not None and app.session.step.value == "notice":
                app.act("mark_notice_read")


class IdentifyScreen(KioskScreen):
    """Card (or QR where allowed); shows the masked name and number once identified."""

    shows_personal_data = True

    def render(self, s: KioskSession, tr: Any) -> None:
        ids, service, identity = self.ids, s.service, s.identity
        ids.title.text = tr("identify.title")
        ids.service.text = service.title.get(s.lang) if service else ""
        ids.instructions.text = tr("identify.tap")
        allows_qr = bool(service and service.allows_qr_identification)
        ids.qr_hint.text = tr("identify.qr") if allows_qr else ""
        if identity is None:
            ids.who.text = ""
        elif identity.source == "qr":
            ids.who.text = f"{tr('identify.via_qr')}  {identity.masked_number}"
        else:
            ids.who.text = (f"{tr('identify.name')}: {identity.masked_name}    "
                            f"{tr('identify.number')}: {identity.masked_number}")
        ids.message.text = texts.message_text(s.message, s.lang)
        ids.back.text = tr("nav.back")
        ids.confirm.text = tr("identify.confirm")
        ids.confirm.disabled = identity is None
        ids.confirm.kind = "primary" if identity else "unavailable"


class FormScreen(KioskScreen):
    """The service's few fields, with a numeric keypad or a plate keyboard."""

    shows_personal_data = True

    def render(self, s: KioskSession, tr: Any) -> None:
        form = s.form
        if form is None:
            return
        self.ids.title.text = tr("form.title")
        self.ids.back.text = tr("nav.back")
        self.ids.next.text = tr("nav.next")
        widgets: list[Any] = []
        for name in form.fields:
            widgets.append(BodyLabel(text=f"[b]{tr(f'form.field.{name}')}[/b]"))
            widgets.append(self._input(s, name, tr))
            error = form.errors.get(name)
            widgets.append(ErrorLabel(text=error.message(s.lang) if error else ""))
        if form.values.get("delivery") == "mail" and s.identity and s.identity.address:
            widgets.append(BodyLabel(text=f"{tr('form.address_from_card')}: "
                                          f"{s.identity.masked_address}"))
        clear_and_add(self.ids.fields, widgets)
        clear_and_add(self.ids.keypad, self._keys(form.active, form.values, tr))

    @staticmethod
    def _input(s: KioskSession, name: str, tr: Any) -> Any:
        form = s.form
        assert form is not None
        value = form.values.get(name, "")
        if name in CHOICES:
            options = CHOICES[name]
            row = GridLayout(cols=2 if len(options) <= 2 else 4, spacing=12, size_hint_y=None)
            buttons = []
            for option in options:
                button = KButton(text=texts.field_value_text(name, option, s.lang, masked=False),
                                 kind="selected" if value == option else "secondary",
                                 tid=f"choose-{name}-{option}")
                button.bind(on_release=on_touch("form_edit", "choose", name, option))
                buttons.append(button)
            clear_and_add(row, buttons)
            row.bind(minimum_height=row.setter("height"))
            return row
        shown = texts.field_value_text(name, value, s.lang, masked=False) or "…"
        button = KButton(text=shown, kind="selected" if form.active == name else "secondary",
                         tid=f"field-{name}")
        button.bind(on_release=on_touch("form_edit", "focus", name))
        return button

    @staticmethod
    def _keys(active: str | None, values: dict[str, str], tr: Any) -> list[KButton]:
        if active is None:
            return []
        if KEYPADS.get(active) == "plate":
            chars = _PLATE_PROVINCES if not values.get(active) else _PLATE_CHARS
        else:
            chars = "123456789"
        keys = []
        for char in chars:
            key = KButton(text=char, kind="key", tid=f"key-{char}")
            key.bind(on_release=on_touch("form_edit", "key", char))
            keys.append(key)
        extra = [("form.clear", ("clear",), "key-clear"), ("0", ("key", "0"), "key-0"),
                 ("form.delete", ("backspace",), "key-del")]
        for label, action, tid in extra:
            if label == "0" and KEYPADS.get(active) == "plate":
                continue
            key = KButton(text=tr(label) if "." in label else label, kind="key", tid=tid)
            key.bind(on_release=on_touch("form_edit", *action))
            keys.append(key)
        return keys


class ConfirmScreen(KioskScreen):
    """Everything the application will say, masked, before it is submitted."""

    shows_personal_data = True

    def render(self, s: KioskSession, tr: Any) -> None:
        service, identity, form = s.service, s.identity, s.form
        if service is None or identity is None:
            return
        lines = [f"{tr('confirm.service')}: {service.title.get(s.lang)}",
                 f"{tr('confirm.applicant')}: {identity.masked_name} {identity.masked_number}"]
        for name, value in (form.values.items() if form else []):
            if name in (form.fields if form else ()):
                shown = texts.field_value_text(name, value, s.lang, masked=True)
                lines.append(f"{tr(f'form.field.{name}')}: {texts.escape(shown)}")
        if form and form.values.get("delivery") == "mail":
            lines.append(f"{tr('form.field.postal_address')}: {identity.masked_address}")
        self.ids.title.text = tr("confirm.title")
        self.ids.summary.text = "\n".join(lines)
        self.ids.busy.text = tr("confirm.busy") if s.busy else ""
        self.ids.submit.disabled = s.busy
        self.ids.back.text, self.ids.cancel.text = tr("nav.back"), tr("nav.cancel")
        self.ids.submit.text = tr("confirm.submit")


class ResultScreen(KioskScreen):
    """The tracking number, whether the receipt printed, what happens next."""

    shows_personal_data = True

    def render(self, s: KioskSession, tr: Any) -> None:
        ids, submission, notice = self.ids, s.submission, s.notice()
        ids.done.text, ids.progress.text = tr("nav.finish"), tr("attract.progress")
        if submission is None:
            ids.title.text, ids.tracking.text = tr("result.failed"), ""
            ids.printed.text = ids.next_steps.text = ""
            return
        ids.title.text = tr("result.title")
        ids.tracking.text = f"{tr('result.tracking')}: {submission.tracking_no}"
        ids.printed.text = tr("result.printed" if submission.receipt_printed
                              else "result.not_printed")
        steps = [notice.steps[-1], notice.time_limit] if notice else []
        ids.next_steps.text = (f"[b]{tr('result.next')}[/b]\n" + "\n".join(
            f"•  {texts.escape(step)}" for step in steps) + f"\n\n{tr('result.qr')}")
