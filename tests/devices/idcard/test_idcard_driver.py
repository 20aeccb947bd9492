"""The reader driver against the emulator over a real pseudo-terminal."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from devices.emulators import IdCardEmulator, IdCardFault, VirtualCard
from devices.errors import DeviceBusy, DeviceLost, DeviceTimeout
from devices.idcard import (
    CardMovedDuringRead,
    ChecksumError,
    IdCardReader,
    NoCard,
    SamFault,
)
from devices.idcard.protocol import Command
from devices.serial_link import Backoff


@pytest.mark.parametrize(
    "key", ["resident", "resident-long-term", "resident-expired", "foreigner", "hmt"]
)
def test_full_read_returns_the_card_on_the_reader(
    reader: IdCardReader, idcard_emulator: IdCardEmulator, cards: dict[str, VirtualCard], key: str
) -> None:
    idcard_emulator.insert(key)
    card = reader.read_card()
    assert card == cards[key].card
    assert bytes(card.photo) == bytes(cards[key].card.photo)


def test_read_with_fingerprint_returns_the_fingerprint_block(
    reader: IdCardReader, idcard_emulator: IdCardEmulator, cards: dict[str, VirtualCard]
) -> None:
    card, fingerprint = reader.read_card_with_fingerprint()
    assert card == cards["resident"].card
    assert fingerprint == cards["resident"].fingerprint
    assert idcard_emulator.requests[-1] is Command.READ_WITH_FINGERPRINT


def test_empty_reader_raises_no_card(reader: IdCardReader, idcard_emulator: IdCardEmulator) -> None:
    idcard_emulator.remove()
    with pytest.raises(NoCard, match="place the card"):
        reader.read_card()
    assert not reader.card_present()


def test_card_removed_mid_read_reports_retry(
    reader: IdCardReader, idcard_emulator: IdCardEmulator
) -> None:
    idcard_emulator.set_fault(IdCardFault.REMOVE_MID_READ, times=1)
    with pytest.raises(CardMovedDuringRead, match="hold still"):
        reader.read_card()


def test_one_corrupt_reply_is_retried_transparently(
    reader: IdCardReader, idcard_emulator: IdCardEmulator, cards: dict[str, VirtualCard]
) -> None:
    idcard_emulator.set_fault(IdCardFault.CORRUPT_CHECKSUM, times=1)
    assert reader.read_card() == cards["resident"].card
    assert idcard_emulator.requests.count(Command.FIND_CARD) == 2


def test_persistently_corrupt_replies_raise_checksum_error(
    reader: IdCardReader, idcard_emulator: IdCardEmulator
) -> None:
    idcard_emulator.set_fault(IdCardFault.CORRUPT_CHECKSUM)
    with pytest.raises(ChecksumError, match="cable"):
        reader.read_card()
    assert idcard_emulator.requests.count(Command.READ_TEXT_PHOTO) == reader.max_attempts


def test_slow_reply_past_the_deadline_raises_device_timeout(
    reader: IdCardReader, idcard_emulator: IdCardEmulator
) -> None:
    idcard_emulator.set_fault(IdCardFault.SLOW_REPLY)
    started = time.monotonic()
    with pytest.raises(DeviceTimeout, match="powered on"):
        reader.read_card()
    assert time.monotonic() - started < 0.6


def test_slow_reply_within_the_deadline_still_reads(
    reader: IdCardReader, idcard_emulator: IdCardEmulator, cards: dict[str, VirtualCard]
) -> None:
    idcard_emulator.slow_seconds = 0.05
    idcard_emulator.set_fault(IdCardFault.SLOW_REPLY)
    assert reader.read_card() == cards["resident"].card


def test_late_reply_does_not_confuse_the_next_request(
    reader: IdCardReader, idcard_emulator: IdCardEmulator, cards: dict[str, VirtualCard]
) -> None:
    idcard_emulator.set_fault(IdCardFault.SLOW_REPLY, times=1)
    with pytest.raises(DeviceTimeout):
        reader.read_card()
    time.sleep(idcard_emulator.slow_seconds)
    assert reader.read_card() == cards["resident"].card


def test_sam_self_test_failure_raises_sam_fault(
    reader: IdCardReader, idcard_emulator: IdCardEmulator
) -> None:
    idcard_emulator.set_fault(IdCardFault.SAM_FAILURE)
    with pytest.raises(SamFault, match="power-cycle"):
        reader.check_sam()
    with pytest.raises(SamFault):
        reader.read_card()


def test_sam_commands_answer(reader: IdCardReader, idcard_emulator: IdCardEmulator) -> None:
    reader.reset_sam()
    reader.check_sam()
    assert len(reader.sam_id()) == 32


def test_newest_address_is_returned_or_none(
    reader: IdCardReader, idcard_emulator: IdCardEmulator, cards: dict[str, VirtualCard]
) -> None:
    assert reader.newest_address() == cards["resident"].newest_address
    idcard_emulator.insert("hmt")
    assert reader.newest_address() is None


def test_unplug_raises_device_lost_and_replug_recovers(
    reader: IdCardReader, idcard_emulator: IdCardEmulator, cards: dict[str, VirtualCard]
) -> None:
    reader.read_card()
    idcard_emulator.unplug()
    with pytest.raises(DeviceLost, match="reconnecting automatically"):
        reader.read_card()
    with pytest.raises(DeviceLost):
        reader.read_card()
    idcard_emulator.replug()
    deadline = time.monotonic() + 3
    while True:
        try:
            assert reader.read_card() == cards["resident"].card
            break
        except DeviceLost:
            assert time.monotonic() < deadline, "reader did not reconnect within 3 s"
            time.sleep(0.05)


def test_reader_absent_at_start_raises_device_lost(tmp_path: Path) -> None:
    reader = IdCardReader(str(tmp_path / "nothing"), backoff=Backoff(0.05, 0.1))
    with pytest.raises(DeviceLost, match="plug it in"):
        reader.read_card()


def test_second_driver_on_the_same_port_is_refused(
    reader: IdCardReader, idcard_emulator: IdCardEmulator
) -> None:
    reader.open()
    with IdCardReader(idcard_emulator.device_path) as other, pytest.raises(DeviceBusy):
        other.open()


def test_silent_reader_times_out(reader: IdCardReader, idcard_emulator: IdCardEmulator) -> None:
    idcard_emulator.set_fault(IdCardFault.SILENT)
    with pytest.raises(DeviceTimeout):
        reader.check_sam()


def test_reader_over_a_tcp_socket_reads_a_card(cards: dict[str, VirtualCard]) -> None:
    with IdCardEmulator(list(cards.values()), tcp=("127.0.0.1", 0)) as emulator:
        assert emulator.device_path.startswith("socket://127.0.0.1:")
        with IdCardReader(emulator.device_path, reply_timeout=0.5) as reader:
            assert reader.read_card() == cards["resident"].card
