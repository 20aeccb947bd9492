"""DLE EOT status decoding: every condition, and garbage never reads as 'paper OK'."""

from __future__ import annotations

import pytest

from devices.errors import FaultCode
from devices.printer import PrinterStatus, decode_status, is_status_byte, status_query

OK = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}


def test_status_queries_are_dle_eot_n() -> None:
    assert [status_query(n) for n in (1, 2, 3, 4)] == [
        b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04"
    ]  # fmt: skip
    with pytest.raises(ValueError):
        status_query(5)


def test_all_fine_printer_is_ready() -> None:
    status = decode_status(OK)
    assert status.ready and status.online
    assert status.reason == "ready"


def test_reference_out_of_paper_replies_mean_paper_out() -> None:
    status = decode_status({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E})
    assert status.paper_out and status.paper_near_end and not status.online
    assert not status.ready
    assert "load a new paper roll" in status.reason
    assert status.code == FaultCode.PAPER_OUT  # the most urgent condition, for alarms


def test_near_end_only_is_a_warning_not_a_fault() -> None:
    status = decode_status({**OK, 4: 0x1E})
    assert status.ready and status.paper_near_end and not status.paper_out
    assert status.faults == []
    assert status.warnings == ["paper near end — replace the roll soon"]
    assert status.code == FaultCode.PAPER_NEAR_END


def test_each_condition_has_its_code_and_a_fine_printer_none() -> None:
    assert decode_status(OK).code is None
    assert PrinterStatus(valid_reply=True, online=True, cover_open=True).code == "cover_open"
    assert PrinterStatus(valid_reply=True, online=True, cutter_error=True).code == "cutter_error"
    assert PrinterStatus(valid_reply=True, online=False).code == "offline"
    assert decode_status({1: None}).code == "not_answering"


@pytest.mark.parametrize(
    ("replies", "flag", "advice"),
    [
        ({1: 0x1A, 2: 0x16}, "cover_open", "close the printer cover"),
        ({1: 0x1A, 3: 0x1A}, "cutter_error", "clear the cutter"),
        ({1: 0x1A, 3: 0x32}, "unrecoverable_error", "power-cycle"),
        ({1: 0x1A, 3: 0x16}, "recoverable_error", "open and close the cover"),
    ],
)
def test_each_error_bit_is_a_named_fault(replies: dict[int, int], flag: str, advice: str) -> None:
    status = decode_status({**OK, **replies})
    assert getattr(status, flag)
    assert not status.ready
    assert advice in status.reason


def test_offline_without_a_cause_says_offline() -> None:
    status = decode_status({**OK, 1: 0x1A})
    assert not status.ready
    assert status.faults == ["printer offline — check it is switched on and not paused"]


@pytest.mark.parametrize("query", [1, 2, 3, 4])
def test_missing_reply_is_a_communication_fault(query: int) -> None:
    status = decode_status({**OK, query: None})
    assert status == PrinterStatus.no_reply(query, None)
    assert not status.valid_reply and not status.ready
    assert not status.paper_out and "not answering" in status.reason


@pytest.mark.parametrize("garbage", [0x00, 0xFF, 0x13, 0x92, 0x10, 0x02, 0x80])
def test_byte_not_shaped_like_a_status_is_a_fault(garbage: int) -> None:
    assert not is_status_byte(garbage)
    status = decode_status({**OK, 4: garbage})
    assert not status.valid_reply and not status.ready


def test_status_byte_shape_leaves_four_free_bits() -> None:
    assert sum(is_status_byte(b) for b in range(256)) == 2**4
