"""Session rules: idle timeout, modes, device faults, progress, technician, scanned codes."""

from __future__ import annotations

from kiosk.session import (
    Outcome,
    ProgressItem,
    ProgressRefused,
    ProgressUnavailable,
    Step,
    progress_payload,
    tracking_from_code,
)


def test_idle_warns_with_a_countdown_then_wipes_mid_form(session, services, clock, make_card):
    session.card_read(make_card())
    session.choose_service("dl-renewal-expiry")
    session.mark_notice_read()
    session.accept_notice()
    session.confirm_identity()
    session.form.focus("phone")
    session.form.key("1")
    identity = session.identity
    clock.advance(50)
    session.tick()
    assert session.step is Step.FORM and session.idle_warning == 10
    clock.advance(10)
    session.tick()
    assert session.step is Step.ATTRACT
    assert session.identity is None and session.form is None and session.idle_warning is None
    assert identity.id_number == ""
    kind, body = services.events[-1]
    assert (kind, body["outcome"], body["last_step"]) == ("visit.ended", "timeout", "form")
    assert body["duration_s"] == 60.0


def test_a_touch_restarts_the_idle_count(session, clock, make_card):
    session.card_read(make_card())
    clock.advance(55)
    session.tick()
    assert session.idle_warning is not None
    session.touch()
    assert session.idle_warning is None
    clock.advance(55)
    session.tick()
    assert session.step is Step.CATALOGUE


def test_attract_has_no_timeout(session, clock, services):
    clock.advance(10_000)
    session.tick()
    assert session.step is Step.ATTRACT and services.events == []


def test_closed_station_shows_closed_and_comes_back_when_open(session, services):
    services.mode = "closed"
    session.refresh_station()
    assert session.step is Step.CLOSED
    session.start()
    assert session.step is Step.CLOSED
    services.mode = "staffed"
    session.refresh_station()
    assert session.step is Step.ATTRACT


def test_mode_change_does_not_interrupt_a_visit(session, services, make_card):
    session.card_read(make_card())
    services.mode = "closed"
    session.refresh_station()
    assert session.step is Step.CATALOGUE


def test_printer_fault_disables_exactly_the_services_that_print(session, services):
    services.faults = {"printer": "paper out"}
    session.refresh_station()
    session.start()
    entries = {e.service.id: e for g in session.catalogue().values() for e in g}
    for sid, entry in entries.items():
        needs_printer = "printer" in entry.service.devices
        if needs_printer and "self_service" in entry.service.modes:
            assert not entry.available and "打印机" in entry.reason, sid
    assert entries["points-violation-enquiry"].available == (
        "printer" not in entries["points-violation-enquiry"].service.devices)
    session.choose_service("dl-renewal-expiry")
    assert session.step is Step.CATALOGUE and "打印机" in session.message


def test_every_device_down_puts_the_kiosk_out_of_service(session, services):
    services.faults = {"idcard": "absent", "printer": "paper out", "scanner": "absent"}
    session.refresh_station()
    assert session.step is Step.OUT_OF_SERVICE


def test_staffed_only_service_offers_an_appointment_in_self_service(session):
    session.start()
    entries = {e.service.id: e for g in session.catalogue().values() for e in g}
    assert entries["dl-replacement-damaged"].bookable
    session.choose_service("dl-replacement-damaged")
    assert session.step is Step.APPOINTMENT
    assert session.appointment.outcome == Outcome.OFFLINE


def test_progress_by_receipt_qr_from_the_attract_screen(session, services):
    services.progress = [ProgressItem("T261125-K-TEST-000001", "dl-renewal-expiry", "ready")]
    session.code_scanned(progress_payload("T261125-K-TEST-000001"))
    assert session.step is Step.PROGRESS
    assert services.queries[0].tracking_no == "T261125-K-TEST-000001"
    assert session.progress.outcome == Outcome.FOUND


def test_progress_by_card_sends_the_reference_not_the_number(session, services, make_card):
    session.open_progress()
    session.card_read(make_card())
    query = services.queries[0]
    assert query.tracking_no is None and query.applicant_ref
    assert "3301" not in query.applicant_ref
    assert session.progress.outcome == Outcome.NONE


def test_progress_offline_and_refused_are_told_apart(session, services):
    services.progress = ProgressUnavailable("no network")
    session.code_scanned("T261125-K-TEST-000001")
    assert session.progress.outcome == Outcome.OFFLINE
    services.progress = ProgressRefused("bad request")
    session.code_scanned("T261125-K-TEST-000001")
    assert session.progress.outcome == Outcome.REFUSED


def test_late_answers_after_the_visit_ended_are_dropped(session, services):
    pending = []
    session.progress.runner = lambda job, done: pending.append((job, done))
    session.code_scanned("T261125-K-TEST-000001")
    session.cancel()
    job, done = pending[0]
    done(job())
    assert session.progress.outcome == Outcome.IDLE and session.step is Step.ATTRACT


def test_tracking_codes_are_recognised_and_others_ignored():
    assert tracking_from_code("stationnet:progress/T261125-K-WENSAN-1-000042") == (
        "T261125-K-WENSAN-1-000042")
    assert tracking_from_code("t261125-k-wensan-1-000042") == "T261125-K-WENSAN-1-000042"
    assert tracking_from_code("https://example.invalid/x") is None


def test_identity_qr_only_where_the_service_allows_it(session, services):
    allowing = [s for s in services.catalogue.services if s.allows_qr_identification]
    session.start()
    session.choose_service(allowing[0].id)
    session.mark_notice_read()
    session.accept_notice()
    session.code_scanned("12123id:ABCDEF123456")
    assert session.identity is not None and session.identity.source == "qr"
    assert "ABCDEF123456" not in session.identity.masked_number


def test_technician_pin_unlocks_diagnostics_and_lock(session, services):
    session.technician_request()
    assert session.step is Step.TECHNICIAN and not session.technician.unlocked
    for digit in "000000":
        session.technician.key(digit)
    session.technician_pin()
    assert session.technician.message == "tech.wrong_pin"
    for digit in "246810":
        session.technician.key(digit)
    session.technician_pin()
    assert session.technician.unlocked and session.technician.diagnostics.outbox_depth == 3
    asked: list[bool] = []
    session.ask_lock = asked.append
    session.toggle_lock()
    assert asked == [True] and not session.locked  # the lock's owner decides
    session.lock_changed(True)
    session.back()
    assert session.step is Step.OUT_OF_SERVICE


def test_too_many_wrong_pins_leave_the_technician_screen(session):
    session.technician_request()
    for _ in range(5):
        session.technician.key("1")
        session.technician_pin()
    assert session.step is Step.ATTRACT
