"""Models built without validating again are the models validation gives."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sync.schedule import (
    OpeningHours,
    SpecialHours,
    TimeSpan,
    WeeklyHours,
    format_opening_hours,
    parse_opening_hours,
)
from sync.schedule.model import DayNotes
from sync.schedule.prevalidated import prevalidated, updated


def _same(built: BaseModel, validated: BaseModel) -> None:
    assert built == validated and validated == built
    assert repr(built) == repr(validated)
    assert hash(built) == hash(validated)
    assert built.model_dump() == validated.model_dump()


def test_a_prevalidated_span_equals_the_validated_span() -> None:
    built = prevalidated(TimeSpan, start=1200, end=1560)
    _same(built, TimeSpan(start=1200, end=1560))
    assert built.text == "20:00-02:00"
    assert built.model_fields_set == {"start", "end"}


def test_prevalidated_fills_defaults_in_field_order_and_records_the_fields_given() -> None:
    spans = (TimeSpan(start=480, end=1020),)
    built = prevalidated(WeeklyHours, mo=spans, notes=DayNotes(mo="by appointment"))
    validated = WeeklyHours(mo=spans, notes=DayNotes(mo="by appointment"))
    _same(built, validated)
    assert list(built.__dict__) == list(WeeklyHours.model_fields)
    assert built.model_fields_set == WeeklyHours.model_construct(mo=spans).model_fields_set | {
        "notes"
    }


def test_a_prevalidated_special_entry_equals_the_validated_one() -> None:
    fields = {"start": date(2026, 10, 1), "end": date(2026, 10, 3), "staffed": (), "note": "x"}
    _same(prevalidated(SpecialHours, **fields), SpecialHours(**fields))


def test_updated_is_model_copy_with_an_update() -> None:
    entry = SpecialHours(start=date(2026, 10, 1), staffed=(), self_service=(), note="x")
    copied, expected = updated(entry, staffed=None), entry.model_copy(update={"staffed": None})
    _same(copied, expected)
    assert copied.model_fields_set == expected.model_fields_set
    assert entry.staffed == ()  # the original is untouched
    with pytest.raises(TypeError):
        updated(entry, length=1)


def test_prevalidated_refuses_unknown_and_missing_fields() -> None:
    with pytest.raises(TypeError):
        prevalidated(TimeSpan, start=1, end=2, length=1)
    with pytest.raises(TypeError):
        prevalidated(TimeSpan, start=1)


_rule = st.sampled_from(
    [
        "Mo-Fr 08:00-17:00",
        "Sa 10:00-02:00",
        'Su 09:00-12:00,13:00-15:00 open "by appointment"',
        "We off",
        "12:00-13:00",
    ]
)
_tail = st.sampled_from(["", "; PH off", '; PH 10:00-12:00 "holiday"', "; 2026 Oct 01-03 off"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_rule, min_size=1, max_size=4), _tail)
def test_parsed_hours_equal_their_validated_copy(rules: list[str], tail: str) -> None:
    parsed = parse_opening_hours("; ".join(rules) + tail)
    validated = OpeningHours.model_validate(parsed.model_dump())
    _same(parsed, validated)
    assert format_opening_hours(validated) == format_opening_hours(parsed)
