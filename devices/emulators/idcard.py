"""The ID-card reader emulator: a SAM module with a queue of virtual cards and faults."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from devices.emulators.base import ControlError, SerialEmulator
from devices.emulators.cardfile import VirtualCard
from devices.idcard.protocol import (
    BAUD_CODES,
    Command,
    Frame,
    FrameDecoder,
    FrameError,
    FrameErrorKind,
    Request,
    Sw3,
    encode_response,
)
from devices.idcard.textblock import encode_text_block

__all__ = ["IdCardEmulator", "IdCardFault"]

_SAM_ID = bytes.fromhex("0501000000000000") + b"STATNET1"


class IdCardFault(StrEnum):
    """Faults the emulator can be told to produce (the control word in brackets)."""

    REMOVE_MID_READ = "remove-mid-read"  # the read fails and the card is gone
    CORRUPT_CHECKSUM = "corrupt-checksum"  # the next read reply has a bad checksum
    SLOW_REPLY = "slow-reply"  # every reply starts after `slow_seconds`
    SAM_FAILURE = "sam-failure"  # the SAM fails its self-test; every command says 60
    SILENT = "silent"  # the reader stops answering (port stays open)


class IdCardEmulator(SerialEmulator):
    """A SAM reader; ``cards`` is the queue, the first card starts on the reader."""

    kind = "idcard"
    commands = ", card insert <key>, card remove, card next, fault <name> [times], fault clear"

    def __init__(self, cards: Sequence[VirtualCard] = (), **options: Any) -> None:
        super().__init__(**options)
        self.cards = list(cards)
        self.present: VirtualCard | None = self.cards[0] if self.cards else None
        self.slow_seconds = 2.0
        self.requests: list[Command | None] = []
        self._faults: dict[IdCardFault, int] = {}
        self._decoder = FrameDecoder()
        self._lock = threading.Lock()

    # ---- what tests and the control channel change -----------------------------------
    def insert(self, key: str) -> VirtualCard:
        """Put the card with ``key`` on the reader and return it."""
        for card in self.cards:
            if card.key == key:
                self.present = card
                return card
        raise ControlError(f"no card {key!r}; known: {', '.join(c.key for c in self.cards)}")

    def remove(self) -> None:
        """Take the card off the reader."""
        self.present = None

    def next_card(self) -> VirtualCard | None:
        """Put the next card of the queue on the reader (wrapping) and return it."""
        if not self.cards:
            return None
        index = self.cards.index(self.present) + 1 if self.present in self.cards else 0
        self.present = self.cards[index % len(self.cards)]
        return self.present

    def set_fault(self, fault: IdCardFault, times: int = 1_000_000) -> None:
        """Produce ``fault`` for the next ``times`` occasions (default: until cleared)."""
        with self._lock:
            self._faults[fault] = times

    def clear_faults(self) -> None:
        """Behave normally again."""
        with self._lock:
            self._faults.clear()

    def _take(self, fault: IdCardFault) -> bool:
        with self._lock:
            left = self._faults.get(fault, 0)
            if left <= 0:
                return False
            self._faults[fault] = left - 1
            return True

    def _active(self, fault: IdCardFault) -> bool:
        with self._lock:
            return self._faults.get(fault, 0) > 0

    # ---- the wire --------------------------------------------------------------------
    def on_data(self, data: bytes) -> None:
        self._decoder.receive_data(data)
        while True:
            event = self._decoder.next_event()
            if isinstance(event, Frame):
                self._answer(event)
            elif isinstance(event, FrameError):
                if event.kind is FrameErrorKind.BAD_CHECKSUM:
                    self.send(encode_response(Sw3.CHECKSUM_ERROR))
            else:
                return

    def _answer(self, frame: Frame) -> None:
        request = Request.from_frame(frame)
        command = request.command if request else None
        self.requests.append(command)
        self.wire_delay(7 + len(frame.body) + 1)
        if self._active(IdCardFault.SILENT):
            return
        if self._take(IdCardFault.SLOW_REPLY):
            time.sleep(self.slow_seconds)
        reply = self._reply(command, request)
        if command in (Command.READ_TEXT_PHOTO, Command.READ_WITH_FINGERPRINT):
            if self._take(IdCardFault.CORRUPT_CHECKSUM):
                reply = reply[:-1] + bytes([reply[-1] ^ 0xFF])
        self.send(reply)
        if command is Command.SET_BAUD and request is not None:
            self.baudrate = {v: k for k, v in BAUD_CODES.items()}[request.para]

    def _reply(self, command: Command | None, request: Request | None) -> bytes:
        if command is None:
            return encode_response(Sw3.COMMAND_ERROR)
        if self._active(IdCardFault.SAM_FAILURE):
            return encode_response(Sw3.SAM_SELF_TEST_FAILED)
        if command in (Command.RESET_SAM, Command.SAM_STATUS, Command.SET_BAUD):
            return encode_response(Sw3.OK)
        if command is Command.READ_SAM_ID:
            return encode_response(Sw3.OK, _SAM_ID)
        return self._card_reply(command)

    def _card_reply(self, command: Command) -> bytes:
        card = self.present
        if command is Command.FIND_CARD:
            return encode_response(Sw3.CARD_FOUND if card else Sw3.FIND_CARD_FAILED, bytes(4))
        if command is Command.SELECT_CARD:
            if card is None:
                return encode_response(Sw3.SELECT_CARD_FAILED)
            return encode_response(Sw3.OK, bytes(8))
        if card is None:
            return encode_response(Sw3.READ_FAILED)
        if command is Command.NEWEST_ADDRESS:
            if card.newest_address is None:
                return encode_response(Sw3.NO_CONTENT)
            raw = (card.newest_address.encode("utf-16-le") + b" \x00" * 35)[:70]
            return encode_response(Sw3.OK, raw)
        if self._take(IdCardFault.REMOVE_MID_READ):
            self.present = None
            return encode_response(Sw3.READ_FAILED)
        return encode_response(Sw3.OK, self._read_data(card, command))

    @staticmethod
    def _read_data(card: VirtualCard, command: Command) -> bytes:
        text, photo = encode_text_block(card.card), bytes(card.card.photo)
        blocks = [text, photo]
        if command is Command.READ_WITH_FINGERPRINT:
            blocks.append(card.fingerprint)
        sizes = [len(block) for block in blocks]
        return b"".join(n.to_bytes(2, "big") for n in sizes) + b"".join(blocks)

    # ---- control ---------------------------------------------------------------------
    def control(self, words: list[str]) -> str:
        match words:
            case ["card", "insert", key]:
                return f"card {self.insert(key).key} on the reader"
            case ["card", "remove"] | ["card", "none"]:
                self.remove()
                return "no card on the reader"
            case ["card", "next"]:
                card = self.next_card()
                return f"card {card.key if card else 'none'} on the reader"
            case ["fault", "clear"] | ["clear"]:
                self.clear_faults()
                return "faults cleared"
            case ["fault", name, *rest]:
                return self._control_fault(name, rest)
        return super().control(words)

    def _control_fault(self, name: str, rest: list[str]) -> str:
        try:
            fault = IdCardFault(name)
            times = int(rest[0]) if rest else 1_000_000
        except ValueError:
            names = ", ".join(f.value for f in IdCardFault)
            raise ControlError(f"usage: fault <{names}> [times]") from None
        self.set_fault(fault, times)
        return f"fault {fault.value} set"

    def describe(self) -> str:
        card = self.present.key if self.present else "none"
        faults = ",".join(f.value for f, n in self._faults.items() if n > 0) or "none"
        return f"{super().describe()} card={card} faults={faults}"
