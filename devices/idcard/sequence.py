"""The find → select → read sequence as a pure state machine with bounded retries.

The driver asks :meth:`CardReadSequence.start` for the first request, sends it, and
hands each reply to :meth:`CardReadSequence.on_response` (or a corrupted frame to
:meth:`CardReadSequence.on_corrupt_frame`). Each call returns the next :class:`Send`, or
:class:`Done` with the card; a final failure is raised as a typed CardReaderError.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from devices.idcard.card import IdentityCard
from devices.idcard.errors import (
    CardMovedDuringRead,
    CardReaderError,
    ChecksumError,
    NoCard,
    ReaderProtocolError,
    error_for_status,
)
from devices.idcard.protocol import Command, Response, Sw3, encode_command
from devices.idcard.textblock import TEXT_BLOCK_SIZE, parse_text_block

__all__ = ["CardReadSequence", "Done", "ReadStep", "Send", "split_read_data"]

PHOTO_SIZE = 1024


class ReadStep(Enum):
    """Where the sequence is; each step is one request and its reply."""

    FIND = Command.FIND_CARD
    SELECT = Command.SELECT_CARD
    READ = Command.READ_TEXT_PHOTO
    READ_FINGERPRINT = Command.READ_WITH_FINGERPRINT


@dataclass(frozen=True)
class Send:
    """Send ``request`` next and feed the reply back; ``step`` says which command it is."""

    step: ReadStep
    request: bytes


@dataclass(frozen=True, repr=False)
class Done:
    """The sequence finished with ``card`` (and the raw fingerprint block if asked for)."""

    card: IdentityCard
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return f"Done(card={self.card!r})"


def split_read_data(data: bytes, fingerprint: bool) -> tuple[bytes, bytes, bytes]:
    """Return (text, photo, fingerprint) from a read reply; raise if lengths disagree."""
    command = Command.READ_WITH_FINGERPRINT if fingerprint else Command.READ_TEXT_PHOTO
    count = 3 if fingerprint else 2
    head = 2 * count
    if len(data) < head:
        raise ReaderProtocolError(command, "reply too short for its length fields")
    sizes = [int.from_bytes(data[i : i + 2], "big") for i in range(0, head, 2)]
    if sizes[0] != TEXT_BLOCK_SIZE or head + sum(sizes) != len(data):
        raise ReaderProtocolError(command, "block lengths do not match the reply")
    text_end = head + sizes[0]
    photo_end = text_end + sizes[1]
    return data[head:text_end], data[text_end:photo_end], data[photo_end:]


class CardReadSequence:
    """One card read: find, select, read; retries from find on a transient failure."""

    def __init__(self, *, max_attempts: int = 3, fingerprint: bool = False) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.max_attempts = max_attempts
        self.fingerprint = fingerprint
        self.attempts = 1
        self.step = ReadStep.FIND
        self._card_seen = False

    def start(self) -> Send:
        """Return the first request (find card)."""
        return self._goto(ReadStep.FIND)

    def on_response(self, response: Response) -> Send | Done:
        """Return what to do after ``response`` to the current step; raise a final failure."""
        sw3 = response.sw3
        if self.step is ReadStep.FIND:
            if sw3 == Sw3.CARD_FOUND:
                self._card_seen = True
                return self._goto(ReadStep.SELECT)
            if sw3 == Sw3.FIND_CARD_FAILED:
                raise CardMovedDuringRead() if self._card_seen else NoCard()
        elif self.step is ReadStep.SELECT:
            if sw3 == Sw3.OK:
                read = ReadStep.READ_FINGERPRINT if self.fingerprint else ReadStep.READ
                return self._goto(read)
            if sw3 == Sw3.SELECT_CARD_FAILED:
                return self._retry(CardMovedDuringRead())
        elif sw3 == Sw3.OK:
            return self._finish(response)
        elif sw3 == Sw3.READ_FAILED:
            return self._retry(CardMovedDuringRead())
        return self._retry_if_checksum(error_for_status(self.step.value, sw3))

    def on_corrupt_frame(self) -> Send:
        """Return the retry after a reply failed its checksum; raise when out of attempts."""
        return self._retry(ChecksumError(f"reply to {self.step.value.label}"))

    def _finish(self, response: Response) -> Done:
        text, photo, fingerprint = split_read_data(response.data, self.fingerprint)
        return Done(parse_text_block(text, photo), fingerprint)

    def _retry_if_checksum(self, error: CardReaderError) -> Send:
        if isinstance(error, ChecksumError):
            return self._retry(error)
        raise error

    def _retry(self, error: CardReaderError) -> Send:
        if self.attempts >= self.max_attempts:
            raise error
        self.attempts += 1
        return self._goto(ReadStep.FIND)

    def _goto(self, step: ReadStep) -> Send:
        self.step = step
        return Send(step, encode_command(step.value))
