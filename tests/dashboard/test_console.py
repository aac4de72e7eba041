"""The alert console (SPEC §5, §8; [004 §8, §25–26]): court scope, filters, actions, live counts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CaseStatus
from deadlines.models import Alert, AlertLevel, AlertStatus
from deadlines.scan import scan_deadlines
from enforcement.models import AuditEvent, Notification, Role
from tests.factories import UserFactory, advance, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock")

TZ = ZoneInfo("Asia/Shanghai")
# CASE_ACCEPT (7 days from filing on 2026-11-25) is breached by then, not yet escalated.
AFTER_DUE = datetime(2026, 12, 3, 12, 0, tzinfo=TZ)


@pytest.fixture
def alerts(rules, people, courts):
    """One breached CASE_ACCEPT alert for a case of each of 洛阳中院, 西工区 and 杭州中院."""
    hz_clerk = UserFactory(username="hz_clerk", name="杭立案", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    ly = file_case(people.clerk)
    xg = file_case(people.xg_clerk)
    hz = file_case(hz_clerk)
    scan_deadlines(now=AFTER_DUE)
    return {"ly": ly, "xg": xg, "hz": hz}


def login(client, user):
    client.force_login(user)
    return client


def test_a_high_court_supervisor_sees_alerts_of_every_court_below_but_not_of_another_province(client, alerts,
                                                                                               people):
    # when
    r = login(client, people.ha_supervisor).get("/dashboard/")
    # then
    assert r.status_code == 200
    body = r.content.decode()
    assert alerts["ly"].number in body
    assert alerts["xg"].number in body
    assert alerts["hz"].number not in body


def test_a_court_outside_the_supervisors_tree_is_404(client, alerts, people, courts):
    c = login(client, people.ha_supervisor)
    assert c.get(f"/dashboard/?court={courts.hangzhou.pk}").status_code == 404
    assert c.get(f"/dashboard/counts/?court={courts.hangzhou.pk}").status_code == 404
    assert c.get(f"/dashboard/metrics/?court={courts.hangzhou.pk}").status_code == 404


def test_choosing_a_court_narrows_the_console_to_its_subtree(client, alerts, people, courts):
    r = login(client, people.ha_supervisor).get(f"/dashboard/?court={courts.xigong.pk}")
    body = r.content.decode()
    assert alerts["xg"].number in body
    assert alerts["ly"].number not in body


def test_a_judge_cannot_open_the_dashboard(client, alerts, people):
    assert login(client, people.judge).get("/dashboard/").status_code == 403


def test_bad_filters_are_reported_on_the_page_and_ignored(client, alerts, people):
    r = login(client, people.ha_supervisor).get("/dashboard/?level=purple&handler=abc&age=forever")
    assert r.status_code == 200
    body = r.content.decode()
    assert "级别无效" in body and "须为用户 id" in body and "时长无效" in body
    assert alerts["ly"].number in body


def test_filters_stay_in_the_url_and_narrow_the_list(client, alerts, people):
    c = login(client, people.ha_supervisor)
    body = c.get(f"/dashboard/?handler={people.xg_judge.pk}").content.decode()
    # no alert is handled by 郑法官 yet (cases are not assigned): the list is empty
    assert "没有符合条件的预警" in body
    body = c.get("/dashboard/?level=breached&node=CASE_ACCEPT").content.decode()
    assert alerts["ly"].number in body
    assert 'name="return_query" value="level=breached&amp;node=CASE_ACCEPT' in body


def test_the_live_counts_endpoint_gives_open_alerts_by_level(client, alerts, people):
    r = login(client, people.ha_supervisor).get("/dashboard/counts/")
    assert r.status_code == 200
    data = r.json()
    assert data["levels"][AlertLevel.BREACHED] == 2  # 洛阳中院 + 西工区, not 杭州
    assert data["open"] == 2


def test_acknowledging_with_a_note_closes_the_alert_for_the_console(client, alerts, people):
    # given
    alert = Alert.objects.get(case=alerts["ly"], level=AlertLevel.BREACHED)
    # when
    r = login(client, people.ha_supervisor).post(f"/dashboard/alerts/{alert.pk}/acknowledge/",
                                                 {"note": "已电话核实", "return_query": "level=breached"})
    # then
    assert r.status_code == 302 and r["Location"] == "/dashboard/?level=breached"
    alert.refresh_from_db()
    assert (alert.status, alert.note, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, "已电话核实",
                                                                 people.ha_supervisor)
    assert AuditEvent.objects.filter(action="alert.acknowledge", object_id=str(alert.pk)).exists()


def test_prompting_notifies_the_handler_and_is_audited(client, alerts, people):
    # given a case assigned to 陈法官, so its deadlines have a handler
    case = advance(alerts["ly"], CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    from cases import services

    services.case_assign(case=case, actor=people.bureau, judge=people.judge)
    alert = Alert.objects.get(case=case, level=AlertLevel.BREACHED)
    # when
    login(client, people.supervisor).post(f"/dashboard/alerts/{alert.pk}/prompt/", {"note": "请今日内接收"})
    # then
    note = Notification.objects.get(kind="alert.prompt")
    assert note.recipient == people.judge and "请今日内接收" in note.body
    ev = AuditEvent.objects.get(action="alert.prompt")
    assert ev.actor == people.supervisor and ev.reason == "请今日内接收"


def test_prompting_an_alert_without_handler_shows_the_reason(client, alerts, people):
    alert = Alert.objects.get(case=alerts["xg"], level=AlertLevel.BREACHED)
    r = login(client, people.ha_supervisor).post(f"/dashboard/alerts/{alert.pk}/prompt/", follow=True)
    assert "尚无承办人" in r.content.decode()
    assert not AuditEvent.objects.filter(action="alert.prompt").exists()


def test_escalating_raises_one_escalated_alert_and_notifies_the_bureau_head(client, alerts, people):
    # given
    alert = Alert.objects.get(case=alerts["ly"], level=AlertLevel.BREACHED)
    c = login(client, people.supervisor)
    # when escalated twice, then scanned at the escalation time
    c.post(f"/dashboard/alerts/{alert.pk}/escalate/", {"note": "逾期未接收"})
    second = c.post(f"/dashboard/alerts/{alert.pk}/escalate/", follow=True)
    scan_deadlines(now=datetime(2026, 12, 10, 12, 0, tzinfo=TZ))
    # then exactly one escalated alert, one notification to 吴局长, one audit event
    assert Alert.objects.filter(deadline=alert.deadline, level=AlertLevel.ESCALATED).count() == 1
    assert "已升级" in second.content.decode()
    assert Notification.objects.filter(kind="alert.escalated", recipient=people.head).count() == 1
    assert AuditEvent.objects.filter(action="alert.escalate").count() == 1


def test_a_supervisor_cannot_act_on_another_provinces_alert(client, alerts, people):
    alert = Alert.objects.get(case=alerts["hz"], level=AlertLevel.BREACHED)
    r = login(client, people.ha_supervisor).post(f"/dashboard/alerts/{alert.pk}/acknowledge/")
    assert r.status_code == 404
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.OPEN


def test_the_console_warns_that_next_years_holidays_are_not_loaded(client, alerts, people):
    from deadlines.models import CalendarYear

    CalendarYear.objects.filter(year=2027).delete()
    body = login(client, people.ha_supervisor).get("/dashboard/").content.decode()
    assert "2027 年节假日安排尚未载入，跨年期限为暂定" in body


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/?tab=limit", "/dashboard/?tab=late",
                                  "/dashboard/metrics/", "/dashboard/counts/"])
def test_the_dashboard_runs_the_same_queries_for_3_and_15_cases(client, rules, people, path):
    c = login(client, people.ha_supervisor)
    for _ in range(3):
        file_case(people.clerk)
    scan_deadlines(now=AFTER_DUE)
    c.get(path)
    few = _queries(c, path)
    for _ in range(12):
        file_case(people.xg_clerk)
    scan_deadlines(now=AFTER_DUE)
    from deadlines.supervision.metrics import stats_refresh

    stats_refresh()
    assert _queries(c, path) == few
