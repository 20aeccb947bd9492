"""Card layouts, code tables, dates, check digits and masking of the identity value."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from devices.emulators import VirtualCard
from devices.idcard import (
    NATIONS,
    CardKind,
    Gender,
    InvalidCardData,
    check_digit,
    encode_text_block,
    is_valid_citizen_number,
    mask_name,
    mask_number,
    parse_text_block,
)
from devices.idcard.citizen_id import embedded_birth_date
from devices.idcard.textblock import TEXT_BLOCK_SIZE


def _field(block: bytes, offset: int, length: int) -> str:
    return block[offset : offset + length].decode("utf-16-le").rstrip(" ")


def _patched(block: bytes, offset: int, text: str, length: int) -> bytes:
    raw = text.encode("utf-16-le")
    raw += b" \x00" * ((length - len(raw)) // 2)
    return block[:offset] + raw + block[offset + length :]


@pytest.mark.parametrize(
    "key", ["resident", "resident-long-term", "resident-expired", "foreigner", "hmt"]
)
def test_every_fixture_card_survives_encode_then_parse(
    cards: dict[str, VirtualCard], key: str
) -> None:
    card = cards[key].card
    block = encode_text_block(card)
    assert len(block) == TEXT_BLOCK_SIZE
    assert parse_text_block(block, bytes(card.photo)) == card


def test_resident_block_places_fields_at_reference_offsets(
    cards: dict[str, VirtualCard],
) -> None:
    card = cards["resident"].card
    block = encode_text_block(card)
    assert _field(block, 30, 2) == "1"
    assert _field(block, 32, 4) == "01"
    assert _field(block, 36, 16) == "19850312"
    assert _field(block, 122, 36) == card.number
    assert _field(block, 188, 16) == "20150601"
    assert block[248:250] == b" \x00"
    assert card.kind is CardKind.RESIDENT
    assert card.nation == "汉"
    assert card.gender is Gender.MALE


def test_long_term_card_has_no_expiry(cards: dict[str, VirtualCard]) -> None:
    card = cards["resident-long-term"].card
    assert _field(encode_text_block(card), 204, 16) == "长期"
    assert card.is_long_term
    assert not card.is_expired(date(2099, 1, 1))


def test_expired_card_reports_expiry_after_its_last_day(cards: dict[str, VirtualCard]) -> None:
    card = cards["resident-expired"].card
    assert card.valid_to == date(2024, 3, 1)
    assert not card.is_expired(date(2024, 3, 1))
    assert card.is_expired(date(2024, 3, 2))


def test_foreigner_card_uses_the_i_layout(cards: dict[str, VirtualCard]) -> None:
    card = cards["foreigner"].card
    block = encode_text_block(card)
    assert block[248:250] == "I".encode("utf-16-le")
    assert _field(block, 152, 6) == "USA"
    assert _field(block, 220, 16) == "19850312"
    assert _field(block, 236, 4) == "20"
    assert card.kind is CardKind.FOREIGN_PERMANENT
    assert card.english_name.startswith("SMITH")
    assert card.nation == ""


def test_hmt_permit_uses_the_j_layout(cards: dict[str, VirtualCard]) -> None:
    card = cards["hmt"].card
    block = encode_text_block(card)
    assert block[248:250] == "J".encode("utf-16-le")
    assert _field(block, 238, 4) == "01"
    assert card.kind is CardKind.HMT_RESIDENCE
    assert card.issue_count == 1
    assert card.pass_number.startswith("H")


def test_nation_table_has_56_nations_plus_other_and_foreign_origin() -> None:
    assert len(NATIONS) == 58
    assert NATIONS["01"] == "汉"
    assert NATIONS["56"] == "基诺"
    assert NATIONS["97"] == "其他"
    assert NATIONS["98"] == "外国血统中国籍人士"
    assert [f"{i:02d}" for i in range(1, 57)] == list(NATIONS)[:56]


@pytest.mark.parametrize(
    ("code", "gender", "label"),
    [("0", Gender.UNKNOWN, "未知"), ("1", Gender.MALE, "男"), ("2", Gender.FEMALE, "女"),
     ("9", Gender.UNSPECIFIED, "未说明")],
)  # fmt: skip
def test_gender_codes_map_to_their_labels(code: str, gender: Gender, label: str) -> None:
    assert Gender(code) is gender
    assert gender.label == label


@pytest.mark.parametrize(
    ("offset", "length", "text", "field"),
    [
        (30, 2, "5", "gender code"),
        (32, 4, "57", "nation code"),
        (36, 16, "19851332", "birth date"),
        (36, 16, "19850313", "birth date"),  # valid date, disagrees with the number
        (122, 36, "330106198503120010", "ID number"),  # wrong check digit
        (188, 16, "2015-6-1", "start of validity"),
        (204, 16, "永久", "expiry date"),
        (204, 16, "20100101", "validity period"),  # ends before it starts
        (0, 30, "", "name"),
    ],
)
def test_invalid_field_is_rejected_with_its_name(
    cards: dict[str, VirtualCard], offset: int, length: int, text: str, field: str
) -> None:
    block = _patched(encode_text_block(cards["resident"].card), offset, text, length)
    with pytest.raises(InvalidCardData) as raised:
        parse_text_block(block)
    assert raised.value.field == field


def test_hmt_permit_must_carry_a_hong_kong_macau_or_taiwan_number(
    cards: dict[str, VirtualCard],
) -> None:
    with pytest.raises(InvalidCardData):
        dataclasses.replace(cards["hmt"].card, number=cards["resident"].card.number)


def test_text_block_of_the_wrong_size_is_rejected() -> None:
    with pytest.raises(InvalidCardData):
        parse_text_block(bytes(255))


def test_undecodable_text_is_rejected() -> None:
    block = bytearray(b" \x00" * 128)
    block[0:2] = b"\x00\xd8"  # a lone surrogate
    with pytest.raises(InvalidCardData):
        parse_text_block(bytes(block))


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("33010619850312001", "X"),
        ("11010519600101003", "3"),
        ("81000019900720004", "0"),
    ],
)
def test_check_digit_follows_iso_7064_mod_11_2(body: str, check: str) -> None:
    assert check_digit(body) == check
    assert is_valid_citizen_number(body + check)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002x", "110105194912310021", "11010519491231002", "1101051949123100XX",
     "110105194913310025", "１１０１０５１９４９１２３１００２X"],
)  # fmt: skip
def test_malformed_citizen_numbers_are_invalid(number: str) -> None:
    assert not is_valid_citizen_number(number)


def test_check_digit_refuses_a_body_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError):
        check_digit("1234")


def test_embedded_birth_date_is_read_from_positions_7_to_14() -> None:
    assert embedded_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert embedded_birth_date("110105194902300000") is None


def test_masking_hides_all_but_the_edges() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""
    assert mask_number("33010619850312001X") == "330106********001X"
    assert mask_number("12345") == "*****"


def test_repr_and_str_show_only_masked_data(cards: dict[str, VirtualCard]) -> None:
    card = cards["resident"].card
    for text in (repr(card), str(card), f"{card}", repr([card])):
        assert card.name not in text
        assert card.number not in text
        assert card.address not in text
        assert card.number[6:14] not in text
        assert card.masked_number in text


def test_wipe_zeroes_the_photo_in_place(cards: dict[str, VirtualCard]) -> None:
    card = dataclasses.replace(cards["resident"].card, photo=bytearray(b"\x01" * 1024))
    photo = card.photo
    card.wipe()
    assert photo == bytes(1024)
