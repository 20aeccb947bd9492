"""The kiosk session: one visit from the attract screen to the receipt, in plain Python.

Screens render a :class:`KioskSession` and forward touches to its methods; devices
forward cards and scanned codes. Every way a visit ends -- finished, cancelled or idle
timeout -- goes through :meth:`KioskSession.end_visit`, which records the visit and wipes
every piece of personal data the session held.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sync.catalog import Service, ServiceNotice, VisitList
from sync.events import VisitEnded

from .catalogue import CatalogueEntry, application_request, catalogue_entries
from .codes import identity_token_from_code, tracking_from_code
from .form import FormState
from .identity import Identity, applicant_ref, mask_text
from .idle import IdleState, IdleTimer
from .panels import AppointmentPanel, ProgressPanel, TechnicianPanel
from .ports import (
    ApplicationRequest,
    KioskServices,
    ProgressQuery,
    Runner,
    StationView,
    Submission,
    run_now,
)
from .steps import HOME_STEPS, EndReason, Step

__all__ = ["KioskSession", "CatalogueEntry"]

log = logging.getLogger(__name__)

_BACK = {Step.NOTICE: Step.CATALOGUE, Step.IDENTIFY: Step.NOTICE, Step.FORM: Step.IDENTIFY,
         Step.APPOINTMENT: Step.CATALOGUE}


class KioskSession:
    """The state machine behind every screen; no Kivy, no devices, no network."""

    def __init__(self, services: KioskServices, *, lookup_key: bytes,
                 clock: Callable[[], float] = time.monotonic, runner: Runner = run_now,
                 idle_timeout_s: float = 90.0, idle_warning_s: float = 20.0) -> None:
        self.services = services
        self.lookup_key = lookup_key
        self.clock = clock
        self.idle = IdleTimer(clock, idle_timeout_s, idle_warning_s)
        self.step = Step.ATTRACT
        self.lang = "zh"
        self.large_text = False
        # The lock belongs to the command executor: the session asks it (ask_lock) and is
        # told what it decided (lock_changed). Without an owner the session decides alone.
        self.locked = False
        self.lock_message = ""  # what a technician's remote lock asks citizens to read
        self.ask_lock: Callable[[bool], None] = lambda locked: self.lock_changed(locked)
        self.station: StationView = services.station()
        self.faults: dict[str, str] = dict(services.device_faults())
        self.service_id: str | None = None
        self.identity: Identity | None = None
        self.form: FormState | None = None
        self.notice_read = False
        self.message = ""  # an i18n key, or a text already in the citizen's language
        self.busy = False
        self.submission: Submission | None = None
        self.idle_warning: int | None = None
        self._generation = 0
        self._visit_started: float | None = None
        self._listeners: list[Callable[[], None]] = []
        panel_args = (services, runner, self._changed, lambda: self._generation)
        self.progress = ProgressPanel(*panel_args)
        self.appointment = AppointmentPanel(*panel_args)
        self.technician = TechnicianPanel(*panel_args)
        self.runner = runner
        self.step = self.home_step()

    # -- observation ---------------------------------------------------------------------
    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every change a screen should show."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def _go(self, step: Step, message: str = "") -> None:
        self.step, self.message = step, message
        self._changed()

    # -- what the screens show -----------------------------------------------------------
    @property
    def service(self) -> Service | None:
        """Return the chosen service, if any."""
        return self.services.catalog().service(self.service_id) if self.service_id else None

    def notice(self) -> ServiceNotice | None:
        """Return the chosen service's one-time notice in the current language."""
        return self.service.notice(self.lang) if self.service else None

    def catalogue(self) -> dict[VisitList, list[CatalogueEntry]]:
        """Return every service by visit list, with whether it can be handled now."""
        return catalogue_entries(self.services.catalog(), self.station.mode,
                                 frozenset(self.faults), self.lang)

    def home_step(self) -> Step:
        """Return the screen between visits: attract, closed or out of service."""
        if self.locked:
            return Step.OUT_OF_SERVICE
        if self.station.mode == "closed":
            return Step.CLOSED
        if self.faults and not any(e.available for g in self.catalogue().values() for e in g):
            return Step.OUT_OF_SERVICE
        return Step.ATTRACT

    # -- station, devices, time ----------------------------------------------------------
    def refresh_station(self) -> None:
        """Re-read mode and device faults; between visits, move to the right home screen."""
        self.station = self.services.station()
        self.faults = dict(self.services.device_faults())
        if self.step in HOME_STEPS:
            self.step = self.home_step()
        self._changed()

    def touch(self) -> None:
        """The citizen touched the screen: restart the idle count."""
        self.idle.touch()
        if self.idle_warning is not None:
            self.idle_warning = None
            self._changed()

    def tick(self) -> None:
        """Advance the idle timer: show the countdown, or end the visit when it runs out."""
        if self.step in HOME_STEPS:
            return
        state = self.idle.state()
        if state is IdleState.EXPIRED:
            self.end_visit(EndReason.TIMEOUT)
            return
        warning = int(self.idle.remaining_s() + 0.999) if state is IdleState.WARNING else None
        if warning != self.idle_warning:
            self.idle_warning = warning
            self._changed()

    # -- global toggles ------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Show every screen in ``lang`` ("zh" or "en")."""
        self.touch()
        self.lang = "en" if lang == "en" else "zh"
        self._changed()

    def toggle_large_text(self) -> None:
        """Switch large text on or off for every screen."""
        self.touch()
        self.large_text = not self.large_text
        self._changed()

    # -- the visit -----------------------------------------------------------------------
    def _begin_visit(self) -> None:
        if self._visit_started is None:
            self._visit_started = self.clock()
        self.idle.touch()

    def start(self) -> None:
        """Attract → catalogue."""
        if self.step is Step.ATTRACT:
            self._begin_visit()
            self._go(Step.CATALOGUE)

    def choose_service(self, service_id: str) -> None:
        """Open a service's notice; a staffed-only one offers an appointment instead."""
        self.touch()
        entry = next((e for g in self.catalogue().values() for e in g
                      if e.service.id == service_id), None)
        if entry is None or self.step is not Step.CATALOGUE:
            return
        self.service_id = service_id
        if entry.bookable:
            self._go(Step.APPOINTMENT)
            self.appointment.load(service_id)
        elif entry.available:
            self.notice_read = False
            self._go(Step.NOTICE)
        else:
            self.message = entry.reason
            self._changed()

    def mark_notice_read(self) -> None:
        """The citizen has seen the whole notice (scrolled to its end)."""
        if not self.notice_read:
            self.notice_read = True
            self._changed()

    def accept_notice(self) -> None:
        """Notice → identify, once the notice was read in full."""
        self.touch()
        if self.step is Step.NOTICE and self.notice_read:
            self._go(Step.IDENTIFY)

    def card_read(self, identity: Identity) -> None:
        """A card was read; what it means depends on the screen."""
        self.touch()
        step = self.step
        if step is Step.ATTRACT:
            self._hold(identity)
            self._begin_visit()
            self._go(Step.CATALOGUE)
        elif step in (Step.CATALOGUE, Step.NOTICE, Step.IDENTIFY, Step.APPOINTMENT):
            self._hold(identity)
            self._changed()
        elif step in (Step.PROGRESS, Step.CLOSED, Step.OUT_OF_SERVICE):
            self._hold(identity)
            self._begin_visit()
            self._go(Step.PROGRESS)
            self.progress.lookup(ProgressQuery(applicant_ref=identity.ref))
        else:
            identity.wipe()

    def card_failed(self) -> None:
        """The reader saw a card but could not read it."""
        if self.step not in HOME_STEPS:
            self.message = "identify.read_failed"
            self._changed()

    def _hold(self, identity: Identity) -> None:
        if self.identity is not None and self.identity is not identity:
            self.identity.wipe()
        self.identity = identity
        self.message = ""

    def code_scanned(self, text: str) -> None:
        """A code was scanned: a receipt's progress QR or an identity QR."""
        self.touch()
        tracking = tracking_from_code(text)
        if tracking and (self.step in HOME_STEPS or self.step is Step.PROGRESS):
            self._begin_visit()
            self._go(Step.PROGRESS)
            self.progress.lookup(ProgressQuery(tracking_no=tracking))
            return
        token = identity_token_from_code(text)
        service = self.service
        if token and self.step is Step.IDENTIFY and service and service.allows_qr_identification:
            self._hold(Identity("qr", "", mask_text(token, 4),
                                applicant_ref(token, self.lookup_key)))
            self._changed()

    def confirm_identity(self) -> None:
        """Identify → form (or straight to confirm when the service asks nothing)."""
        self.touch()
        service = self.service
        if self.step is not Step.IDENTIFY or self.identity is None or service is None:
            return
        if self.identity.expired:
            self.message = "identify.expired"
            self._changed()
            return
        self.form = FormState.for_service(service)
        self._go(Step.FORM if self.form.fields else Step.CONFIRM)

    def form_edit(self, action: str, *args: str) -> None:
        """Forward a keypad or choice touch to the form: focus, key, backspace, clear, choose."""
        self.touch()
        if self.step is Step.FORM and self.form is not None:
            getattr(self.form, action)(*args)
            self._changed()

    def submit_form(self) -> None:
        """Form → confirm when every field is valid; otherwise show each field's problem."""
        self.touch()
        if self.step is not Step.FORM or self.form is None or self.identity is None:
            return
        if self.form.validate(bool(self.identity.address)) is None:
            self._changed()
            return
        self._go(Step.CONFIRM)

    def confirm(self) -> None:
        """Submit the application: stored with its event, receipt printed."""
        self.touch()
        request = self._application()
        if self.step is not Step.CONFIRM or self.busy or request is None:
            return
        self.busy = True
        self._changed()
        generation = self._generation

        def done(result: object) -> None:
            if generation != self._generation:
                return
            self.busy = False
            if isinstance(result, Submission):
                self.submission = result
                self._go(Step.RESULT)
            else:
                log.error("submission failed: %s", result)
                self._go(Step.RESULT, "result.failed")

        self.runner(lambda: self.services.submit(request), done)

    def _application(self) -> ApplicationRequest | None:
        service, identity, form = self.service, self.identity, self.form
        if service is None or identity is None or form is None:
            return None
        return application_request(service, identity, form, self.station.mode, self.lang)

    def back(self) -> None:
        """Go one screen back; from the catalogue or a lookup, end the visit."""
        self.touch()
        previous = _BACK.get(self.step)
        if self.step is Step.CONFIRM:
            previous = Step.FORM if self.form and self.form.fields else Step.IDENTIFY
        if previous is None:
            self.end_visit(EndReason.CANCELLED)
        else:
            self._go(previous)

    def open_progress(self) -> None:
        """Open the progress lookup (card or receipt QR)."""
        self.touch()
        if self.step in HOME_STEPS or self.step is Step.RESULT:
            self._begin_visit()
            self.progress.wipe()
            self._go(Step.PROGRESS)

    def book(self, slot_id: str) -> None:
        """Book an appointment slot for the identified citizen."""
        self.touch()
        if self.step is Step.APPOINTMENT and self.service_id:
            if self.identity is None:
                self.message = "identify.tap"
                self._changed()
                return
            self.appointment.book(self.service_id, slot_id, self.identity.masked_name)

    # -- technician ----------------------------------------------------------------------
    def technician_request(self) -> None:
        """The hidden long press: ask for the technician PIN."""
        if self.step in HOME_STEPS:
            self.idle.touch()
            self.technician.wipe()
            self._go(Step.TECHNICIAN)

    def technician_pin(self) -> None:
        """Check the typed PIN; too many wrong ones leave the technician screen."""
        self.touch()
        if not self.technician.submit_pin():
            self.end_visit(EndReason.CANCELLED)
            return
        self._changed()

    def technician_edit(self, action: str, *args: str) -> None:
        """Forward a technician touch: PIN key/backspace, test_print, test_card, refresh."""
        self.touch()
        if self.step is Step.TECHNICIAN and action in (
                "key", "backspace", "test_print", "test_card", "refresh"):
            getattr(self.technician, action)(*args)
            self._changed()

    def toggle_lock(self) -> None:
        """Ask for the kiosk out of service, or back in it (technician only)."""
        self.touch()
        if self.step is Step.TECHNICIAN and self.technician.unlocked:
            self.ask_lock(not self.locked)

    def lock_changed(self, locked: bool, message: str = "") -> None:
        """The kiosk was locked or unlocked (here or remotely); show it.

        A visit in progress is allowed to finish; the kiosk goes out of service after it.
        """
        self.locked, self.lock_message = locked, message if locked else ""
        if self.step in HOME_STEPS:
            self.step = self.home_step()
        self._changed()

    # -- the end -------------------------------------------------------------------------
    def finish(self) -> None:
        """The citizen is done: end the visit."""
        self.end_visit(EndReason.FINISHED)

    def cancel(self) -> None:
        """The citizen gave up: end the visit."""
        self.end_visit(EndReason.CANCELLED)

    def end_visit(self, reason: EndReason) -> None:
        """Record the visit, wipe every piece of personal data, go back home."""
        if self._visit_started is not None:
            self._record_visit(reason)
        if self.identity is not None:
            self.identity.wipe()
        self.identity = None
        if self.form is not None:
            self.form.wipe()
        self.form = None
        self.service_id = self.submission = None
        self.notice_read = self.busy = False
        self.idle_warning = self._visit_started = None
        self._generation += 1
        for panel in (self.progress, self.appointment, self.technician):
            panel.wipe()
        self.lang, self.large_text = "zh", False  # the next citizen starts from the default
        self._go(self.home_step())

    def _record_visit(self, reason: EndReason) -> None:
        assert self._visit_started is not None
        body = VisitEnded(outcome=reason, last_step=self.step.value,
                          duration_s=max(0.0, round(self.clock() - self._visit_started, 1)),
                          service=self.service_id, lang=self.lang, large_text=self.large_text,
                          tracking_no=self.submission.tracking_no if self.submission else None)
        try:
            self.services.record(body)
        except Exception:  # the visit still ends and is wiped even if the store is away
            log.exception("could not record the end of a visit")
