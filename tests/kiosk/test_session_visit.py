"""A whole visit through the session state machine, without a display."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.session import EndReason, Identity, KioskSession, Step


def _renewal_to_form(session: KioskSession, make_card: Callable[..., Identity]) -> None:
    session.card_read(make_card())
    assert session.step is Step.CATALOGUE
    session.choose_service("dl-renewal-expiry")
    assert session.step is Step.NOTICE
    session.accept_notice()
    assert session.step is Step.NOTICE, "the notice must be read in full first"
    session.mark_notice_read()
    session.accept_notice()
    assert session.step is Step.IDENTIFY
    session.confirm_identity()
    assert session.step is Step.FORM


def _type(session: KioskSession, field: str, text: str) -> None:
    assert session.form is not None
    session.form.focus(field)
    for char in text:
        session.form.key(char)


def test_renewal_visit_submits_only_what_the_service_needs(session, services, make_card):
    _renewal_to_form(session, make_card)
    assert session.form is not None and session.form.fields == ("phone", "delivery")
    _type(session, "phone", "13912345678")
    session.form.choose("delivery", "mail")
    session.submit_form()
    assert session.step is Step.CONFIRM
    session.confirm()
    assert session.step is Step.RESULT
    assert session.submission is not None and session.submission.receipt_printed
    request = services.submitted[0]
    assert request.fields == {"phone": "13912345678", "delivery": "mail"}
    assert request.id_number == "33010619850312001X"  # renewal needs it
    assert request.postal_address  # mailed: the card's address goes with it
    assert request.applicant_masked == "李**" and request.mode == "self_service"
    session.finish()
    assert session.step is Step.ATTRACT
    kind, body = services.events[-1]
    assert kind == "visit.ended"
    assert body["outcome"] == "finished" and body["last_step"] == "result"
    assert body["tracking_no"] == session_tracking(services)


def session_tracking(services) -> str:
    return services.events[0][1]["tracking_no"]


def test_pickup_sends_no_address_and_services_without_id_number_send_none(
        session, services, make_card):
    session.card_read(make_card())
    session.choose_service("fine-payment")
    session.mark_notice_read()
    session.accept_notice()
    session.confirm_identity()
    _type(session, "violation_ref", "330106000012345")
    session.submit_form()
    session.confirm()
    request = services.submitted[0]
    assert request.id_number is None and request.postal_address is None
    assert request.fields == {"violation_ref": "330106000012345"}


def test_invalid_fields_stay_on_the_form_with_plain_messages(session, make_card):
    _renewal_to_form(session, make_card)
    _type(session, "phone", "1234")
    session.submit_form()
    assert session.step is Step.FORM
    assert session.form is not None
    error = session.form.errors["phone"]
    assert "11" in error.message("zh") and "11-digit" in error.message("en")


def test_mail_without_a_card_address_asks_for_pickup(session, make_card):
    _renewal_to_form(session, lambda: make_card(address=""))
    _type(session, "phone", "13912345678")
    session.form.choose("delivery", "mail")
    session.submit_form()
    assert session.step is Step.FORM
    assert "pick up" in session.form.errors["delivery"].message("en")


def test_expired_card_is_sent_to_the_counter(session, make_card):
    session.start()
    session.choose_service("dl-renewal-expiry")
    session.mark_notice_read()
    session.accept_notice()
    session.card_read(make_card(expired=True))
    session.confirm_identity()
    assert session.step is Step.IDENTIFY and session.message == "identify.expired"


def test_cancel_and_finish_wipe_every_personal_field(session, services, make_card):
    _renewal_to_form(session, make_card)
    identity = session.identity
    _type(session, "phone", "13912345678")
    session.cancel()
    assert session.identity is None and session.form is None and session.service_id is None
    assert identity is not None and identity.id_number == "" and identity.address == ""
    assert "3301" not in repr(identity)
    assert services.events[-1][1]["outcome"] == EndReason.CANCELLED.value


def test_back_walks_the_visit_backwards_and_out(session, make_card):
    _renewal_to_form(session, make_card)
    for expected in (Step.IDENTIFY, Step.NOTICE, Step.CATALOGUE, Step.ATTRACT):
        session.back()
        assert session.step is expected
    assert session.identity is None


def test_no_form_fields_goes_straight_to_confirm(session, make_card):
    session.card_read(make_card())
    session.choose_service("driving-record-certificate")
    session.mark_notice_read()
    session.accept_notice()
    session.confirm_identity()
    assert session.step is Step.CONFIRM


def test_language_and_large_text_toggle_everywhere(session, make_card):
    session.set_language("en")
    session.toggle_large_text()
    session.card_read(make_card())
    session.choose_service("dl-renewal-expiry")
    assert session.notice() is not None and session.notice().lang == "en"
    assert session.large_text
    session.toggle_large_text()
    assert not session.large_text
    session.toggle_large_text()
    session.cancel()
    assert (session.lang, session.large_text) == ("zh", False), "the next citizen starts fresh"


def test_failed_submission_says_go_to_the_counter(session, services, make_card):
    def broken(_request):
        raise OSError("disk full")

    services.submit = broken
    session.card_read(make_card())
    session.choose_service("driving-record-certificate")
    session.mark_notice_read()
    session.accept_notice()
    session.confirm_identity()
    session.confirm()
    assert session.step is Step.RESULT and session.message == "result.failed"
    assert session.submission is None
