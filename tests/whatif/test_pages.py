"""The what-if pages (SPEC §11b): drafts, the rules form, the replay and its report, exports, adoption."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from deadlines.models import DraftStatus, RuleDraft
from enforcement.models import AuditEvent

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _create(c, courts):
    r = c.post("/dashboard/whatif/", {"court": courts.luoyang.pk, "name": "查控提速（试行）",
                                      "period_from": "2026-09-01", "period_to": "2026-10-20"})
    assert r.status_code == 302, r.content.decode()[:2000]
    return RuleDraft.objects.get(name="查控提速（试行）")


def test_whatif_pages_draft_change_run_report_export_adopt(history, people, courts):
    c = client_for(people.head)
    assert "规则推演" in c.get("/dashboard/").content.decode()
    d = _create(c, courts)
    page = c.get(f"/dashboard/whatif/{d.pk}/").content.decode()
    assert "发起网络查控" in page and "尚未推演" in page
    rule = d.rules.get(node="QUERY_START")
    r = c.post(f"/dashboard/whatif/{d.pk}/rules/{rule.pk}/", {"start_event": "case.received", "period": "3",
                                                             "unit": "working_days"})
    assert r.status_code == 302
    assert c.post(f"/dashboard/whatif/{d.pk}/run/").status_code == 302
    page = c.get(f"/dashboard/whatif/{d.pk}/").content.decode()
    assert "新增超期的期限（5 个）" in page
    for number in (history.b.number, history.c.number, history.e.number, history.f.number, history.xg.number):
        assert number in page
    assert history.a.number not in page
    assert "陈法官" in page and "<svg" in page and "2026年9月" in page

    csv = c.get(f"/dashboard/whatif/{d.pk}/export.csv")
    assert csv.status_code == 200 and history.b.number in csv.content.decode("utf-8-sig")
    xlsx = c.get(f"/dashboard/whatif/{d.pk}/export.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert any(history.b.number == row[0] for row in ws.iter_rows(values_only=True))
    assert AuditEvent.objects.filter(action="ruledraft.export").count() == 2

    r = c.post(f"/dashboard/whatif/{d.pk}/adopt/", {"effective_from": "2026-10-21"}, follow=True)
    assert "草案已采用为规则集" in r.content.decode()
    d.refresh_from_db()
    assert d.status == DraftStatus.ADOPTED


def test_whatif_pages_bad_input_is_a_message_and_changes_nothing(history, people, courts):
    c = client_for(people.head)
    r = c.post("/dashboard/whatif/", {"court": courts.luoyang.pk, "name": "倒序",
                                      "period_from": "2026-10-20", "period_to": "2026-09-01"})
    assert r.status_code == 200 and "截止日期不得早于起始日期" in r.content.decode()
    assert not RuleDraft.objects.exists()
    d = _create(c, courts)
    rule = d.rules.get(node="QUERY_START")
    r = c.post(f"/dashboard/whatif/{d.pk}/rules/{rule.pk}/", {"start_event": "case.received", "period": "-1",
                                                             "unit": "working_days"}, follow=True)
    assert "greater than or equal" not in r.content.decode()
    rule.refresh_from_db()
    assert rule.period == 5
    r = c.post(f"/dashboard/whatif/{d.pk}/run/", follow=True)
    assert "草案与现行规则相同" in r.content.decode()


def test_whatif_pages_only_drafters_and_only_their_courts(history, people, courts):
    assert client_for(people.judge).get("/dashboard/whatif/").status_code == 403
    d = _create(client_for(people.head), courts)
    assert client_for(people.hz_supervisor).get(f"/dashboard/whatif/{d.pk}/").status_code == 404
    assert client_for(people.supervisor).get(f"/dashboard/whatif/{d.pk}/").status_code == 200


def test_whatif_pages_report_queries_constant(history, people, courts, django_assert_max_num_queries):
    c = client_for(people.head)
    d = _create(c, courts)
    rule = d.rules.get(node="QUERY_START")
    c.post(f"/dashboard/whatif/{d.pk}/rules/{rule.pk}/", {"start_event": "case.received", "period": "3",
                                                         "unit": "working_days"})
    c.post(f"/dashboard/whatif/{d.pk}/run/")
    with django_assert_max_num_queries(15):
        assert c.get(f"/dashboard/whatif/{d.pk}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get("/dashboard/whatif/").status_code == 200
