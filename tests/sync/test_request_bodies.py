"""Request and answer bodies: one model per request type, read the same at both ends."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from contract_samples import QUERIES as SAMPLE_QUERIES
from hypothesis import given
from hypothesis import strategies as st

from sync.request_bodies import (
    QUERIES,
    BookAnswer,
    ClockAnswer,
    ProgressAnswer,
    RequestType,
    SlotsAnswer,
)
from sync.requests import BadRequest, KioskRequest, decode_query, decode_request

SHANGHAI = timezone(timedelta(hours=8))
START = datetime(2026, 11, 26, 17, 30, tzinfo=SHANGHAI)


def _over_the_wire(query: Any) -> Any:
    """Return ``query`` as the controller reads it after the kiosk sent it."""
    payload = json.dumps({"type": query.request_type.value,
                          "body": query.model_dump(mode="json", exclude_none=True)})
    return decode_query(decode_request(payload.encode()))


def test_every_request_type_has_a_query_and_an_answer_model() -> None:
    assert set(QUERIES) == set(RequestType)
    assert all(QUERIES[t].request_type is t and QUERIES[t].answer for t in RequestType)


@pytest.mark.parametrize("query", SAMPLE_QUERIES, ids=lambda q: q.request_type.value)
def test_what_the_kiosk_asks_the_controller_reads_unchanged(query: Any) -> None:
    assert _over_the_wire(query) == query


def test_answers_keep_their_times_and_zones() -> None:
    now = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)
    assert ClockAnswer.model_validate_json(ClockAnswer(now=now).model_dump_json()).now == now
    booking = BookAnswer(reference="A1", station="s-1", service="v", start=START,
                         end=START + timedelta(minutes=30), masked_name="李*")
    again = BookAnswer.model_validate_json(booking.model_dump_json())
    assert again == booking and again.start.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(("doc", "problem"), [
    ({"type": "application.progress", "body": {}}, "send a tracking_no or an applicant_ref"),
    ({"type": "appointment.book", "body": {"service": "v", "name": "李*",
                                           "start": "2026-11-26T17:30:00"}}, "start"),
    ({"type": "appointment.slots", "body": {"service": "v", "days": 0}}, "days"),
    ({"type": "appointment.move", "body": {}}, "unknown request type"),
])
def test_a_query_that_breaks_its_model_is_refused_saying_what_is_wrong(
        doc: dict[str, Any], problem: str) -> None:
    with pytest.raises(BadRequest, match=problem):
        decode_query(decode_request(json.dumps(doc).encode()))


def test_older_answers_without_optional_fields_still_read() -> None:
    assert ProgressAnswer.model_validate({}).applications == []
    assert SlotsAnswer.model_validate({"station": "s", "service": "v"}).slots == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10)


@given(st.sampled_from(sorted(RequestType)) | st.text(max_size=20),
       st.dictionaries(st.sampled_from(["service", "days", "start", "name", "tracking_no",
                                        "applicant_ref", "reference", "station", "phone"])
                       | st.text(max_size=8), _JSON, max_size=6))
def test_any_request_is_read_or_refused_with_bad_request(request_type: str,
                                                          body: dict[str, Any]) -> None:
    try:
        query = decode_query(KioskRequest(request_type, body))
    except BadRequest:
        return
    assert query.request_type == request_type
    assert decode_query(KioskRequest(request_type, query.model_dump(mode="json"))) == query
