"""What the screens write, composed from the session in the citizen's language (no Kivy).

Everything personal goes through a mask here before it reaches a label: names and ID
numbers arrive masked from the card; phone numbers and addresses are masked on every
screen except the one where the citizen types them.
"""

from __future__ import annotations

from datetime import datetime

from sync.catalog import VEHICLE_TYPES, Service, ServiceNotice

from ..i18n import STRINGS, translate
from ..session import NearbyView, ProgressItem, StationView

__all__ = ["escape", "hours_line", "mask_phone", "nearest_lines", "needs_text", "notice_markup",
           "opening_text", "status_label", "field_value_text", "message_text"]

_WEEKDAYS_ZH = "一二三四五六日"


def escape(text: str) -> str:
    """Return ``text`` safe inside Kivy markup."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


def hours_line(station: StationView, lang: str) -> str:
    """Return today's opening stretches with their modes, or that they are unknown."""
    if not station.schedule_known:
        return translate("attract.hours_unknown", lang)
    if not station.hours_today:
        return f"{translate('attract.today', lang)}: {translate('mode.closed', lang)}"
    parts = [f"{text} {translate(f'mode.{mode}', lang)}" for mode, text in station.hours_today]
    return f"{translate('attract.today', lang)}: " + "  ·  ".join(parts)


def opening_text(moment: datetime | None, lang: str) -> str:
    """Return when the station next opens, e.g. '11月26日 周四 07:00' / 'Thu 26 Nov 07:00'."""
    if moment is None:
        return translate("closed.unknown", lang)
    if lang == "en":
        return moment.strftime("%a %d %b %H:%M")
    return f"{moment.month}月{moment.day}日 周{_WEEKDAYS_ZH[moment.weekday()]} {moment:%H:%M}"


def nearest_lines(stations: tuple[NearbyView, ...], lang: str) -> list[str]:
    """Return one line per nearby open station: name, distance, until when it is open."""
    lines = []
    for station in stations:
        name = station.name_en if lang == "en" and station.name_en else station.name
        until = (f"{translate('closed.until', lang)} {station.closes_at:%H:%M}"
                 if station.closes_at else "")
        lines.append(f"{name}  ·  {station.distance_km:.1f} km  ·  {until}".rstrip(" ·"))
    return lines


def needs_text(service: Service, lang: str) -> str:
    """Return what the service needs at the kiosk, e.g. 'Needs: ID card, receipt printer'."""
    if not service.devices:
        return ""
    names = ", ".join(translate(f"device.{d}", lang) for d in service.devices)
    return f"{translate('catalogue.needs', lang)}: {names}"


def notice_markup(notice: ServiceNotice, lang: str) -> str:
    """Return the complete one-time notice as Kivy markup."""
    def section(key: str, body: str) -> str:
        return f"[b][color=#7FD3FF]{translate(key, lang)}[/color][/b]\n{body}\n"

    def bullets(items: tuple[str, ...], numbered: bool = False) -> str:
        return "\n".join(f"{i}. {escape(t)}" if numbered else f"•  {escape(t)}"
                         for i, t in enumerate(items, 1))

    parts = [
        section("notice.where", escape(notice.where)),
        section("notice.bring", bullets(notice.bring)),
        section("notice.steps", bullets(notice.steps, numbered=True)),
        section("notice.fees", escape(notice.fees)),
        section("notice.time_limit", escape(notice.time_limit)),
        section("notice.caveats", bullets(notice.caveats)),
    ]
    if notice.provisional:
        parts.append(f"[color=#FFD54F]{translate('notice.provisional', lang)}[/color]")
    return "\n".join(parts)


def mask_phone(phone: str) -> str:
    """Return a mobile number with its middle four digits hidden: 139****5678."""
    return phone[:3] + "****" + phone[7:] if len(phone) == 11 else "*" * len(phone)


def field_value_text(field: str, value: str, lang: str, *, masked: bool) -> str:
    """Return a form value as a screen shows it (choices by name, phone masked if asked)."""
    if field == "delivery":
        return translate(f"form.delivery.{value}", lang) if value else ""
    if field == "vehicle_type":
        return f"{value} {VEHICLE_TYPES.get(value, '')}".strip()
    if field == "phone" and masked:
        return mask_phone(value)
    return value


def status_label(item: ProgressItem, lang: str) -> str:
    """Return an application's status in plain words."""
    key = f"status.{item.status}"
    if item.status == "ready" and item.delivery == "mail":
        key = "status.ready_mailed"
    try:
        text = translate(key, lang)
    except KeyError:
        text = item.status
    if item.reason:
        text += f" — {translate('status.reason', lang)}: {item.reason}"
    return text


def message_text(message: str, lang: str) -> str:
    """Return the session's message: a kiosk string key translated, or text as it is."""
    return translate(message, lang) if message in STRINGS else message
