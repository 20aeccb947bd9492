"""The pure find → select → read state machine and its bounded retries."""

from __future__ import annotations

import pytest

from devices.emulators import VirtualCard
from devices.idcard import (
    CardMovedDuringRead,
    CardReadSequence,
    CardRejected,
    ChecksumError,
    NoCard,
    ReaderProtocolError,
    SamFault,
    encode_text_block,
)
from devices.idcard.protocol import Command, Response, Sw3
from devices.idcard.sequence import Done, ReadStep, Send, split_read_data


def _reply(sw3: int, data: bytes = b"") -> Response:
    return Response(0, 0, sw3, data)


def _read_data(card: VirtualCard, fingerprint: bool = False) -> bytes:
    text, photo = encode_text_block(card.card), bytes(card.card.photo)
    sizes = [len(text), len(photo)] + ([1024] if fingerprint else [])
    tail = card.fingerprint if fingerprint else b""
    return b"".join(n.to_bytes(2, "big") for n in sizes) + text + photo + tail


def test_happy_path_sends_find_select_read_and_returns_the_card(
    cards: dict[str, VirtualCard],
) -> None:
    sequence = CardReadSequence()
    first = sequence.start()
    assert first == Send(ReadStep.FIND, bytes.fromhex("AAAAAA9669000320 0122".replace(" ", "")))
    second = sequence.on_response(_reply(Sw3.CARD_FOUND, bytes(4)))
    assert isinstance(second, Send) and second.step is ReadStep.SELECT
    third = sequence.on_response(_reply(Sw3.OK, bytes(8)))
    assert isinstance(third, Send) and third.step is ReadStep.READ
    done = sequence.on_response(_reply(Sw3.OK, _read_data(cards["resident"])))
    assert isinstance(done, Done)
    assert done.card == cards["resident"].card
    assert bytes(done.card.photo) == bytes(cards["resident"].card.photo)


def test_fingerprint_read_returns_the_fingerprint_block(cards: dict[str, VirtualCard]) -> None:
    sequence = CardReadSequence(fingerprint=True)
    sequence.start()
    sequence.on_response(_reply(Sw3.CARD_FOUND))
    step = sequence.on_response(_reply(Sw3.OK))
    assert isinstance(step, Send) and step.step is ReadStep.READ_FINGERPRINT
    done = sequence.on_response(_reply(Sw3.OK, _read_data(cards["hmt"], fingerprint=True)))
    assert isinstance(done, Done)
    assert done.fingerprint == cards["hmt"].fingerprint


def test_no_card_on_first_find_is_reported_at_once() -> None:
    sequence = CardReadSequence()
    sequence.start()
    with pytest.raises(NoCard):
        sequence.on_response(_reply(Sw3.FIND_CARD_FAILED))


def test_select_failure_retries_from_find() -> None:
    sequence = CardReadSequence(max_attempts=2)
    sequence.start()
    sequence.on_response(_reply(Sw3.CARD_FOUND))
    retry = sequence.on_response(_reply(Sw3.SELECT_CARD_FAILED))
    assert isinstance(retry, Send) and retry.step is ReadStep.FIND
    assert sequence.attempts == 2


def test_card_gone_after_a_failed_read_reports_it_moved() -> None:
    sequence = CardReadSequence()
    sequence.start()
    sequence.on_response(_reply(Sw3.CARD_FOUND))
    sequence.on_response(_reply(Sw3.OK))
    assert sequence.on_response(_reply(Sw3.READ_FAILED)) == sequence.start()
    with pytest.raises(CardMovedDuringRead):
        sequence.on_response(_reply(Sw3.FIND_CARD_FAILED))


def test_read_failures_stop_after_max_attempts() -> None:
    sequence = CardReadSequence(max_attempts=3)
    sequence.start()
    with pytest.raises(CardMovedDuringRead):
        for _ in range(3):
            sequence.on_response(_reply(Sw3.CARD_FOUND))
            sequence.on_response(_reply(Sw3.OK))
            sequence.on_response(_reply(Sw3.READ_FAILED))
    assert sequence.attempts == 3


def test_corrupt_frames_are_retried_then_reported_as_checksum_error() -> None:
    sequence = CardReadSequence(max_attempts=2)
    sequence.start()
    assert sequence.on_corrupt_frame().step is ReadStep.FIND
    with pytest.raises(ChecksumError):
        sequence.on_corrupt_frame()


def test_reader_reporting_our_checksum_wrong_is_retried() -> None:
    sequence = CardReadSequence(max_attempts=2)
    sequence.start()
    assert isinstance(sequence.on_response(_reply(Sw3.CHECKSUM_ERROR)), Send)


@pytest.mark.parametrize(
    ("sw3", "error"),
    [(Sw3.SAM_SELF_TEST_FAILED, SamFault), (Sw3.UNKNOWN_CARD_TYPE, CardRejected),
     (Sw3.COMMAND_ERROR, ReaderProtocolError), (0x42, ReaderProtocolError)],
)  # fmt: skip
def test_permanent_failures_are_not_retried(sw3: int, error: type[Exception]) -> None:
    sequence = CardReadSequence(max_attempts=5)
    sequence.start()
    with pytest.raises(error):
        sequence.on_response(_reply(sw3))
    assert sequence.attempts == 1


def test_read_reply_with_inconsistent_lengths_is_a_protocol_error() -> None:
    with pytest.raises(ReaderProtocolError):
        split_read_data(b"\x01\x00\x04\x00" + bytes(10), fingerprint=False)
    with pytest.raises(ReaderProtocolError):
        split_read_data(b"\x01", fingerprint=True)


def test_zero_attempts_is_refused() -> None:
    with pytest.raises(ValueError):
        CardReadSequence(max_attempts=0)


def test_steps_name_their_commands() -> None:
    assert ReadStep.READ.value is Command.READ_TEXT_PHOTO
