"""Event bodies: what the kiosk builds the controller reads back through the same model."""

from __future__ import annotations

from typing import Any

import pytest
from contract_samples import EVENTS
from hypothesis import given
from hypothesis import strategies as st

from sync.events import (
    EVENT_BODIES,
    EventBodyError,
    EventType,
    KioskLocked,
    ReceiptFailed,
    VisitEnded,
    parse_event_body,
)

SAMPLES = EVENTS


def test_every_event_type_has_a_model_and_a_sample() -> None:
    assert set(EVENT_BODIES) == set(EventType)
    assert {type(sample).event_type for sample in SAMPLES} == set(EventType)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).event_type.value)
def test_what_the_kiosk_builds_the_controller_reads_back_unchanged(sample: Any) -> None:
    assert parse_event_body(type(sample).event_type, sample.wire()) == sample


def test_absent_optional_fields_are_left_out_of_the_wire() -> None:
    # A lock at the kiosk's own screen and a remote lock are one event type, one model.
    assert KioskLocked().wire() == {}
    assert KioskLocked(command_id="c-1", message="m").wire() == {"message": "m",
                                                                "command_id": "c-1"}


def test_bodies_from_older_or_newer_kiosks_are_read_tolerantly() -> None:
    newer = {"tracking_no": "T1", "reason": "x", "printer_serial": "added later"}
    assert parse_event_body("receipt.failed", newer) == ReceiptFailed(tracking_no="T1",
                                                                      reason="x")
    assert parse_event_body("visit.ended", {}) == VisitEnded()


def test_unknown_event_types_are_not_judged() -> None:
    assert parse_event_body("kiosk.rebooted", {"anything": [1, 2]}) is None


@pytest.mark.parametrize(("event_type", "body", "where"), [
    ("application.submitted", {"service": "s"}, "tracking_no: Field required"),
    ("application.submitted", {"tracking_no": "T" * 41, "service": "s"}, "tracking_no"),
    ("visit.ended", {"outcome": "vanished"}, "outcome"),
    ("visit.ended", {"duration_s": -1}, "duration_s"),
    ("device.alarm", {"device": "printer", "state": "on fire"}, "state"),
    ("command.refused", {"reason": "because"}, "reason"),
])
def test_a_body_that_breaks_its_model_is_refused_naming_the_field(
        event_type: str, body: dict[str, Any], where: str) -> None:
    with pytest.raises(EventBodyError, match=where) as caught:
        parse_event_body(event_type, body)
    assert str(caught.value).startswith(f"{event_type} body: ")


def test_a_refusal_never_repeats_the_value_it_refused() -> None:
    with pytest.raises(EventBodyError) as caught:
        parse_event_body("application.submitted",
                         {"tracking_no": "T1", "service": "s", "id_number": "3" * 40})
    assert "3333" not in str(caught.value)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)
_FIELD_NAMES = st.sampled_from(sorted({name for model in EVENT_BODIES.values()
                                       for name in model.model_fields}))


@given(st.sampled_from(sorted(EventType)),
       st.dictionaries(_FIELD_NAMES | st.text(max_size=8), _JSON, max_size=8))
def test_any_json_body_is_either_read_or_refused_with_event_body_error(
        event_type: EventType, body: dict[str, Any]) -> None:
    try:
        parsed = parse_event_body(event_type, body)
    except EventBodyError:
        return
    assert parsed is not None
    assert parse_event_body(event_type, parsed.wire()) == parsed  # what is read writes back
