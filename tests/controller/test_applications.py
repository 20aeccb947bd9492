"""Applications on the controller: projection from events, workflow, progress, report, API."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import controller.features  # noqa: F401  (registers feature tables)
from controller.applications import Applications, TransitionError
from controller.applications.api import applications_router
from controller.applications.projector import project_applications
from controller.applications.reports import report_csv, services_report
from controller.db import Station, migrate
from controller.features.applications import progress_handler
from sync.envelope import Envelope
from sync.request_bodies import ProgressQuery
from sync.requests import BadRequest, KioskRequest, decode_query
from sync.storage import make_engine, sqlite_url

NUMBER = "33010619850312001X"  # fictitious (config/devices/cards.toml)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    made = make_engine(sqlite_url(tmp_path / "c.db"))
    migrate(made)
    with Session(made) as session, session.begin():
        session.add(Station(id="hz-xihu-wensan", name="文三", name_en="Wensan",
                            district="西湖区", address="文三路", lat=30.27, lon=120.13,
                            timezone="Asia/Shanghai"))
    return made


def submitted(seq: int, *, mode: str = "self_service", ts: datetime | None = None,
              service: str = "dl-renewal-expiry") -> Envelope:
    return Envelope(kiosk="k-wensan-1", seq=seq, type="application.submitted", body={
        "tracking_no": f"T261125-K-WENSAN-1-{seq:06d}", "service": service,
        "station": "hz-xihu-wensan", "mode": mode, "channel": "kiosk",
        "applicant": "李**", "applicant_ref": "ref-1", "id_number": NUMBER,
        "fields": {"phone": "13912345678", "delivery": "pickup"}},
        ts=ts or datetime(2026, 11, 25, 14, 0, tzinfo=UTC))


def project(engine: Engine, *events: Envelope) -> None:
    with Session(engine) as session, session.begin():
        project_applications(session, list(events))


def test_submissions_become_records_once(engine):
    project(engine, submitted(1))
    project(engine, submitted(1))  # a replay under another event id
    apps = Applications(engine)
    listed = apps.find()
    assert len(listed) == 1 and listed[0]["status"] == "submitted"
    shown = apps.show("T261125-K-WENSAN-1-000001")
    assert shown["id_number_held"] and shown["applicant"] == "李**"
    assert NUMBER not in str(listed)


def test_workflow_moves_forward_and_wipes_personal_data_when_closed(engine):
    project(engine, submitted(1))
    apps = Applications(engine)
    tracking = "T261125-K-WENSAN-1-000001"
    with pytest.raises(TransitionError, match="can move to accepted, rejected"):
        apps.move(tracking, "done")
    for status in ("accepted", "in_progress", "ready", "done"):
        apps.move(tracking, status, actor="officer")
    shown = apps.show(tracking)
    assert shown["status"] == "done" and not shown["id_number_held"]
    assert shown["details"] == {"delivery": "pickup"}
    assert [h["status"] for h in shown["history"]] == [
        "submitted", "accepted", "in_progress", "ready", "done"]


def test_rejection_needs_a_reason_that_the_kiosk_shows(engine):
    project(engine, submitted(1))
    apps = Applications(engine)
    with pytest.raises(TransitionError, match="reason"):
        apps.move("T261125-K-WENSAN-1-000001", "rejected")
    apps.move("T261125-K-WENSAN-1-000001", "rejected", reason="体检证明已过期")
    answer = progress_handler(apps)("k-any", ProgressQuery(tracking_no="t261125-k-wensan-1-000001"))
    assert answer.applications[0].status == "rejected"
    assert answer.applications[0].reason == "体检证明已过期"


def test_progress_by_applicant_reference_lists_only_theirs(engine):
    project(engine, submitted(1), submitted(2))
    handle = progress_handler(Applications(engine))
    assert len(handle("k", ProgressQuery(applicant_ref="ref-1")).applications) == 2
    assert handle("k", ProgressQuery(applicant_ref="someone-else")).applications == []
    with pytest.raises(BadRequest, match="send a tracking_no or an applicant_ref"):
        decode_query(KioskRequest("application.progress", {}))
    assert NUMBER not in handle("k", ProgressQuery(applicant_ref="ref-1")).model_dump_json()


def test_services_report_counts_days_one_visit_and_after_hours(engine):
    evening = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)  # 00:30 next day in Hangzhou
    project(engine, submitted(1, mode="staffed"), submitted(2), submitted(3, ts=evening))
    apps = Applications(engine)
    for seq, visited in ((1, False), (2, True)):
        tracking = f"T261125-K-WENSAN-1-{seq:06d}"
        for status in ("accepted", "ready"):
            apps.move(tracking, status)
        apps.move(tracking, "done", visited=visited)
    report = services_report(engine, date(2026, 11, 25), date(2026, 11, 26))
    assert [(r["day"], r["applications"]) for r in report.daily] == [
        ("2026-11-25", 2), ("2026-11-26", 1)]
    share = report.services[0]
    assert (share.applications, share.completed, share.one_visit) == (3, 2, 1)
    assert share.one_visit_share == 0.5 and share.after_hours_share == pytest.approx(2 / 3)
    assert "service,,,dl-renewal-expiry,3,2,0.500,0.667" in report_csv(report)


def test_http_api_moves_and_reports(engine):
    project(engine, submitted(1))
    api = FastAPI()
    api.include_router(applications_router(Applications(engine)))
    client = TestClient(api)
    tracking = "T261125-K-WENSAN-1-000001"
    assert client.post(f"/api/v1/applications/{tracking}/status",
                       json={"status": "accepted", "actor": "officer"}).status_code == 200
    conflict = client.post(f"/api/v1/applications/{tracking}/status", json={"status": "done"})
    assert conflict.status_code == 409 and "can move to" in conflict.json()["detail"]
    assert client.get("/api/v1/applications/T000000-X-000001").status_code == 404
    csv_text = client.get("/api/v1/reports/services",
                          params={"from": "2026-11-25", "to": "2026-11-25",
                                  "format": "csv"}).text
    assert csv_text.startswith("section,day,station,service")
    assert client.get("/api/v1/reports/services",
                      params={"from": "2026-11-26", "to": "2026-11-25"}).status_code == 422


def test_personal_data_leaves_stored_events_after_the_application_closed_long_enough(engine):
    import json
    from datetime import timedelta

    from sqlalchemy import select

    from controller.applications.retention import erase_closed_personal_data
    from controller.db import Event
    from controller.registry import FleetWriter
    from sync.envelope import utc_now

    events = [submitted(1), submitted(2)]
    with Session(engine) as session, session.begin():
        project_applications(session, FleetWriter(session).write(events, [], [], []).inserted)
    Applications(engine).move("T261125-K-WENSAN-1-000001", "rejected", reason="incomplete",
                              actor="officer")
    job = erase_closed_personal_data(keep_days=30)

    def run(days: float) -> int:
        with Session(engine) as session, session.begin():
            return job(session, utc_now() + timedelta(days=days))

    def bodies() -> dict[int, dict]:
        with Session(engine) as session:
            return {e.seq: json.loads(e.body) for e in session.scalars(select(Event))}

    assert run(29) == 0
    assert run(31) == 1
    closed, still_open = bodies()[1], bodies()[2]
    assert NUMBER not in json.dumps(closed) and "13912345678" not in json.dumps(closed)
    assert closed["tracking_no"] == "T261125-K-WENSAN-1-000001" and closed["service"]
    assert still_open["id_number"] == NUMBER  # open: the officers still need it
    assert run(400) == 0  # erased once
