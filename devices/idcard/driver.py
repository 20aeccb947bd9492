"""The ID-card reader driver: the SAM protocol core bound to a pyserial port."""

from __future__ import annotations

import time

from devices.errors import DeviceTimeout
from devices.idcard.card import IdentityCard
from devices.idcard.errors import ChecksumError, ReaderProtocolError, error_for_status
from devices.idcard.protocol import (
    Command,
    Frame,
    FrameDecoder,
    FrameError,
    FrameErrorKind,
    Response,
    Sw3,
    encode_command,
)
from devices.idcard.sequence import CardReadSequence, Done, Send
from devices.serial_link import Backoff, Clock, SerialDriver, wire_seconds

__all__ = ["IdCardReader"]

_CORRUPT = (FrameErrorKind.BAD_CHECKSUM, FrameErrorKind.BAD_LENGTH)


class CorruptFrame(Exception):
    """Internal: a reply arrived but failed framing; the caller decides to retry."""


class IdCardReader(SerialDriver):
    """Reads resident ID cards and residence permits through a SAM reader on a serial port.

    ``reply_timeout`` is how long the reader may think before its reply starts; once the
    reply's length is known the deadline stretches to cover its bytes on the wire.
    """

    label = "ID-card reader"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 115200,
        reply_timeout: float = 1.0,
        max_attempts: int = 3,
        backoff: Backoff | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(port, baudrate, backoff=backoff, clock=clock)
        self.reply_timeout = reply_timeout
        self.max_attempts = max_attempts

    def read_card(self, *, fingerprint: bool = False) -> IdentityCard:
        """Return the card on the reader (find, select, read, retrying transient failures)."""
        return self.read_card_with_fingerprint()[0] if fingerprint else self._read(False).card

    def read_card_with_fingerprint(self) -> tuple[IdentityCard, bytes]:
        """Return the card and its raw 1024-byte fingerprint block."""
        done = self._read(True)
        return done.card, done.fingerprint

    def _read(self, fingerprint: bool) -> Done:
        sequence = CardReadSequence(max_attempts=self.max_attempts, fingerprint=fingerprint)
        action: Send | Done = sequence.start()
        with self.link.lock:
            while isinstance(action, Send):
                try:
                    response = self.transact(action.request, action.step.value)
                except CorruptFrame:
                    action = sequence.on_corrupt_frame()
                else:
                    action = sequence.on_response(response)
        return action

    def card_present(self) -> bool:
        """Return whether a card is on the reader."""
        response = self.transact(encode_command(Command.FIND_CARD), Command.FIND_CARD)
        if response.sw3 in (Sw3.CARD_FOUND, Sw3.FIND_CARD_FAILED):
            return response.sw3 == Sw3.CARD_FOUND
        raise error_for_status(Command.FIND_CARD, response.sw3)

    def reset_sam(self) -> None:
        """Reset the SAM module."""
        self._expect_ok(Command.RESET_SAM)

    def check_sam(self) -> None:
        """Return if the SAM module passes its self-test; raise SamFault otherwise."""
        self._expect_ok(Command.SAM_STATUS)

    def sam_id(self) -> str:
        """Return the SAM module's 16-byte id as hex (for the technician's inventory)."""
        return self._expect_ok(Command.READ_SAM_ID).data.hex().upper()

    def newest_address(self) -> str | None:
        """Return the newest address written to the card, or None when there is none."""
        response = self.transact(encode_command(Command.NEWEST_ADDRESS), Command.NEWEST_ADDRESS)
        if response.sw3 == Sw3.NO_CONTENT:
            return None
        if response.sw3 != Sw3.OK:
            raise error_for_status(Command.NEWEST_ADDRESS, response.sw3)
        return response.data.decode("utf-16-le", errors="replace").rstrip(" \x00")

    def _expect_ok(self, command: Command) -> Response:
        response = self.transact(encode_command(command), command)
        if response.sw3 != Sw3.OK:
            raise error_for_status(command, response.sw3)
        return response

    def transact(self, request: bytes, command: Command) -> Response:
        """Return the reader's reply to ``request``; raise DeviceTimeout/DeviceLost/ChecksumError.

        Raises the internal CorruptFrame only inside read_card (where it is retried).
        """
        with self.link.lock:
            try:
                return self._exchange(request, command)
            except CorruptFrame:
                if self._in_sequence(command):
                    raise
                raise ChecksumError(f"reply to {command.label}") from None

    @staticmethod
    def _in_sequence(command: Command) -> bool:
        return command in (
            Command.FIND_CARD,
            Command.SELECT_CARD,
            Command.READ_TEXT_PHOTO,
            Command.READ_WITH_FINGERPRINT,
        )

    def _exchange(self, request: bytes, command: Command) -> Response:
        self.link.discard_input()
        self.link.write(request)
        baud = self.link.baudrate
        deadline = self._clock() + wire_seconds(len(request), baud) + self.reply_timeout
        decoder = FrameDecoder()
        stretched = False
        while True:
            event = decoder.next_event()
            if isinstance(event, Frame):
                return self._response(event, command)
            if isinstance(event, FrameError):
                if event.kind in _CORRUPT:
                    raise CorruptFrame()
                continue
            size = decoder.pending_frame_size()
            if size is not None and not stretched:
                stretched = True
                deadline = max(deadline, self._clock() + 1.5 * wire_seconds(size, baud) + 0.05)
            if self._clock() >= deadline:
                raise self._timeout(command)
            decoder.receive_data(self.link.read(decoder.bytes_wanted(), deadline))

    def _timeout(self, command: Command) -> DeviceTimeout:
        return self.link.timeout(f"'{command.label}'")

    @staticmethod
    def _response(frame: Frame, command: Command) -> Response:
        response = Response.from_frame(frame)
        if response is None:
            raise ReaderProtocolError(command, "reply without status words")
        return response
