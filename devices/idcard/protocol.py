"""Sans-I/O framing for the resident ID-card reader's SAM module.

The caller gets request bytes from the ``encode_*`` functions and typed events from
:class:`FrameDecoder`: feed it whatever bytes arrived, then pull :class:`Frame` or
:class:`FrameError` events until it says :data:`NEED_DATA`. No I/O, clocks or threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from functools import reduce
from operator import xor
from typing import Final

__all__ = [
    "BAUD_CODES",
    "MAX_LENGTH",
    "NEED_DATA",
    "PREAMBLE",
    "Command",
    "Frame",
    "FrameDecoder",
    "FrameError",
    "FrameErrorKind",
    "NeedData",
    "Request",
    "Response",
    "Sw3",
    "checksum",
    "encode_command",
    "encode_frame",
    "encode_response",
    "encode_set_baud",
]

PREAMBLE: Final = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE: Final = 7
MIN_LENGTH: Final = 3  # a request's CMD PARA CHK
MAX_LENGTH: Final = 4096  # the largest real reply (with fingerprint) is 2314
BAUD_CODES: Final = {115200: 0, 57600: 1, 38400: 2, 19200: 3, 9600: 4}


class Command(Enum):
    """A reader command as its (CMD, PARA) pair."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    READ_SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_WITH_FINGERPRINT = (0x30, 0x10)
    NEWEST_ADDRESS = (0x30, 0x03)
    SET_BAUD = (0x60, 0x00)  # PARA carries the baud code, see encode_set_baud

    @property
    def label(self) -> str:
        """Return the command's name as an operator reads it."""
        return self.name.lower().replace("_", " ")


class Sw3(IntEnum):
    """The reply status byte SW3."""

    OK = 0x90
    NO_CONTENT = 0x91
    CARD_FOUND = 0x9F
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11
    COMMAND_ERROR = 0x21
    UNAUTHORISED = 0x23
    UNKNOWN_ERROR = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    VERIFY_ERROR = 0x33
    FINGERPRINT_VERIFY_ERROR = 0x37
    INFORMATION_LENGTH_ERROR = 0x3F
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_NUMBER_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    FIND_CARD_FAILED = 0x80
    SELECT_CARD_FAILED = 0x81


def checksum(data: bytes | bytearray | memoryview) -> int:
    """Return the XOR of every byte in ``data``."""
    return reduce(xor, data, 0)


def encode_frame(body: bytes) -> bytes:
    """Return a complete frame around ``body`` (everything between LEN and CHK)."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def encode_command(command: Command, data: bytes = b"") -> bytes:
    """Return the request frame for ``command`` (use encode_set_baud for SET_BAUD)."""
    if command is Command.SET_BAUD:
        raise ValueError("use encode_set_baud(baudrate) for the set-baud command")
    cmd, para = command.value
    return encode_frame(bytes([cmd, para]) + data)


def encode_set_baud(baudrate: int) -> bytes:
    """Return the request frame that switches the reader to ``baudrate``."""
    if baudrate not in BAUD_CODES:
        raise ValueError(f"the reader supports {sorted(BAUD_CODES)} baud, not {baudrate}")
    return encode_frame(bytes([Command.SET_BAUD.value[0], BAUD_CODES[baudrate]]))


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """Return a reply frame as the reader sends it (used by the emulator and tests)."""
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Frame:
    """A checksum-valid frame; ``body`` is the bytes between LEN and CHK."""

    body: bytes


class FrameErrorKind(Enum):
    """Why bytes were rejected while framing."""

    NOISE = "noise before a preamble"
    BAD_LENGTH = "impossible length field"
    BAD_CHECKSUM = "checksum mismatch"


@dataclass(frozen=True)
class FrameError:
    """Bytes the decoder dropped and why; decoding resumes after them."""

    kind: FrameErrorKind
    dropped: int


class NeedData(Enum):
    """Sentinel type: the decoder needs more bytes."""

    NEED_DATA = "need data"


NEED_DATA: Final = NeedData.NEED_DATA


class FrameDecoder:
    """Incremental frame decoder: ``receive_data`` bytes, then ``next_event`` until NEED_DATA."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def receive_data(self, data: bytes) -> None:
        """Append bytes received from the device."""
        self._buffer += data

    def bytes_wanted(self) -> int:
        """Return how many more bytes complete the frame in progress (at least 1)."""
        size = self.pending_frame_size()
        target = HEADER_SIZE if size is None else size
        return max(1, target - len(self._buffer))

    def pending_frame_size(self) -> int | None:
        """Return the full size of the frame in progress once its length is known."""
        buf = self._buffer
        if len(buf) < HEADER_SIZE or not buf.startswith(PREAMBLE):
            return None
        length = int.from_bytes(buf[5:7], "big")
        return HEADER_SIZE + length if MIN_LENGTH <= length <= MAX_LENGTH else None

    def clear(self) -> None:
        """Forget buffered bytes, e.g. after the wire was reset."""
        self._buffer.clear()

    def next_event(self) -> Frame | FrameError | NeedData:
        """Return the next frame or framing error, or NEED_DATA."""
        buf = self._buffer
        start = buf.find(PREAMBLE)
        if start < 0:
            keep = _partial_preamble_length(buf)
            return self._drop(len(buf) - keep, FrameErrorKind.NOISE)
        if start > 0:
            return self._drop(start, FrameErrorKind.NOISE)
        if len(buf) < HEADER_SIZE:
            return NEED_DATA
        length = int.from_bytes(buf[5:7], "big")
        if not MIN_LENGTH <= length <= MAX_LENGTH:
            return self._drop(1, FrameErrorKind.BAD_LENGTH)
        end = HEADER_SIZE + length
        if len(buf) < end:
            return NEED_DATA
        if checksum(memoryview(buf)[5 : end - 1]) != buf[end - 1]:
            return self._drop(1, FrameErrorKind.BAD_CHECKSUM)
        body = bytes(buf[HEADER_SIZE : end - 1])
        del buf[:end]
        return Frame(body)

    def _drop(self, count: int, kind: FrameErrorKind) -> FrameError | NeedData:
        if count <= 0:
            return NEED_DATA
        del self._buffer[:count]
        return FrameError(kind, count)


def _partial_preamble_length(buf: bytearray) -> int:
    """Return the length of the longest buffer suffix that may start a preamble."""
    for size in range(min(len(buf), len(PREAMBLE) - 1), 0, -1):
        if buf.endswith(PREAMBLE[:size]):
            return size
    return 0


@dataclass(frozen=True)
class Request:
    """A host-to-reader frame as the reader sees it."""

    cmd: int
    para: int
    data: bytes

    @classmethod
    def from_frame(cls, frame: Frame) -> Request | None:
        """Return the request in ``frame``, or None if it is too short to be one."""
        if len(frame.body) < 2:
            return None
        return cls(frame.body[0], frame.body[1], frame.body[2:])

    @property
    def command(self) -> Command | None:
        """Return the known command, or None for an unknown (CMD, PARA) pair."""
        if self.cmd == Command.SET_BAUD.value[0]:
            return Command.SET_BAUD if self.para in BAUD_CODES.values() else None
        try:
            return Command((self.cmd, self.para))
        except ValueError:
            return None


@dataclass(frozen=True)
class Response:
    """A reader-to-host frame: status words SW1 SW2 SW3 and data."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @classmethod
    def from_frame(cls, frame: Frame) -> Response | None:
        """Return the response in ``frame``, or None if it lacks the three status words."""
        body = frame.body
        if len(body) < 3:
            return None
        return cls(body[0], body[1], body[2], body[3:])

    @property
    def status(self) -> Sw3 | None:
        """Return SW3 as a known status, or None for a code the reference does not list."""
        try:
            return Sw3(self.sw3)
        except ValueError:
            return None
