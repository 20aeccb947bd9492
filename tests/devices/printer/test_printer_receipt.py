"""Receipt bytes: our own GB18030/GBK text, QR, barcode, cut; decoded back exactly."""

from __future__ import annotations

import dataclasses

import pytest

from devices.printer import (
    Align,
    EscPosBuilder,
    EscPosDecoder,
    PrintedBarcode,
    PrintedLine,
    Receipt,
    encode_text,
    render_receipt,
)
from devices.printer.decoder import Cut, StatusQuery


def _printed(data: bytes, encoding: str = "gb18030") -> Cut:
    events = EscPosDecoder(encoding).receive_data(data)
    cuts = [e for e in events if isinstance(e, Cut)]
    assert len(cuts) == 1
    return cuts[0]


def test_chinese_punctuation_alone_is_encoded_not_question_marks() -> None:
    assert encode_text("：；！，。") == "：；！，。".encode("gb18030")
    assert b"?" not in encode_text("：；！，。")


def test_gbk_can_be_configured() -> None:
    assert encode_text("警务站", "gbk") == "警务站".encode("gbk")
    with pytest.raises(ValueError, match="gb18030"):
        encode_text("x", "utf-8")


def test_control_characters_cannot_inject_commands() -> None:
    assert encode_text("A\x1bd\x1dV\x00B") == b"A d V B"


def test_receipt_starts_with_reset_and_chinese_mode_and_ends_with_cut(
    receipt: Receipt,
) -> None:
    data = render_receipt(receipt)
    assert data.startswith(b"\x1b@\x1c&")
    assert data.endswith(b"\x1dV\x00")


def test_receipt_decodes_back_to_what_was_sent(receipt: Receipt) -> None:
    page = _printed(render_receipt(receipt)).receipt
    text = page.text
    assert text[0] == receipt.heading
    assert receipt.station in text
    assert f"受理编号：{receipt.tracking_number}" in text
    assert f"申请人：{receipt.masked_name}" in text
    assert "1. 工作日到窗口领取标志。" in text
    assert "2. 请携带：身份证、行驶证！" in text
    assert page.qr_payloads == [receipt.qr_payload]
    assert page.barcodes == [PrintedBarcode(73, receipt.tracking_number)]


def test_heading_is_bold_double_size_and_centred(receipt: Receipt) -> None:
    heading = _printed(render_receipt(receipt)).receipt.lines[0]
    assert heading == PrintedLine(receipt.heading, bold=True, width=2, height=2, align=1)


def test_gbk_receipt_decodes_with_gbk(receipt: Receipt) -> None:
    page = _printed(render_receipt(receipt, "gbk"), "gbk").receipt
    assert receipt.station in page.text


def test_receipt_refuses_an_unmasked_name(receipt: Receipt) -> None:
    with pytest.raises(ValueError, match="masked"):
        dataclasses.replace(receipt, masked_name="李晓明")


@pytest.mark.parametrize(
    "change",
    [{"tracking_number": ""}, {"tracking_number": "编号1"}, {"qr_payload": ""},
     {"station": ""}, {"qr_payload": "x" * 701}],
)  # fmt: skip
def test_receipt_rejects_invalid_fields(receipt: Receipt, change: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(receipt, **change)


def test_builder_rejects_bad_sizes_and_barcodes() -> None:
    builder = EscPosBuilder()
    with pytest.raises(ValueError):
        builder.line("x", size=9)
    with pytest.raises(ValueError):
        builder.barcode("条码")
    with pytest.raises(ValueError):
        builder.qr("")


def test_partial_cut_is_recognised() -> None:
    data = EscPosBuilder().line("x", align=Align.RIGHT).cut(partial=True).build()
    assert _printed(data).receipt.partial_cut


def test_decoder_answers_status_queries_inline() -> None:
    events = EscPosDecoder().receive_data(b"abc\x10\x04\x04def\x10\x04\x01")
    assert events == [StatusQuery(4), StatusQuery(1)]


def test_decoder_waits_for_a_split_command() -> None:
    decoder = EscPosDecoder()
    data = EscPosBuilder().qr("https://x.test/q").cut().build()
    events = []
    for i in range(0, len(data), 3):
        events += decoder.receive_data(data[i : i + 3])
    assert [e.receipt.qr_payloads for e in events if isinstance(e, Cut)] == [["https://x.test/q"]]
