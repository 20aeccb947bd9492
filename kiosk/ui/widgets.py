"""The kiosk's widgets: touch buttons with test ids, labels that scale, a long-press area.

Styling lives in ``kv/common.kv``; every size there is multiplied by ``app.k`` so the
large-text toggle scales every screen at once.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock, ClockEvent
from kivy.properties import NumericProperty, OptionProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

__all__ = ["KButton", "BodyLabel", "Heading", "ErrorLabel", "LongPressArea", "KioskScreen",
           "clear_and_add"]


class KButton(Button):
    """A touch target at least 72 px high; ``tid`` names it for the test channel."""

    tid = StringProperty("")
    kind = OptionProperty("primary", options=[
        "primary", "secondary", "selected", "unavailable", "key", "bookable"])


class BodyLabel(Label):
    """Wrapped body text that grows to fit."""


class Heading(Label):
    """A screen or section heading."""


class ErrorLabel(Label):
    """A plain message that something needs fixing."""


class LongPressArea(Widget):
    """Fires ``on_long_press`` when held for ``hold_s`` seconds (the technician entry)."""

    tid = StringProperty("")
    hold_s = NumericProperty(2.0)
    __events__ = ("on_long_press",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pending: ClockEvent | None = None

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            self._pending = Clock.schedule_once(lambda _dt: self.dispatch("on_long_press"),
                                                self.hold_s)
        return bool(super().on_touch_down(touch))

    def on_touch_up(self, touch: Any) -> bool:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        return bool(super().on_touch_up(touch))

    def on_long_press(self) -> None:
        """Default handler: nothing."""


class KioskScreen(Screen):
    """A screen that renders the session; subclasses fill their widgets in ``render``."""

    shows_personal_data = False  # True: emptied when a visit ends

    def render(self, session: Any, tr: Any) -> None:
        """Show ``session``'s state; ``tr(key, **values)`` translates kiosk strings."""

    def wipe(self) -> None:
        """Forget everything shown: empty every label and every list this screen filled."""
        for widget in self.ids.values():
            if isinstance(widget, Label):
                widget.text = ""
            elif isinstance(widget, GridLayout):
                widget.clear_widgets()
        self._render_key = None  # the next render rebuilds from the session


def clear_and_add(container: Widget, widgets: list[Widget]) -> None:
    """Replace ``container``'s children with ``widgets``, in order."""
    container.clear_widgets()
    for widget in widgets:
        container.add_widget(widget)
