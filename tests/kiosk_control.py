"""A test-control channel into the running window (started by tests/kiosk_under_test.py).

It lives with the tests: a production kiosk has no such channel. Tests and the benchmark
drive the real app through it: JSON lines over a loopback TCP socket. ``tap`` dispatches a
real touch (down, then up) at a widget's centre through Kivy's input path, exactly as a
finger would; ``state`` reports the screen and what it shows; ``screenshot`` saves the
window.

Requests: {"op": "state"} | {"op": "tap", "tid": T} | {"op": "longpress", "tid": T,
"seconds": S} | {"op": "scroll_end"} | {"op": "screenshot", "path": P} |
{"op": "refresh"} | {"op": "tap_timed", "tid": T}. Replies: {"ok": true, ...} or
{"ok": false, "error": ...}.
"""

from __future__ import annotations

import json
import logging
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.input.motionevent import MotionEvent
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

__all__ = ["TestControl"]

log = logging.getLogger(__name__)

Reply = Callable[[dict[str, Any]], None]


class _Touch(MotionEvent):
    """A finger at window position (x, y), dispatched through Kivy's input path."""

    def __init__(self, x: float, y: float) -> None:
        super().__init__("testcontrol", id(self), [x / Window.width, y / Window.height],
                         is_touch=True, type_id="touch")

    def depack(self, args: Any) -> None:
        self.sx, self.sy = args
        self.profile = ["pos"]
        super().depack(args)


def _walk(widget: Widget) -> Iterator[Widget]:
    yield widget
    for child in widget.children:
        yield from _walk(child)


class TestControl:
    """Serves test commands on 127.0.0.1:``port`` (0: any free port, printed at start)."""

    def __init__(self, app: Any, port: int) -> None:
        self.app = app
        self.port = port

    def start(self) -> None:
        """Listen on a daemon thread; print ``TESTCONTROL <port>``."""
        control = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for line in self.rfile:
                    answer = control.call(json.loads(line))
                    self.wfile.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")

        server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        print(f"TESTCONTROL {server.server_address[1]}", flush=True)
        threading.Thread(target=server.serve_forever, name="testcontrol", daemon=True).start()

    def call(self, request: dict[str, Any], timeout: float = 20.0) -> dict[str, Any]:
        """Run ``request`` on the UI thread; return its reply."""
        done = threading.Event()
        answer: dict[str, Any] = {}

        def reply(result: dict[str, Any]) -> None:
            answer.update(result)
            done.set()

        def run(_dt: float) -> None:
            try:
                getattr(self, f"_op_{request['op']}")(request, reply)
            except Exception as exc:
                log.exception("test command %s failed", request.get("op"))
                reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"})

        Clock.schedule_once(run, 0)
        if not done.wait(timeout):
            return {"ok": False, "error": "the UI thread did not answer in time"}
        return answer

    # -- helpers --------------------------------------------------------------------------
    def _screen(self) -> Widget:
        manager = self.app.root.ids.screens
        return manager.get_screen(manager.current)

    def _visible(self) -> Iterator[Widget]:
        yield from _walk(self._screen())
        yield from _walk(self.app.root.ids.banner)
        yield from (w for w in _walk(self.app.root) if getattr(w, "tid", "") in ("lang", "large"))

    def _find(self, tid: str) -> Widget:
        for widget in self._visible():
            if getattr(widget, "tid", None) == tid:
                return widget
        raise LookupError(f"no widget {tid!r} on screen {self.app.session.step.value}")

    def _scrolled_into_view(self, widget: Widget) -> bool:
        """Scroll ``widget`` into view; return True if its position will change next frame."""
        scroll = next((p for p in _parents(widget) if isinstance(p, ScrollView)), None)
        if scroll is None:
            return False
        before = (scroll.scroll_x, scroll.scroll_y)
        scroll.scroll_to(widget, padding=20, animate=False)
        return (scroll.scroll_x, scroll.scroll_y) != before

    def _touch_at(self, tid: str, then: Callable[[_Touch], None], reply: Reply) -> None:
        """Call ``then`` with a touch at widget ``tid``'s centre, once it is on screen."""
        widget = self._find(tid)
        if widget.disabled:
            reply({"ok": False, "error": f"{tid} is disabled"})
            return

        def at_centre() -> None:
            then(_Touch(*widget.to_window(*widget.center)))

        if self._scrolled_into_view(widget):
            self._after_frames(1, at_centre, reply)
        else:
            at_centre()

    def _after_frames(self, count: int, then: Callable[[], None], reply: Reply) -> None:
        """Run ``then`` after ``count`` drawn frames; a failure is replied, not raised."""
        if count <= 0:
            try:
                then()
            except Exception as exc:
                reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
            return
        self.app.frames_after_render.append(
            lambda: self._after_frames(count - 1, then, reply))
        Window.canvas.ask_update()

    # -- commands -------------------------------------------------------------------------
    def _op_state(self, request: dict[str, Any], reply: Reply) -> None:
        # Report what is drawn: let a pending render reach the screen first.
        self._after_frames(1, lambda: self._state(request, reply), reply)

    def _state(self, _request: dict[str, Any], reply: Reply) -> None:
        session = self.app.session
        texts = [w.text for w in self._visible() if isinstance(w, Label) and w.text]
        tids = [w.tid for w in self._visible() if getattr(w, "tid", "")
                and not w.disabled]
        reply({"ok": True, "step": session.step.value, "lang": session.lang,
               "large": session.large_text, "idle_warning": session.idle_warning,
               "busy": session.busy, "progress": session.progress.outcome,
               "message": session.message, "texts": texts, "tids": tids,
               "notice_read": session.notice_read, "k": self.app.k})

    def _op_all_texts(self, _request: dict[str, Any], reply: Reply) -> None:
        """Every label text held by any screen, shown or not (for wipe checks)."""
        self._after_frames(1, lambda: reply({"ok": True, "texts": [
            w.text for screen in self.app.root.ids.screens.screens for w in _walk(screen)
            if isinstance(w, Label) and w.text]}), reply)

    def _op_tap(self, request: dict[str, Any], reply: Reply) -> None:
        # Positions are final only after a frame has laid out what the last render added.
        self._after_frames(1, lambda: self._tap(request, reply), reply)

    def _tap(self, request: dict[str, Any], reply: Reply) -> None:
        def tap(touch: _Touch) -> None:
            EventLoop.post_dispatch_input("begin", touch)
            EventLoop.post_dispatch_input("end", touch)
            reply({"ok": True})

        self._touch_at(request["tid"], tap, reply)

    def _op_tap_timed(self, request: dict[str, Any], reply: Reply) -> None:
        self._after_frames(1, lambda: self._tap_timed(request, reply), reply)

    def _tap_timed(self, request: dict[str, Any], reply: Reply) -> None:
        before = self.app.session.step

        def tap(touch: _Touch) -> None:
            started = time.perf_counter()
            EventLoop.post_dispatch_input("begin", touch)
            EventLoop.post_dispatch_input("end", touch)

            def drawn() -> None:
                if self.app.session.step is before:
                    self.app.frames_after_render.append(drawn)
                    return
                reply({"ok": True, "ms": (time.perf_counter() - started) * 1000,
                       "step": self.app.session.step.value})

            self.app.frames_after_render.append(drawn)

        self._touch_at(request["tid"], tap, reply)

    def _op_longpress(self, request: dict[str, Any], reply: Reply) -> None:
        self._after_frames(1, lambda: self._longpress(request, reply), reply)

    def _longpress(self, request: dict[str, Any], reply: Reply) -> None:
        def press(touch: _Touch) -> None:
            EventLoop.post_dispatch_input("begin", touch)

            def release(_dt: float) -> None:
                EventLoop.post_dispatch_input("end", touch)
                reply({"ok": True})

            Clock.schedule_once(release, float(request.get("seconds", 2.5)))

        self._touch_at(request["tid"], press, reply)

    def _op_scroll_end(self, _request: dict[str, Any], reply: Reply) -> None:
        for widget in _walk(self._screen()):
            if isinstance(widget, ScrollView):
                widget.scroll_y = 0
        reply({"ok": True})

    def _op_refresh(self, _request: dict[str, Any], reply: Reply) -> None:
        self.app.refresh_station()
        reply({"ok": True, "step": self.app.session.step.value})

    def _op_screenshot(self, request: dict[str, Any], reply: Reply) -> None:
        target = Path(request["path"])
        target.parent.mkdir(parents=True, exist_ok=True)

        def shoot() -> None:
            saved = Window.screenshot(name=str(target.with_suffix("")) + "_.png")
            Path(saved).replace(target)
            reply({"ok": True, "path": str(target)})

        self._after_frames(2, shoot, reply)


def _parents(widget: Widget) -> Iterator[Widget]:
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        yield parent
        parent = parent.parent


def free_port() -> int:
    """Return a free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
