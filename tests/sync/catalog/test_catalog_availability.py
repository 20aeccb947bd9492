"""What a kiosk may offer now, by station mode and device faults, with the reason why not."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import pytest

from sync.catalog import ServiceAvailability, ServiceCatalog


def by_id(rows: list[ServiceAvailability]) -> dict[str, ServiceAvailability]:
    return {row.service.id: row for row in rows}


def catalogue(catalog_data: dict[str, Any], *services: dict[str, Any]) -> ServiceCatalog:
    catalog_data["services"] = list(services)
    return ServiceCatalog.from_mapping(catalog_data)


def test_everything_is_available_when_staffed_and_healthy(
    shipped_catalog: ServiceCatalog,
) -> None:
    rows = shipped_catalog.available("staffed", set())
    assert [row.service for row in rows] == list(shipped_catalog.services)
    assert all(row.available and row.reason is None for row in rows)


def test_staffed_only_services_wait_for_officers(shipped_catalog: ServiceCatalog) -> None:
    rows = by_id(shipped_catalog.available("self_service", set()))
    damaged = rows["dl-replacement-damaged"]
    assert not damaged.available
    assert damaged.reason is not None
    assert damaged.reason.zh == "仅在有民警值守时办理"
    assert damaged.reason.en == "Only when officers are on duty"
    assert rows["dl-renewal-expiry"].available


def test_printer_fault_stops_services_that_print(shipped_catalog: ServiceCatalog) -> None:
    rows = by_id(shipped_catalog.available("self_service", {"printer"}))
    renewal = rows["dl-renewal-expiry"]
    assert renewal.reason is not None
    assert renewal.reason.get("zh") == "打印机故障，暂停办理"
    assert renewal.reason.get("en") == "Printer fault: not available now"
    assert rows["points-violation-enquiry"].available  # reads the card, prints nothing


def test_printer_fault_matters_in_staffed_mode_too(shipped_catalog: ServiceCatalog) -> None:
    rows = by_id(shipped_catalog.available("staffed", {"printer"}))
    assert not rows["fine-payment"].available
    assert rows["plate-replacement"].available  # handled at the counter, no kiosk device


def test_several_faults_are_all_named(
    catalog_data: dict[str, Any], service_data: Callable[..., dict[str, Any]]
) -> None:
    catalog = catalogue(catalog_data, service_data("svc", devices=["idcard", "printer"]))
    [row] = catalog.available("self_service", {"printer", "idcard"})
    assert row.reason is not None
    assert row.reason.zh == "身份证阅读器故障，暂停办理；打印机故障，暂停办理"
    assert row.reason.en == (
        "ID card reader fault: not available now; Printer fault: not available now"
    )


def test_qr_identification_stands_in_for_a_faulty_card_reader(
    shipped_catalog: ServiceCatalog,
) -> None:
    rows = by_id(shipped_catalog.available("self_service", {"idcard"}))
    assert rows["points-violation-enquiry"].available
    assert rows["appointment"].available
    assert not rows["dl-renewal-expiry"].available
    rows = by_id(shipped_catalog.available("self_service", {"idcard", "scanner"}))
    assert not rows["points-violation-enquiry"].available


def test_unrelated_and_unknown_faults_change_nothing(shipped_catalog: ServiceCatalog) -> None:
    rows = by_id(shipped_catalog.available("staffed", {"scanner", "cash-drawer"}))
    assert all(row.available for row in rows.values())


def test_kiosk_only_service_is_available_while_staffed(
    catalog_data: dict[str, Any], service_data: Callable[..., dict[str, Any]]
) -> None:
    catalog = catalogue(catalog_data, service_data("svc", modes=["self_service"]))
    assert [row.available for row in catalog.available("staffed")] == [True]
    assert [row.available for row in catalog.available("self_service")] == [True]


def test_nothing_is_available_while_closed(shipped_catalog: ServiceCatalog) -> None:
    rows = shipped_catalog.available("closed", set())
    reasons = {row.reason for row in rows}
    assert len(rows) == 19 and None not in reasons and len(reasons) == 1
    [reason] = reasons
    assert reason is not None and reason.en == "The station is closed now"


def test_mode_reason_wins_over_device_faults(shipped_catalog: ServiceCatalog) -> None:
    rows = by_id(shipped_catalog.available("self_service", {"printer", "idcard"}))
    reason = rows["dl-postpone"].reason
    assert reason is not None and reason.en == "Only when officers are on duty"


def test_a_str_enum_mode_from_another_module_is_accepted(
    shipped_catalog: ServiceCatalog,
) -> None:
    class Mode(StrEnum):  # the shape of sync.schedule's Mode
        STAFFED = "staffed"
        SELF_SERVICE = "self_service"
        CLOSED = "closed"

    rows = by_id(shipped_catalog.available(Mode.SELF_SERVICE, frozenset()))
    assert not rows["temporary-plate"].available


def test_unknown_mode_is_refused(shipped_catalog: ServiceCatalog) -> None:
    with pytest.raises(ValueError, match="unknown mode 'holiday'"):
        shipped_catalog.available("holiday", set())


def test_every_mode_the_schedule_evaluates_to_is_understood(
    shipped_catalog: ServiceCatalog,
) -> None:
    schedule_model = pytest.importorskip("sync.schedule.model")
    for mode in schedule_model.Mode:
        assert len(shipped_catalog.available(mode, set())) == 19
