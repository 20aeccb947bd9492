"""The signed command document: genuine commands pass, everything else is refused by reason."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from sync.commands import (
    Command,
    CommandRefused,
    CommandResponse,
    RefusalReason,
    ResponseError,
    decode_response,
    load_public_key,
    public_key_b64,
    sign_command,
    verify_command,
)

KEY = Ed25519PrivateKey.generate()
NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
CMD = Command("01a2149a-5a35-7000-93ef-45bd1a53da59", "k-1", "lock", {"message": "维护中"},
              NOW, NOW + timedelta(minutes=5), "n0nce-0123456789")


PUBLIC = KEY.public_key()


def _verify(payload: bytes, *, key=PUBLIC, now=NOW, kiosk="k-1", seen=()) -> Command:
    return verify_command(key, payload, kiosk_id=kiosk, now=now,
                          seen_nonce=set(seen).__contains__)


def _reason(payload: bytes, **kwargs) -> RefusalReason:
    with pytest.raises(CommandRefused) as refused:
        _verify(payload, **kwargs)
    return refused.value.reason


def test_a_signed_command_verifies_to_the_same_command() -> None:
    assert _verify(sign_command(KEY, CMD)) == CMD


def test_a_command_signed_by_another_key_is_refused_as_forged() -> None:
    refused = _reason(sign_command(Ed25519PrivateKey.generate(), CMD))
    assert refused is RefusalReason.BAD_SIGNATURE


def test_changing_any_field_after_signing_breaks_the_signature() -> None:
    doc = json.loads(sign_command(KEY, CMD))
    doc["command"]["args"]["message"] = "hacked"
    assert _reason(json.dumps(doc).encode()) is RefusalReason.BAD_SIGNATURE


def test_expired_replayed_and_misaddressed_commands_are_refused_with_their_reason() -> None:
    payload = sign_command(KEY, CMD)
    assert _reason(payload, now=CMD.expires_at) is RefusalReason.EXPIRED
    assert _reason(payload, seen={CMD.nonce}) is RefusalReason.REPLAYED
    assert _reason(payload, kiosk="k-2") is RefusalReason.WRONG_KIOSK
    assert _reason(payload, key=None) is RefusalReason.NO_KEY


def test_a_refusal_names_the_command_it_refused_when_it_can() -> None:
    with pytest.raises(CommandRefused) as refused:
        _verify(sign_command(KEY, CMD), seen={CMD.nonce})
    assert (refused.value.command_id, refused.value.name) == (CMD.id, "lock")


@pytest.mark.parametrize("payload", [b"", b"[]", b"{", b'{"v": 1}', b'{"v": 2, "command": {}}',
                                     b'{"v": 1, "command": {}, "sig": "***"}',
                                     b"x" * 20_000])
def test_malformed_payloads_are_refused_as_malformed(payload: bytes) -> None:
    assert _reason(payload) is RefusalReason.MALFORMED


def test_a_signed_document_missing_fields_is_malformed_not_a_crash() -> None:
    document = {"id": CMD.id, "kiosk": "k-1", "name": "ping"}
    signature = base64.b64encode(KEY.sign(json.dumps(
        document, sort_keys=True, separators=(",", ":")).encode())).decode()
    payload = json.dumps({"v": 1, "command": document, "sig": signature}).encode()
    assert _reason(payload) is RefusalReason.MALFORMED


@given(st.binary(max_size=300))
def test_any_bytes_are_either_refused_or_rejected_never_a_crash(payload: bytes) -> None:
    with pytest.raises(CommandRefused):
        _verify(payload)


def test_public_keys_load_from_raw_base64_and_pem_and_garbage_says_what_to_do() -> None:
    public = KEY.public_key()
    pem = public.public_bytes(serialization.Encoding.PEM,
                              serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    for text in (public_key_b64(KEY), pem):
        assert public_key_b64(load_public_key(text)) == public_key_b64(public)
    with pytest.raises(ValueError, match="stationctl signing-key|controller logs"):
        load_public_key("not a key")


def test_responses_round_trip_and_bad_ones_say_which_field() -> None:
    response = CommandResponse(CMD.id, "k-1", "result", ok=False, error="paper out",
                               refused=None, result={"a": 1})
    assert decode_response(response.encode()) == response
    with pytest.raises(ResponseError, match="phase"):
        decode_response(json.dumps({"command_id": "x", "kiosk": "k", "phase": "done",
                                    "ok": True, "result": {}}).encode())
    with pytest.raises(ResponseError, match="'ok'"):
        decode_response(b'{"command_id": "x", "kiosk": "k", "phase": "result", "result": {}}')
