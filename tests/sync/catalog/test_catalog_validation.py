"""A bad catalogue is refused at construction, with errors naming service, field and fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sync.catalog import CatalogError, CatalogIssue, Service, ServiceCatalog, load_catalog


def only_issue(data: dict[str, Any]) -> CatalogIssue:
    with pytest.raises(CatalogError) as caught:
        ServiceCatalog.from_mapping(data, source="test.toml")
    assert len(caught.value.issues) == 1, caught.value
    return caught.value.issues[0]


def test_minimal_catalogue_is_valid(catalog_data: dict[str, Any]) -> None:
    catalog = ServiceCatalog.from_mapping(catalog_data)
    assert [s.id for s in catalog.services] == ["svc-a", "svc-b"]


def test_duplicate_ids_are_named_with_their_positions(
    catalog_data: dict[str, Any], service_data: Callable[..., dict[str, Any]]
) -> None:
    catalog_data["services"].append(service_data("svc-a"))
    issue = only_issue(catalog_data)
    assert issue.field == "services"
    assert "'svc-a' at services[0, 2]" in issue.problem
    assert "own id" in issue.problem


def test_unknown_device_names_service_field_and_allowed_values(
    catalog_data: dict[str, Any],
) -> None:
    catalog_data["services"][1]["devices"] = ["idcard", "camera"]
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("svc-b", "devices[1]")
    assert "'camera'" in issue.problem
    assert issue.fix == "use one of: idcard, printer or scanner"


def test_unknown_form_field_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["form_fields"] = ["phone", "email"]
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("svc-a", "form_fields[1]")
    assert "postal_address" in issue.fix and "violation_ref" in issue.fix


@pytest.mark.parametrize(
    ("part", "wording"),
    [("bring", "what to bring"), ("steps", "the steps"), ("caveats", "the caveats")],
)
def test_empty_notice_list_is_refused(
    catalog_data: dict[str, Any], part: str, wording: str
) -> None:
    catalog_data["services"][0][part] = []
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("svc-a", part)
    assert wording in issue.problem and "add at least one" in issue.problem


@pytest.mark.parametrize("field", ["title", "where", "fees", "time_limit"])
def test_blank_notice_text_is_refused(catalog_data: dict[str, Any], field: str) -> None:
    catalog_data["services"][0][field] = {"zh": "  ", "en": "Something"}
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("svc-a", f"{field}.zh")
    assert issue.fix == "fill in the text; it must not be blank"


def test_missing_translation_in_a_list_item_points_at_the_item(
    catalog_data: dict[str, Any],
) -> None:
    catalog_data["services"][1]["steps"][1] = {"zh": "确认"}
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("svc-b", "steps[1].en")
    assert issue.fix == "add this field"


def test_empty_modes_are_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["modes"] = []
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("svc-a", "modes")
    assert "no modes" in issue.problem and "staffed, self_service" in issue.problem


def test_repeated_mode_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["modes"] = ["staffed", "staffed"]
    issue = only_issue(catalog_data)
    assert issue.field == "modes" and "listed twice: staffed" in issue.problem


def test_misspelt_key_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["caveat"] = []
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("svc-a", "caveat")
    assert "spelling" in issue.fix


def test_id_must_be_a_slug(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["id"] = "DL Renewal"
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == ("DL Renewal", "id")
    assert "dl-renewal-expiry" in issue.fix


def test_service_without_usable_id_is_named_by_position(
    catalog_data: dict[str, Any],
) -> None:
    del catalog_data["services"][1]["id"]
    issue = only_issue(catalog_data)
    assert issue.service_id == "services[1] (no valid id)"
    assert issue.field == "id"


def test_delivery_needs_a_postal_address(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["form_fields"] = ["phone", "delivery"]
    issue = only_issue(catalog_data)
    assert issue.service_id == "svc-a"
    assert "add 'postal_address'" in issue.problem


def test_self_service_needing_id_number_needs_the_card_reader(
    catalog_data: dict[str, Any],
) -> None:
    catalog_data["services"][0]["devices"] = ["printer"]
    issue = only_issue(catalog_data)
    assert "add 'idcard'" in issue.problem


def test_locale_must_name_both_languages(catalog_data: dict[str, Any]) -> None:
    catalog_data["locale"] = ["zh"]
    issue = only_issue(catalog_data)
    assert (issue.service_id, issue.field) == (None, "locale")
    assert "['zh', 'en']" in issue.problem


def test_catalogue_needs_services(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"] = []
    assert "no services" in only_issue(catalog_data).problem


def test_version_must_be_positive(catalog_data: dict[str, Any]) -> None:
    catalog_data["version"] = 0
    issue = only_issue(catalog_data)
    assert issue.field == "version"


def test_every_problem_is_reported_at_once(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["devices"] = ["camera"]
    catalog_data["services"][1]["modes"] = []
    with pytest.raises(CatalogError) as caught:
        ServiceCatalog.from_mapping(catalog_data, source="test.toml")
    message = str(caught.value)
    assert message.startswith("test.toml: 2 problems in the service catalogue:")
    assert "service 'svc-a' field 'devices[0]'" in message
    assert "service 'svc-b' field 'modes'" in message


def test_direct_construction_validates_too(
    service_data: Callable[..., dict[str, Any]],
) -> None:
    with pytest.raises(ValidationError, match="scanner"):
        Service.model_validate(service_data("svc-a", devices=["camera"]))


def test_load_catalog_reports_file_service_and_field(
    tmp_path: Path, shipped_catalog_path: Path
) -> None:
    text = shipped_catalog_path.read_text(encoding="utf-8")
    broken = tmp_path / "catalog.toml"
    broken.write_text(text.replace('devices = ["idcard", "printer"]', 'devices = ["printr"]', 1))
    with pytest.raises(CatalogError) as caught:
        load_catalog(broken)
    assert str(broken) in str(caught.value)
    [issue] = caught.value.issues
    assert (issue.service_id, issue.field) == ("dl-renewal-expiry", "devices[0]")


def test_load_catalog_reports_toml_syntax(tmp_path: Path) -> None:
    broken = tmp_path / "catalog.toml"
    broken.write_text('version = 1\ntitle = { zh = "a",\n en = "b" }\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(broken)


def test_load_catalog_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "absent.toml")
