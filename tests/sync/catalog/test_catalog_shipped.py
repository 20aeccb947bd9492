"""The shipped config/catalog.toml: complete, bilingual, consistent."""

from __future__ import annotations

import re

import pytest

from sync.catalog import FORM_FIELDS, Category, ServiceCatalog, VisitList

REQUIRED_IDS = {
    "dl-renewal-expiry",
    "dl-replacement-lost",
    "dl-replacement-damaged",
    "dl-physical-certificate",
    "dl-postpone",
    "dl-review-education",
    "dl-contact-change",
    "violation-non-site",
    "fine-payment",
    "driving-record-certificate",
    "points-violation-enquiry",
    "inspection-exempt-label",
    "registration-certificate-replacement",
    "plate-replacement",
    "inspection-label-replacement",
    "vehicle-contact-change",
    "temporary-plate",
    "mortgage-registration",
    "appointment",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_shipped_catalog_has_the_19_services(shipped_catalog: ServiceCatalog) -> None:
    assert {s.id for s in shipped_catalog.services} == REQUIRED_IDS
    assert len(shipped_catalog.services) == 19


def test_shipped_catalog_is_versioned_and_bilingual(shipped_catalog: ServiceCatalog) -> None:
    assert shipped_catalog.version >= 1
    assert set(shipped_catalog.locale) == {"zh", "en"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_notice_is_complete_in_each_language(
    shipped_catalog: ServiceCatalog, lang: str
) -> None:
    for service in shipped_catalog.services:
        notice = shipped_catalog.notice(service.id, lang)
        singles = [notice.title, notice.where, notice.fees, notice.time_limit]
        lists = [notice.bring, notice.steps, notice.caveats]
        assert all(singles) and all(lists), service.id
        for text in singles + [item for part in lists for item in part]:
            if lang == "zh":
                assert CJK.search(text), (service.id, text)
            else:
                assert re.search("[A-Za-z]{3}", text), (service.id, text)


def test_every_category_is_used(shipped_catalog: ServiceCatalog) -> None:
    assert {s.category for s in shipped_catalog.services} == set(Category)


def test_licence_replacement_fee_is_the_public_10_yuan(shipped_catalog: ServiceCatalog) -> None:
    for service_id in ("dl-replacement-lost", "dl-replacement-damaged", "dl-renewal-expiry"):
        assert "10元" in shipped_catalog.service(service_id).fees.zh


def test_every_uncertain_item_is_marked_in_both_languages(
    shipped_catalog: ServiceCatalog,
) -> None:
    for service in shipped_catalog.services:
        for item in service.to_confirm:
            zh, _, en = item.partition(" / ")
            assert CJK.search(zh) and re.search("[A-Za-z]{3}", en), (service.id, item)


def test_staffed_only_services_are_exactly_those_without_self_service(
    shipped_catalog: ServiceCatalog,
) -> None:
    staffed_only = {s.id for s in shipped_catalog.services if s.staffed_only}
    assert staffed_only == {
        "dl-replacement-damaged",
        "dl-postpone",
        "registration-certificate-replacement",
        "plate-replacement",
        "temporary-plate",
        "mortgage-registration",
    }


def test_by_list_covers_every_service_in_canonical_order(
    shipped_catalog: ServiceCatalog,
) -> None:
    groups = shipped_catalog.by_list()
    assert list(groups) == [
        VisitList.AT_MOST_ONCE,
        VisitList.ZERO_VISITS,
        VisitList.NEAREST_POINT,
        VisitList.SEVERAL_VISITS,
    ]
    assert sum(len(g) for g in groups.values()) == len(shipped_catalog.services)
    assert [s.id for s in groups[VisitList.NEAREST_POINT]] == ["mortgage-registration"]


def test_form_fields_come_from_the_vocabulary(shipped_catalog: ServiceCatalog) -> None:
    for service in shipped_catalog.services:
        assert set(service.form_fields) <= set(FORM_FIELDS)
