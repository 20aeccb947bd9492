"""The Kivy app: one ScreenManager of screens rendering the session, touches forwarded back.

Import only after :func:`kiosk.ui.kivy_setup.configure_kivy`. Everything that changes
the session runs on Kivy's main thread: device callbacks and answers from the controller
are posted here with ``Clock.schedule_once``.
"""

from __future__ import annotations

import importlib.resources
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import NoTransition

from ..i18n import translate
from ..session import HOME_STEPS, KioskServices, KioskSession, Step
from . import screens_other, screens_visit, widgets
from .actions import check_kv_file
from .kivy_setup import register_font

__all__ = ["KioskApp", "KioskRoot", "LARGE_TEXT_SCALE"]

log = logging.getLogger(__name__)

KV_DIR = Path(str(importlib.resources.files("kiosk.ui") / "kv"))
LARGE_TEXT_SCALE = 1.35
_SCREENS: dict[Step, type[widgets.KioskScreen]] = {
    Step.ATTRACT: screens_visit.AttractScreen, Step.CATALOGUE: screens_visit.CatalogueScreen,
    Step.NOTICE: screens_visit.NoticeScreen, Step.IDENTIFY: screens_visit.IdentifyScreen,
    Step.FORM: screens_visit.FormScreen, Step.CONFIRM: screens_visit.ConfirmScreen,
    Step.RESULT: screens_visit.ResultScreen, Step.PROGRESS: screens_other.ProgressScreen,
    Step.APPOINTMENT: screens_other.AppointmentScreen, Step.CLOSED: screens_other.ClosedScreen,
    Step.OUT_OF_SERVICE: screens_other.OutOfServiceScreen,
    Step.TECHNICIAN: screens_other.TechnicianScreen,
}


class KioskRoot(BoxLayout):
    """Idle banner, screens, and the language / large-text bar; any touch counts as activity."""

    def on_touch_down(self, touch: Any) -> bool:
        app = App.get_running_app()
        if app is not None:
            app.session.touch()
        return bool(super().on_touch_down(touch))


def _register_classes() -> None:
    for module in (widgets, screens_visit, screens_other):
        for name in module.__all__:
            item = getattr(module, name)
            if isinstance(item, type):
                Factory.register(name, cls=item)
    Factory.register("KioskRoot", cls=KioskRoot)


class KioskApp(App):
    """The touch kiosk; ``k`` scales every size (large text), ``lang`` drives bindings."""

    k = NumericProperty(1.0)
    lang = StringProperty("zh")

    def __init__(self, services: KioskServices, lookup_key: bytes, *,
                 idle_timeout_s: float = 90.0, idle_warning_s: float = 20.0,
                 station_refresh_s: float = 5.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title = "stationnet kiosk"
        self.use_kivy_settings = False
        self.session = KioskSession(services, lookup_key=lookup_key, runner=self.run_in_thread,
                                    idle_timeout_s=idle_timeout_s, idle_warning_s=idle_warning_s)
        self.station_refresh_s = station_refresh_s
        self.render_count = 0
        self._last_step = self.session.step
        self.frames_after_render: list[Callable[[], None]] = []
        self.started = time.perf_counter()
        self._render_trigger = Clock.create_trigger(self._render, -1)
        self.session.on_change(self._render_trigger)

    # -- building -------------------------------------------------------------------------
    def build(self) -> KioskRoot:
        register_font()
        _register_classes()
        for kv in (KV_DIR / "common.kv", *(KV_DIR / f"{step.value}.kv" for step in _SCREENS)):
            check_kv_file(kv)  # a misspelt action fails here, not at a citizen's touch
            Builder.load_file(str(kv))
        root = KioskRoot()
        manager = root.ids.screens
        manager.transition = NoTransition()
        for step, cls in _SCREENS.items():
            manager.add_widget(cls(name=step.value))
        Window.bind(on_keyboard=self._on_keyboard, on_flip=self._on_flip)
        Clock.schedule_interval(lambda _dt: self.session.tick(), 0.5)
        Clock.schedule_interval(lambda _dt: self.refresh_station(), self.station_refresh_s)
        self._render_trigger()
        return root

    def open_settings(self, *_args: Any) -> bool:
        """F1 and the settings panel do nothing on a kiosk."""
        return False

    def _on_keyboard(self, _window: Any, key: int, *_args: Any) -> bool:
        return key in (27, 282)  # Escape and F1 are swallowed; nothing else is bound

    def _on_flip(self, *_args: Any) -> None:
        waiting, self.frames_after_render = self.frames_after_render, []
        for callback in waiting:
            self._safely(callback)

    # -- the session ----------------------------------------------------------------------
    def act(self, action: str, *args: Any) -> None:
        """Run session method ``action`` for a touch; a failing action never kills the UI."""
        try:
            getattr(self.session, action)(*args)
        except Exception:
            log.exception("screen action %s failed", action)

    def post(self, function: Callable[..., Any], *args: Any) -> None:
        """Run ``function(*args)`` on the UI thread (from any thread)."""
        Clock.schedule_once(lambda _dt: self._safely(function, *args), 0)

    def _safely(self, function: Callable[..., Any], *args: Any) -> None:
        try:
            function(*args)
        except Exception:
            log.exception("UI callback %s failed", getattr(function, "__name__", function))

    def run_in_thread(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """The session's runner: ``job`` on a worker thread, ``done`` back on the UI thread."""
        def work() -> None:
            try:
                result: Any = job()
            except Exception as exc:
                result = exc
            self.post(done, result)

        threading.Thread(target=work, name="session-job", daemon=True).start()

    def refresh_station(self) -> None:
        """Re-read mode and device faults (also called when documents or devices change)."""
        self._safely(self.session.refresh_station)

    # -- rendering ------------------------------------------------------------------------
    def tr(self, key: str, **values: Any) -> str:
        """Return kiosk string ``key`` in the session's language."""
        return translate(key, self.session.lang, **values)

    def _render(self, *_args: Any) -> None:
        session = self.session
        self.lang = session.lang
        self.k = LARGE_TEXT_SCALE if session.large_text else 1.0
        root = self.root
        if root is None:
            return
        manager = root.ids.screens
        if session.step in HOME_STEPS and self._last_step not in HOME_STEPS:
            self._wipe_screens(manager)
        self._last_step = session.step
        screen = manager.get_screen(session.step.value)
        try:
            screen.render(session, self.tr)
        except Exception:
            log.exception("rendering %s failed", session.step.value)
        manager.current = session.step.value
        self._render_bars(root)
        self.render_count += 1

    @staticmethod
    def _wipe_screens(manager: Any) -> None:
        """A visit ended: no screen keeps what it showed (masked or not) in its widgets."""
        for screen in manager.screens:
            if screen.shows_personal_data:
                screen.wipe()

    def _render_bars(self, root: KioskRoot) -> None:
        ids, session = root.ids, self.session
        ids.lang.text = self.tr("lang.switch")
        ids.large.text = self.tr("large.off" if session.large_text else "large.on")
        warning = session.idle_warning
        ids.banner.height = 110 * self.k if warning is not None else 0
        ids.banner.opacity = 1 if warning is not None else 0
        ids.banner_stay.disabled = warning is None
        ids.banner_text.text = self.tr("idle.warning", seconds=warning) if warning else ""
        ids.banner_stay.text = self.tr("idle.stay")
        station = session.station
        name = station.name_en if session.lang == "en" else station.name
        ids.footer.text = f"{name}  ·  {self.tr(f'mode.{station.mode}')}"
