"""``GET /api/v1/metrics/`` and the exports (SPEC §8, §13): same numbers as the page, court scope, input errors."""

from __future__ import annotations

import io

import pytest

from deadlines.supervision import metrics
from enforcement.models import AuditEvent

from .conftest import NOW


@pytest.fixture
def stats(history):
    metrics.stats_refresh(now=NOW)
    return history


URL = "/api/v1/metrics/?court={}&from=2026-01-01&to=2026-06-30"


def test_the_api_returns_the_indicators_of_the_courts_subtree_with_their_counts(api, stats, people, courts):
    # when
    r = api(people.ha_supervisor).get(URL.format(courts.luoyang.pk))
    # then
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["closure_rate"] == {"value": round(4 / 7, 4), "closed": 4, "carried_over": 3, "filed": 4}
    assert data["recovery_rate"] == {"value": 0.525, "paid": "105000.00", "claim": "200000.00"}
    assert data["overdue_rate"]["value"] == round(3 / 7, 4)
    # c1, c4, c9 on time of 4 met plus c2's open breach (issue 17: an unfinished late node counts as late)
    assert data["node_on_time"]["CASE_LIMIT"]["value"] == 0.6 and data["node_on_time"]["CASE_LIMIT"]["open_late"] == 1
    assert sorted(data["courts_included"]) == sorted([courts.luoyang.pk, courts.xigong.pk])
    assert {c["court_name"] for c in data["courts"]} == {"洛阳市中级人民法院", "洛阳市西工区人民法院"}


def test_a_court_the_caller_cannot_see_is_404(api, stats, people, courts):
    assert api(people.ha_supervisor).get(URL.format(courts.hangzhou.pk)).status_code == 404
    # a basic-court supervisor cannot look up at the intermediate court either
    assert api(people.supervisor).get(URL.format(courts.henan.pk)).status_code == 404


def test_bad_dates_are_400_with_field_errors(api, stats, people, courts):
    r = api(people.ha_supervisor).get(f"/api/v1/metrics/?court={courts.luoyang.pk}&from=2026-13-01&to=yesterday")
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"from", "to"}


def test_from_after_to_is_400(api, stats, people, courts):
    r = api(people.ha_supervisor).get(f"/api/v1/metrics/?court={courts.luoyang.pk}&from=2026-07-01&to=2026-06-30")
    assert r.status_code == 400
    assert "from" in r.json()["errors"]


def test_a_non_numeric_court_is_400(api, stats, people):
    r = api(people.ha_supervisor).get("/api/v1/metrics/?court=洛阳")
    assert r.status_code == 400 and "court" in r.json()["errors"]


def test_a_judge_may_not_read_the_indicators(api, stats, people, courts):
    assert api(people.judge).get(URL.format(courts.luoyang.pk)).status_code == 403


def test_the_schema_documents_the_metrics_shape(api, people):
    r = api(people.ha_supervisor).get("/api/v1/schema/?format=json")
    assert r.status_code == 200
    schema = r.json()
    props = schema["components"]["schemas"]["MetricsResponse"]["properties"]
    assert {"closure_rate", "actual_closure_rate", "recovery_rate", "average_days_to_close", "overdue_rate",
            "within_limit_rate", "average_days_to_pay", "node_on_time"} <= set(props)


def test_the_page_shows_each_indicator_with_its_definition(client, stats, people, courts):
    client.force_login(people.ha_supervisor)
    r = client.get(f"/dashboard/metrics/?court={courts.luoyang.pk}&from=2026-01-01&to=2026-06-30")
    body = r.content.decode()
    assert r.status_code == 200
    assert "57.1%" in body  # 执结率 4 ÷ 7
    assert "报告期内结案数 ÷（旧存案件数 + 新收案件数）" in body
    assert body.count("<svg class=\"chart\"") == len(metrics.DEFINITIONS)


def test_the_page_reports_a_reversed_period(client, stats, people):
    client.force_login(people.ha_supervisor)
    r = client.get("/dashboard/metrics/?from=2026-07-01&to=2026-06-01")
    assert r.status_code == 400
    assert "起始日期不能晚于截止日期" in r.content.decode()


def test_csv_export_has_the_figures_and_is_audited(client, stats, people, courts):
    client.force_login(people.ha_supervisor)
    r = client.get(f"/dashboard/metrics/export.csv?court={courts.luoyang.pk}&from=2026-01-01&to=2026-06-30")
    assert r.status_code == 200
    text = r.content.decode("utf-8-sig")
    assert "合计（含下级法院）,执结率,0.5714,4,7" in text
    ev = AuditEvent.objects.get(action="metrics.export")
    assert ev.actor == people.ha_supervisor and ev.after["format"] == "csv"


def test_excel_export_is_a_workbook_with_typed_cells_and_is_audited(client, stats, people, courts):
    from openpyxl import load_workbook

    client.force_login(people.ha_supervisor)
    r = client.get(f"/dashboard/metrics/export.xlsx?court={courts.luoyang.pk}&from=2026-01-01&to=2026-06-30")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["合计（含下级法院）", "实际执结率", 0.5, 2, 4] == rows[4][:5]
    # a rate is a number shown as a percentage, the period's bounds are dates
    assert ws.cell(row=5, column=3).number_format == "0.00%"
    assert ws.cell(row=2, column=3).is_date and ws.cell(row=2, column=3).number_format == "yyyy-mm-dd"
    assert AuditEvent.objects.filter(action="metrics.export", after__format="xlsx").count() == 1
