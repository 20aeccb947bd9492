"""Finding a service and its one-time notice; language fallback."""

from __future__ import annotations

import pytest

from sync.catalog import LocalizedText, ServiceCatalog, UnknownServiceError, VisitList


def test_notice_carries_every_part_in_the_asked_language(
    shipped_catalog: ServiceCatalog,
) -> None:
    notice = shipped_catalog.notice("dl-replacement-lost", "zh")
    service = shipped_catalog.service("dl-replacement-lost")
    assert notice.lang == "zh"
    assert notice.title == "驾驶证遗失补证"
    assert notice.visit_list is VisitList.AT_MOST_ONCE
    assert notice.visit_list_label == "最多跑一次"
    assert notice.where == service.where.zh
    assert notice.bring == tuple(item.zh for item in service.bring)
    assert notice.steps == tuple(item.zh for item in service.steps)
    assert notice.fees == service.fees.zh
    assert notice.time_limit == service.time_limit.zh
    assert notice.caveats == tuple(item.zh for item in service.caveats)
    assert notice.staffed_only is False
    assert notice.provisional is bool(service.to_confirm)


def test_notice_in_english(shipped_catalog: ServiceCatalog) -> None:
    notice = shipped_catalog.notice("fine-payment", "en-GB")
    assert notice.lang == "en"
    assert notice.title == "Pay a traffic fine"
    assert notice.visit_list_label == "Zero visits (online)"


def test_unknown_language_falls_back_to_chinese() -> None:
    text = LocalizedText(zh="免费", en="Free")
    assert text.get("fr") == "免费"
    assert text.get("zh-Hans") == "免费"
    assert text.get("EN_us") == "Free"


def test_unknown_service_says_what_to_do(shipped_catalog: ServiceCatalog) -> None:
    with pytest.raises(UnknownServiceError, match="no service 'dl-nope' in catalogue version"):
        shipped_catalog.notice("dl-nope", "zh")


def test_catalogue_is_immutable(shipped_catalog: ServiceCatalog) -> None:
    with pytest.raises(ValueError, match="frozen"):
        shipped_catalog.version = 99
