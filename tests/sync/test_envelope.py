"""The envelope decoder: precise reasons for every rule, and never any other exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.envelope import (
    Envelope,
    EnvelopeError,
    RejectReason,
    decode_envelope,
    format_utc,
    parse_utc,
)


def _doc(**changes: Any) -> bytes:
    doc = json.loads(Envelope(kiosk="k1", seq=7, type="application.submitted",
                              body={"service": "dl-renewal-expiry"}).encode())
    for key, value in changes.items():
        if value is KeyError:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc).encode()


def test_round_trip_keeps_every_field() -> None:
    original = Envelope(kiosk="k1", seq=3, type="visit.ended", body={"步骤": "打印", "n": 1})
    assert decode_envelope(original.encode(), topic_kiosk="k1") == original


@pytest.mark.parametrize(("payload", "reason"), [
    (b"not json", RejectReason.NOT_JSON),
    (b"\xff\xfe", RejectReason.NOT_JSON),
    (b"[1, 2]", RejectReason.NOT_OBJECT),
    (_doc(v=2), RejectReason.UNKNOWN_VERSION),
    (_doc(v=KeyError), RejectReason.MISSING_FIELD),
    (_doc(seq=KeyError), RejectReason.MISSING_FIELD),
    (_doc(body=KeyError), RejectReason.MISSING_FIELD),
    (_doc(seq="7"), RejectReason.WRONG_TYPE),
    (_doc(seq=True), RejectReason.WRONG_TYPE),
    (_doc(body=[]), RejectReason.WRONG_TYPE),
    (_doc(seq=0), RejectReason.INVALID_VALUE),
    (_doc(id="not-a-uuid"), RejectReason.INVALID_VALUE),
    (_doc(type="Not A Type"), RejectReason.INVALID_VALUE),
    (_doc(ts="2026-01-01T00:00:00+08:00"), RejectReason.INVALID_VALUE),
    (_doc(extra=1), RejectReason.INVALID_VALUE),
    (_doc(kiosk="k2"), RejectReason.TOPIC_MISMATCH),
    (_doc(seq=2**63), RejectReason.INVALID_VALUE),
    (_doc(seq=2**64 - 1), RejectReason.INVALID_VALUE),
    (_doc(seq=10**30), RejectReason.WRONG_TYPE),  # past 64 bits JSON gives a float
    (_doc(body={"a": "x" * 9000}), RejectReason.INVALID_VALUE),
    (_doc(body={"n": 2**63}), RejectReason.INVALID_VALUE),
    (_doc(body={"items": list(range(5000))}), RejectReason.INVALID_VALUE),
    (_doc(body=json.loads('{"a":' * 20 + "1" + "}" * 20)), RejectReason.INVALID_VALUE),
    (_doc(type="a" * 65), RejectReason.INVALID_VALUE),
    (_doc(ts="2026-01-01T00:00:00.000000000000000000000Z"), RejectReason.INVALID_VALUE),
    (json.dumps({**json.loads(_doc()), "body": json.loads('{"a":' * 300 + "1" + "}" * 300)}
                ).encode(), RejectReason.INVALID_VALUE),
    (b"{" + b" " * 70_000 + b"}", RejectReason.OVERSIZED),
])
def test_each_broken_rule_is_named(payload: bytes, reason: RejectReason) -> None:
    with pytest.raises(EnvelopeError) as caught:
        decode_envelope(payload, topic_kiosk="k1")
    assert caught.value.reason is reason
    assert caught.value.detail


def test_the_largest_sequence_number_a_64_bit_column_holds_is_accepted() -> None:
    assert decode_envelope(_doc(seq=2**63 - 1), topic_kiosk="k1").seq == 2**63 - 1


@settings(max_examples=300, deadline=None)
@given(body=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20)
                         | st.floats(allow_nan=False, allow_infinity=False),
                         lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                         max_leaves=40))
def test_whatever_is_accepted_can_be_stored(body: Any) -> None:
    try:
        envelope = decode_envelope(_doc(body={"x": body}), topic_kiosk="k1")
    except EnvelopeError as exc:
        assert exc.reason is RejectReason.INVALID_VALUE  # an integer beyond 64 bits
        return
    assert json.loads(envelope.body_text) == envelope.body


def test_deeply_nested_json_is_refused_not_crashing() -> None:
    with pytest.raises(EnvelopeError):
        decode_envelope(b"[" * 50_000 + b"]" * 50_000, max_bytes=200_000)


def test_wire_time_is_utc_with_z() -> None:
    moment = datetime(2026, 11, 25, 12, 0, 1, 5, tzinfo=UTC)
    assert format_utc(moment) == "2026-11-25T12:00:01.000005Z"
    assert parse_utc(format_utc(moment)) == moment
    with pytest.raises(ValueError):
        format_utc(datetime(2026, 1, 1))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@settings(max_examples=3000, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_only_envelope_errors(payload: bytes) -> None:
    try:
        decode_envelope(payload, topic_kiosk="k1")
    except EnvelopeError as exc:
        assert isinstance(exc.reason, RejectReason)


@settings(max_examples=3000, deadline=None)
@given(st.dictionaries(st.sampled_from(["v", "id", "kiosk", "seq", "ts", "type", "body", "x"]),
                       json_values, max_size=8))
def test_random_objects_give_only_envelope_errors(doc: dict[str, Any]) -> None:
    try:
        decode_envelope(json.dumps(doc).encode(), topic_kiosk="k1")
    except EnvelopeError:
        pass


@settings(max_examples=500, deadline=None)
@given(seq=st.integers(1, 2**53), body=st.dictionaries(st.text(max_size=10), json_values,
                                                        max_size=5))
def test_any_valid_envelope_survives_the_wire(seq: int, body: dict[str, Any]) -> None:
    envelope = Envelope(kiosk="k1", seq=seq, type="a.b", body=body)
    assert decode_envelope(envelope.encode(), topic_kiosk="k1") == envelope
