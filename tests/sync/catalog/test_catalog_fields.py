"""Form field validators: normalized values out, bilingual FieldError for anything else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.catalog import (
    FIELD_VALIDATORS,
    FORM_FIELDS,
    PROVINCES,
    FieldError,
    validate_delivery,
    validate_field,
    validate_licence_file_no,
    validate_phone,
    validate_plate,
    validate_postal_address,
    validate_vehicle_type,
    validate_violation_ref,
)

VALIDATORS = list(FIELD_VALIDATORS.items())


def test_there_is_one_validator_per_form_field() -> None:
    assert list(FIELD_VALIDATORS) == list(FORM_FIELDS)
    assert len(PROVINCES) == len(set(PROVINCES)) == 31


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 19912345678", "19912345678"),
        ("008615012345678", "15012345678"),
        ("8617012345678", "17012345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits from a Chinese IME
    ],
)
def test_phone_accepts_and_normalizes(raw: str, expected: str) -> None:
    assert validate_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "12812345678", "1381234567", "138123456789", "1381234567x", "10086"]
)
def test_phone_refuses(raw: str) -> None:
    with pytest.raises(FieldError) as caught:
        validate_phone(raw)
    assert caught.value.field == "phone"
    assert "11位手机号码" in caught.value.zh and "11-digit" in caught.value.en


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("浙A12345", "浙A12345"),
        ("浙a·12345", "浙A12345"),
        (" 浙 A 1B2C3 ", "浙A1B2C3"),
        ("京AD12345", "京AD12345"),  # small new-energy, battery electric
        ("粤BFA1234", "粤BFA1234"),  # small new-energy, other
        ("浙AD1234", "浙AD1234"),  # an ordinary plate may hold letters
        ("沪A12345D", "沪A12345D"),  # large new-energy
        ("浙A1234挂", "浙A1234挂"),
        ("浙A1234学", "浙A1234学"),
        ("琼-Z-99999", "琼Z99999"),
        ("浙Ａ１２３４５", "浙A12345"),  # full-width
    ],
)
def test_plate_accepts_and_normalizes(raw: str, expected: str) -> None:
    assert validate_plate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "Enter the plate number"),
        ("A12345", "province character"),
        ("港A12345", "province character"),
        ("浙I12345", "issuing-office letter"),
        ("浙", "issuing-office letter"),
        ("浙A1234", "5 letters or digits"),
        ("浙A1234O", "5 letters or digits"),
        ("浙AX12345", "5 letters or digits"),  # 6 characters but not D/F new-energy
        ("浙AD1A234", "5 letters or digits"),  # small new-energy: last 4 must be digits
        ("浙A1234警", "5 letters or digits"),  # police plates are not for the kiosk
    ],
)
def test_plate_refuses_with_a_hint(raw: str, hint: str) -> None:
    with pytest.raises(FieldError) as caught:
        validate_plate(raw)
    assert hint in caught.value.en
    assert caught.value.zh and caught.value.field == "plate"


def test_licence_file_number_is_12_digits() -> None:
    assert validate_licence_file_no("3301 0012 3456") == "330100123456"
    for bad in ("33010012345", "3301001234567", "33010012345X", "٣٣٠١٠٠١٢٣٤٥٦"):
        with pytest.raises(FieldError, match="12"):
            validate_licence_file_no(bad)


def test_violation_reference_is_15_or_16_digits() -> None:
    assert validate_violation_ref("330100 1234567890") == "3301001234567890"
    assert validate_violation_ref("330100123456789") == "330100123456789"
    with pytest.raises(FieldError, match="15"):
        validate_violation_ref("33010012345678")


def test_postal_address_collapses_spaces_and_bounds_length() -> None:
    assert (
        validate_postal_address("  浙江省杭州市  西湖区\n文三路 1号 ")
        == "浙江省杭州市 西湖区 文三路 1号"
    )
    for bad in ("杭州", "杭" * 101, "浙江省杭州市\x00西湖区"):
        with pytest.raises(FieldError) as caught:
            validate_postal_address(bad)
        assert "postal address" in caught.value.en


def test_vehicle_type_takes_code_or_name() -> None:
    assert validate_vehicle_type("02") == "02"
    assert validate_vehicle_type("小型新能源汽车") == "52"
    with pytest.raises(FieldError, match="小型汽车"):
        validate_vehicle_type("坦克")


def test_delivery_is_pickup_or_mail() -> None:
    assert validate_delivery("MAIL") == "mail"
    assert validate_delivery("自取") == "pickup"
    with pytest.raises(FieldError) as caught:
        validate_delivery("drone")
    assert caught.value.message("en") == "Choose pick up or mail"
    assert caught.value.message("zh-CN") == "请选择自取或邮寄"
    assert str(caught.value) == "请选择自取或邮寄 / Choose pick up or mail"


def test_validate_field_dispatches_by_name() -> None:
    assert validate_field("plate", "浙a12345") == "浙A12345"


def _accepted(validate: Callable[[str], str], raw: str) -> str | None:
    try:
        return validate(raw)
    except FieldError as error:
        assert error.zh and error.en
        return None


@pytest.mark.parametrize(("name", "validate"), VALIDATORS)
@given(raw=st.text(max_size=40))
def test_validators_raise_only_field_error_and_are_idempotent(
    name: str, validate: Callable[[str], str], raw: str
) -> None:
    value = _accepted(validate, raw)
    if value is not None:
        assert validate(value) == value, name


_PLATE_SERIAL = st.from_regex(
    r"\A(?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[挂学])\Z"
)


@given(
    province=st.sampled_from(PROVINCES),
    office=st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"),
    serial=_PLATE_SERIAL,
    separator=st.sampled_from(["", "·", " ", "-"]),
)
def test_every_well_formed_plate_is_accepted(
    province: str, office: str, serial: str, separator: str
) -> None:
    raw = f"{province}{office.lower()}{separator}{serial}"
    assert validate_plate(raw) == f"{province}{office}{serial}"


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
def test_every_mainland_mobile_number_is_accepted(number: str) -> None:
    assert validate_phone(number) == number


@given(st.text(alphabet=st.sampled_from("0123456789 -"), max_size=30))
def test_digit_strings_never_crash_the_number_validators(raw: str) -> None:
    for validate in (validate_phone, validate_licence_file_no, validate_violation_ref):
        _accepted(validate, raw)
