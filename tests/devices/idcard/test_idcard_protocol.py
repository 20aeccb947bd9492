"""The SAM frame core: exact command bytes, decoding, and status-word outcomes."""

from __future__ import annotations

import pytest

from devices.idcard.errors import (
    CardMovedDuringRead,
    CardRejected,
    ChecksumError,
    NoCard,
    ReaderProtocolError,
    SamFault,
    error_for_status,
)
from devices.idcard.protocol import (
    NEED_DATA,
    PREAMBLE,
    Command,
    Frame,
    FrameDecoder,
    FrameError,
    FrameErrorKind,
    Request,
    Response,
    Sw3,
    checksum,
    encode_command,
    encode_response,
    encode_set_baud,
)


@pytest.mark.parametrize(
    ("command", "tail"),
    [
        (Command.RESET_SAM, "00 03 10 FF EC"),
        (Command.SAM_STATUS, "00 03 11 FF ED"),
        (Command.READ_SAM_ID, "00 03 12 FF EE"),
        (Command.FIND_CARD, "00 03 20 01 22"),
        (Command.SELECT_CARD, "00 03 20 02 21"),
        (Command.READ_TEXT_PHOTO, "00 03 30 01 32"),
        (Command.READ_WITH_FINGERPRINT, "00 03 30 10 23"),
        (Command.NEWEST_ADDRESS, "00 03 30 03 30"),
    ],
)
def test_command_encodes_to_reference_bytes(command: Command, tail: str) -> None:
    assert encode_command(command) == PREAMBLE + bytes.fromhex(tail)


def test_find_card_is_the_documented_ten_bytes() -> None:
    assert encode_command(Command.FIND_CARD) == bytes.fromhex("AA AA AA 96 69 00 03 20 01 22")


@pytest.mark.parametrize(
    ("baud", "para"), [(115200, 0), (57600, 1), (38400, 2), (19200, 3), (9600, 4)]
)
def test_set_baud_carries_the_rate_code(baud: int, para: int) -> None:
    frame = encode_set_baud(baud)
    assert frame[5:9] == bytes([0x00, 0x03, 0x60, para])
    assert frame[9] == checksum(frame[5:9])


def test_set_baud_rejects_an_unsupported_rate() -> None:
    with pytest.raises(ValueError, match="9600"):
        encode_set_baud(4800)


def test_set_baud_is_not_encodable_as_a_plain_command() -> None:
    with pytest.raises(ValueError):
        encode_command(Command.SET_BAUD)


@pytest.mark.parametrize(
    ("sw3", "data", "wire"),
    [
        (Sw3.OK, b"", "00 04 00 00 90 94"),
        (Sw3.CARD_FOUND, bytes(4), "00 08 00 00 9F 00 00 00 00 97"),
        (Sw3.FIND_CARD_FAILED, b"", "00 04 00 00 80 84"),
        (Sw3.OK, bytes(8), "00 0C 00 00 90" + " 00" * 8 + " 9C"),
    ],
)
def test_reference_replies_encode_and_decode(sw3: Sw3, data: bytes, wire: str) -> None:
    raw = PREAMBLE + bytes.fromhex(wire)
    assert encode_response(sw3, data) == raw
    decoder = FrameDecoder()
    decoder.receive_data(raw)
    event = decoder.next_event()
    assert isinstance(event, Frame)
    assert Response.from_frame(event) == Response(0, 0, sw3, data)
    assert decoder.next_event() is NEED_DATA


def test_decoder_assembles_a_frame_fed_one_byte_at_a_time() -> None:
    decoder = FrameDecoder()
    events = []
    for byte in encode_response(Sw3.CARD_FOUND, bytes(4)):
        decoder.receive_data(bytes([byte]))
        events.append(decoder.next_event())
    assert events[:-1] == [NEED_DATA] * (len(events) - 1)
    assert events[-1] == Frame(bytes([0, 0, 0x9F, 0, 0, 0, 0]))


def test_decoder_skips_noise_then_finds_the_frame() -> None:
    decoder = FrameDecoder()
    decoder.receive_data(b"\x00\xaa\x13\xaa\xaa" + encode_response(Sw3.OK))
    assert decoder.next_event() == FrameError(FrameErrorKind.NOISE, 5)
    assert isinstance(decoder.next_event(), Frame)


def test_decoder_keeps_a_partial_preamble_at_the_buffer_end() -> None:
    decoder = FrameDecoder()
    frame = encode_response(Sw3.OK)
    decoder.receive_data(b"\x01\x02" + frame[:3])
    assert decoder.next_event() == FrameError(FrameErrorKind.NOISE, 2)
    assert decoder.next_event() is NEED_DATA
    decoder.receive_data(frame[3:])
    assert isinstance(decoder.next_event(), Frame)


def test_decoder_reports_a_bad_checksum_and_resyncs_on_the_next_frame() -> None:
    good = encode_response(Sw3.OK)
    bad = good[:-1] + bytes([good[-1] ^ 1])
    decoder = FrameDecoder()
    decoder.receive_data(bad + good)
    assert decoder.next_event() == FrameError(FrameErrorKind.BAD_CHECKSUM, 1)
    events = [decoder.next_event() for _ in range(3)]
    assert Frame(bytes([0, 0, 0x90])) in events


@pytest.mark.parametrize("length", [0, 1, 2, 4097, 0xFFFF])
def test_decoder_rejects_an_impossible_length(length: int) -> None:
    decoder = FrameDecoder()
    decoder.receive_data(PREAMBLE + length.to_bytes(2, "big") + b"\x00" * 4)
    assert decoder.next_event() == FrameError(FrameErrorKind.BAD_LENGTH, 1)


def test_decoder_says_how_many_bytes_finish_the_frame() -> None:
    decoder = FrameDecoder()
    assert decoder.bytes_wanted() == 7
    frame = encode_response(Sw3.OK, bytes(100))
    decoder.receive_data(frame[:7])
    assert decoder.next_event() is NEED_DATA
    assert decoder.pending_frame_size() == len(frame)
    assert decoder.bytes_wanted() == len(frame) - 7


def test_response_without_status_words_is_not_a_response() -> None:
    assert Response.from_frame(Frame(b"\x00\x00")) is None


def test_unknown_status_word_is_reported_as_unknown() -> None:
    assert Response(0, 0, 0x55, b"").status is None
    assert Response(0, 0, 0x90, b"").status is Sw3.OK


def test_request_knows_its_command() -> None:
    request = Request(0x20, 0x01, b"")
    assert request.command is Command.FIND_CARD
    assert Request(0x60, 0x03, b"").command is Command.SET_BAUD
    assert Request(0x60, 0x09, b"").command is None
    assert Request(0x77, 0x01, b"").command is None


@pytest.mark.parametrize(
    ("sw3", "error"),
    [
        (Sw3.SAM_SELF_TEST_FAILED, SamFault),
        (Sw3.SAM_NOT_AUTHORISED, SamFault),
        (Sw3.CARD_AUTH_SAM_FAILED, CardRejected),
        (Sw3.SAM_AUTH_CARD_FAILED, CardRejected),
        (Sw3.VERIFY_ERROR, CardRejected),
        (Sw3.FINGERPRINT_VERIFY_ERROR, CardRejected),
        (Sw3.UNKNOWN_CARD_TYPE, CardRejected),
        (Sw3.RANDOM_NUMBER_FAILED, CardRejected),
        (Sw3.FIND_CARD_FAILED, NoCard),
        (Sw3.SELECT_CARD_FAILED, CardMovedDuringRead),
        (Sw3.READ_FAILED, CardMovedDuringRead),
        (Sw3.CHECKSUM_ERROR, ChecksumError),
        (Sw3.LENGTH_ERROR, ReaderProtocolError),
        (Sw3.COMMAND_ERROR, ReaderProtocolError),
        (Sw3.UNAUTHORISED, ReaderProtocolError),
        (Sw3.UNKNOWN_ERROR, ReaderProtocolError),
        (Sw3.INFORMATION_LENGTH_ERROR, ReaderProtocolError),
        (Sw3.NO_CONTENT, ReaderProtocolError),
        (0x55, ReaderProtocolError),
    ],
)
def test_every_failure_status_maps_to_a_typed_error(sw3: int, error: type[Exception]) -> None:
    outcome = error_for_status(Command.READ_TEXT_PHOTO, sw3)
    assert type(outcome) is error
    assert "—" in str(outcome)  # every message carries an instruction after the dash


def test_every_reference_status_word_is_known() -> None:
    reference = {
        0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x37,
        0x3F, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81,
    }  # fmt: skip
    assert {int(s) for s in Sw3} == reference
