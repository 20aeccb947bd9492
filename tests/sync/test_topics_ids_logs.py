"""Topics validate at birth; ids sort by time; logs never carry ID or phone numbers."""

from __future__ import annotations

import logging
import uuid

import pytest

from sync.ids import uuid7
from sync.logs import PersonalDataFilter, mask_personal_data
from sync.topics import (
    KioskChannel,
    TopicError,
    document_topic,
    kiosk_topic,
    parse_document_topic,
    parse_kiosk_topic,
)


def test_kiosk_topics_round_trip() -> None:
    topic = kiosk_topic("k-wensan-1", KioskChannel.EVENTS)
    assert topic == "stationnet/v1/kiosk/k-wensan-1/up/events"
    parsed = parse_kiosk_topic(topic)
    assert (parsed.kiosk_id, parsed.channel) == ("k-wensan-1", KioskChannel.EVENTS)


@pytest.mark.parametrize("bad", ["", "K1", "a/b", "+", "#", "x" * 64, "-lead"])
def test_invalid_ids_never_become_topics(bad: str) -> None:
    with pytest.raises(TopicError):
        kiosk_topic(bad, KioskChannel.EVENTS)


@pytest.mark.parametrize("topic", ["other/v1/kiosk/k1/up/events", "stationnet/v1/kiosk/k1/up/x",
                                   "stationnet/v1/kiosk/K!/up/events"])
def test_foreign_topics_are_refused(topic: str) -> None:
    with pytest.raises(TopicError):
        parse_kiosk_topic(topic)


def test_kiosks_write_only_under_up_and_read_only_down() -> None:
    for channel in KioskChannel:
        assert channel.value.split("/")[0] in {"up", "down"}
    assert parse_document_topic(document_topic("schedule", "hz-xihu-wensan")) == (
        "schedule", "hz-xihu-wensan")


def test_uuid7_is_version_7_and_strictly_increasing() -> None:
    ids = [uuid7() for _ in range(5000)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_personal_data_is_masked_in_log_records(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.masking")
    logger.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="test.masking"):
        logger.info("card %s phone %s", "11010519491231002X", "13812345678")
    logger.filters.clear()
    text = caplog.records[0].getMessage()
    assert "11010519491231002X" not in text and "13812345678" not in text
    assert "110105********002X" in text and "138****5678" in text


def test_masking_leaves_other_numbers_alone() -> None:
    assert mask_personal_data("seq 123456 at 2026-11-25") == "seq 123456 at 2026-11-25"
