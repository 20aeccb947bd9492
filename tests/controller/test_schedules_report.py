"""The open-hours report: hand-checked figures, CSV and PNG."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from harness import in_process_controller
from PIL import Image

from controller.schedules.chart import CHART_SIZE

WEEK = {"from": "2026-11-02", "to": "2026-11-08"}  # Monday to Sunday, no holidays


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    (tmp_path / "config" / "schedules").mkdir(parents=True)  # nothing to seed
    monkeypatch.setenv("STATIONNET_CONFIG_DIR", str(tmp_path / "config"))
    service: Any = in_process_controller(tmp_path)
    client = TestClient(service.app)
    answer = client.put("/api/v1/schedules/hz-xihu-wensan", json={
        "opening_hours": {"staffed": "Mo-Fr 18:00-21:00", "self_service": "Sa,Su 09:00-17:00"},
        "effective_from": "2026-11-01"})
    assert answer.status_code == 200, answer.text
    yield client
    service.engine.dispose()


def test_hours_per_day_and_evening_weekend_shares_match_a_hand_count(api: TestClient) -> None:
    rows = {r["station"]: r for r in api.get("/api/v1/reports/hours", params=WEEK)
            .json()["rows"]}
    wensan = rows["hz-xihu-wensan"]
    # 5 evenings x 3 h staffed, 2 weekend days x 8 h self-service, over 7 days: 31 h.
    assert wensan["days"] == 7
    assert wensan["staffed_h"] == pytest.approx(15 / 7, abs=1e-3)
    assert wensan["self_service_h"] == pytest.approx(16 / 7, abs=1e-3)
    assert wensan["open_h"] == pytest.approx(31 / 7, abs=1e-3)
    assert wensan["evening_share"] == pytest.approx(15 / 31, abs=1e-4)
    assert wensan["weekend_share"] == pytest.approx(16 / 31, abs=1e-4)
    assert rows["hz-gongshu-daguan"]["open_h"] == 0  # no schedule: closed throughout
    network = rows["network"]
    assert network["open_h"] == pytest.approx(31 / 7 / 2, abs=1e-3)  # stations averaged
    assert network["evening_share"] == pytest.approx(15 / 31, abs=1e-4)  # weighted by time


def test_one_station_csv_and_png(api: TestClient) -> None:
    params = {**WEEK, "station": "hz-xihu-wensan"}
    text = api.get("/api/v1/reports/hours", params={**params, "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["station"] for r in rows] == ["hz-xihu-wensan", "network"]
    assert rows[0]["open_h_per_day"] == f"{31 / 7:.3f}"
    png = api.get("/api/v1/reports/hours", params={**params, "format": "png"})
    assert png.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.size == CHART_SIZE


def test_a_reversed_period_or_unknown_station_is_refused(api: TestClient) -> None:
    reversed_period = api.get("/api/v1/reports/hours",
                              params={"from": "2026-11-08", "to": "2026-11-02"})
    assert reversed_period.status_code == 422 and "swap them" in reversed_period.text
    unknown = api.get("/api/v1/reports/hours", params={**WEEK, "station": "hz-nowhere"})
    assert unknown.status_code == 422 and "hz-nowhere" in unknown.text
