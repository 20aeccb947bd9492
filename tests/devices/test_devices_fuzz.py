"""Property tests: random, truncated, corrupted and noise-prefixed input never crashes a core.

Frame counts (max_examples × frames per example) add up to well over 100 000.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.emulators import load_cards
from devices.idcard import CardReaderError, CardReadSequence, IdentityCard, encode_text_block
from devices.idcard.protocol import (
    NEED_DATA,
    Frame,
    FrameDecoder,
    FrameError,
    Response,
    encode_frame,
    encode_response,
)
from devices.idcard.sequence import Done, Send
from devices.idcard.textblock import parse_text_block
from devices.printer import EscPosDecoder, PrinterStatus, Receipt, decode_status, render_receipt
from devices.printer.decoder import Cut, StatusQuery
from devices.scanner import LineDecoder, ScanCode, ScanRejected


def fast(examples: int) -> settings:
    """Return settings for a quick property test of ``examples`` examples."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )


TEXT_BLOCKS = [encode_text_block(card.card) for card in load_cards()]


@st.composite
def damaged_frames(draw: st.DrawFn) -> bytes:
    """Return one frame: intact, truncated, bit-flipped, or with noise in front."""
    frame = encode_frame(draw(st.binary(max_size=40)))
    how = draw(st.integers(0, 3))
    cut = draw(st.integers(0, len(frame)))
    if how == 1:
        return frame[:cut]
    if how == 2:
        index = cut % len(frame)
        return (
            frame[:index] + bytes([frame[index] ^ draw(st.integers(1, 255))]) + frame[index + 1 :]
        )
    if how == 3:
        return draw(st.binary(min_size=1, max_size=12)) + frame
    return frame


def _random_stream(rng: random.Random, count: int) -> bytes:
    """Return ``count`` frames, each intact, truncated, bit-flipped or noise-prefixed."""
    out = bytearray()
    for _ in range(count):
        frame = bytearray(encode_frame(rng.randbytes(rng.randrange(0, 48))))
        how = rng.randrange(4)
        if how == 1:
            del frame[rng.randrange(len(frame)) :]
        elif how == 2:
            frame[rng.randrange(len(frame))] ^= rng.randrange(1, 256)
        elif how == 3:
            out += rng.randbytes(rng.randrange(1, 12))
        out += frame
    return bytes(out)


def _drain(decoder: FrameDecoder) -> list[Frame | FrameError]:
    events: list[Frame | FrameError] = []
    while (event := decoder.next_event()) is not NEED_DATA:
        assert isinstance(event, Frame | FrameError)
        events.append(event)
    return events


@fast(3_000)
@given(st.lists(damaged_frames(), min_size=5, max_size=8), st.integers(1, 64))
def test_frame_decoder_survives_damaged_streams(frames: list[bytes], chunk: int) -> None:
    decoder = FrameDecoder()
    stream = b"".join(frames)
    for start in range(0, len(stream), chunk):
        decoder.receive_data(stream[start : start + chunk])
        for event in _drain(decoder):
            if isinstance(event, Frame):
                assert Response.from_frame(event) is None or len(event.body) >= 3
        assert 1 <= decoder.bytes_wanted() <= 4096 + 7


@fast(1_500)
@given(st.lists(st.binary(min_size=3, max_size=30), min_size=5, max_size=8), st.binary(max_size=9))
def test_frame_decoder_recovers_every_intact_frame_after_noise(
    bodies: list[bytes], noise: bytes
) -> None:
    decoder = FrameDecoder()
    decoder.receive_data(noise.replace(b"\xaa", b"\x00") + b"".join(map(encode_frame, bodies)))
    frames = [e for e in _drain(decoder) if isinstance(e, Frame)]
    assert [f.body for f in frames] == bodies


@fast(2_000)
@given(st.randoms(use_true_random=False), st.integers(1, 97))
def test_frame_decoder_survives_bulk_random_streams(rng: random.Random, chunk: int) -> None:
    decoder = FrameDecoder()
    stream = _random_stream(rng, 40)
    for start in range(0, len(stream), chunk):
        decoder.receive_data(stream[start : start + chunk])
        _drain(decoder)
    assert decoder.bytes_wanted() >= 1


responses = st.builds(
    Response,
    st.integers(0, 255),
    st.integers(0, 255),
    st.sampled_from([0x90, 0x9F, 0x80, 0x81, 0x41, 0x10, 0x60, 0x31]) | st.integers(0, 255),
    st.binary(max_size=24) | st.sampled_from([b"\x01\x00\x04\x00" + bytes(1280)]),
)


@fast(2_000)
@given(st.lists(responses | st.none(), min_size=5, max_size=8), st.booleans())
def test_read_sequence_gives_a_step_a_card_or_a_typed_error(
    replies: list[Response | None], fingerprint: bool
) -> None:
    sequence = CardReadSequence(max_attempts=3, fingerprint=fingerprint)
    sequence.start()
    for reply in replies:
        try:
            step = sequence.on_corrupt_frame() if reply is None else sequence.on_response(reply)
        except CardReaderError:
            return
        assert isinstance(step, Send | Done)
        if isinstance(step, Done):
            return


@fast(3_000)
@given(
    st.sampled_from(TEXT_BLOCKS),
    st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)), max_size=6),
    st.binary(min_size=256, max_size=256),
    st.booleans(),
)
def test_text_block_parser_returns_a_card_or_invalid_card_data(
    block: bytes, flips: list[tuple[int, int]], noise: bytes, use_noise: bool
) -> None:
    data = bytearray(noise if use_noise else block)
    for index, value in flips:
        data[index] = value
    try:
        card = parse_text_block(bytes(data))
    except CardReaderError:
        return
    assert isinstance(card, IdentityCard)
    assert card.number not in repr(card) or len(card.number) <= 4


status_bytes = st.none() | st.integers(0, 255) | st.sampled_from([0x12, 0x1A, 0x32, 0x7E, 0x1E])


@fast(3_000)
@given(
    st.lists(st.fixed_dictionaries({n: status_bytes for n in (1, 2, 3, 4)}), min_size=5, max_size=8)
)
def test_status_decoding_never_calls_garbage_ready(sets: list[dict[int, int | None]]) -> None:
    for replies in sets:
        status = decode_status(replies)
        assert isinstance(status, PrinterStatus)
        if status.ready:
            assert all(r is not None and (r & 0x93) == 0x12 for r in replies.values())
        assert status.reason


RECEIPT = render_receipt(
    Receipt(
        station="警务站",
        service="补领",
        tracking_number="T1",
        issued_at=__import__("datetime").datetime(2024, 1, 1),
        masked_name="张*",
        next_steps=("步骤：一",),
        qr_payload="q",
    )
)


@fast(2_000)
@given(
    st.lists(st.tuples(st.integers(0, len(RECEIPT) - 1), st.integers(0, 255)), max_size=8),
    st.binary(max_size=200),
    st.integers(1, 50),
)
def test_escpos_decoder_survives_corrupted_receipts_and_noise(
    flips: list[tuple[int, int]], noise: bytes, chunk: int
) -> None:
    data = bytearray(RECEIPT)
    for index, value in flips:
        data[index] = value
    stream = bytes(data) + noise + RECEIPT
    decoder = EscPosDecoder()
    events = []
    for start in range(0, len(stream), chunk):
        events += decoder.receive_data(stream[start : start + chunk])
    assert all(isinstance(e, Cut | StatusQuery) for e in events)


@fast(2_000)
@given(st.lists(st.binary(max_size=40), min_size=5, max_size=8), st.sampled_from([b"\r", b"\r\n"]))
def test_scanner_decoder_gives_only_valid_codes_or_rejections(
    lines: list[bytes], suffix: bytes
) -> None:
    decoder = LineDecoder(suffix, max_length=32)
    for event in decoder.receive_data(suffix.join(lines) + suffix):
        assert isinstance(event, ScanCode | ScanRejected)
        if isinstance(event, ScanCode):
            assert event.text.isascii() and event.text.isprintable() and len(event.text) <= 32


def test_reader_status_frames_used_in_fuzzing_are_well_formed() -> None:
    decoder = FrameDecoder()
    decoder.receive_data(encode_response(0x90))
    assert isinstance(decoder.next_event(), Frame)
