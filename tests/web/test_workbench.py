"""The workbench, the property section and the generic object actions in the browser (issue: workbench)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import Property
from cases.property import services as ps
from deadlines.models import Deadline
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def judge_client(client, people):
    client.force_login(people.judge)
    return client


def in_progress(people, filed=None):
    c = file_case(people.clerk, filed_at=filed or at(2026, 11, 2, 9))
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=at(2026, 11, 2, 10))
    c = services.case_assign(case=c, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 11, 2, 11))
    return services.case_accept(case=c, actor=people.judge, occurred_at=at(2026, 11, 2, 12))


@pytest.mark.smoke
def test_workbench_shows_each_case_with_its_next_deadline_as_a_traffic_light(rules, people, judge_client):
    # given an overdue case (NOTICE_SEND due 11-05, QUERY_START 11-09) and a fresh one
    old = in_progress(people)
    fresh = file_case(people.clerk)
    fresh = services.case_receive(case=fresh, actor=people.bureau)
    services.case_assign(case=fresh, actor=people.bureau, judge=people.judge)
    # when
    page = html(judge_client.get(reverse("home")))
    # then the overdue case shows red first, with its node, and appears in the "today" list
    rows = page[page.index('id="workbench-cases"'):]
    assert rows.index(old.number) < rows.index(fresh.number)
    first_row = rows[rows.index("<tbody>"):rows.index(old.number)]
    assert "light-red" in first_row and "发出执行通知书、报告财产令" in first_row
    today = page[page.index('id="today"'):page.index('id="workbench-cases"')]
    assert old.number in today and "已超期" in today


def test_workbench_filters_overdue_and_node_and_runs_constant_queries(rules, people, judge_client):
    overdue = in_progress(people)
    fresh = file_case(people.clerk)
    fresh = services.case_receive(case=fresh, actor=people.bureau)
    services.case_assign(case=fresh, actor=people.bureau, judge=people.judge)
    page = html(judge_client.get(reverse("home") + "?overdue=1"))
    cases_table = page.split('id="workbench-cases"')[1]
    assert overdue.number in cases_table and fresh.number not in cases_table
    # the assigned case waits in the judge's 待接收 list instead
    assert fresh.number in page.split('id="to-accept"')[1].split("</section>")[0]
    page = html(judge_client.get(reverse("home") + "?node=CASE_ACCEPT"))
    assert fresh.number in page.split('id="workbench-cases"')[1]
    assert overdue.number not in page.split('id="workbench-cases"')[1]
    judge_client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        judge_client.get(reverse("home"))
    for _ in range(8):
        in_progress(people)
    with CaptureQueriesContext(connection) as many:
        judge_client.get(reverse("home"))
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_each_role_lands_where_its_work_is(client, people):
    for username, target in (("ly_clerk", "case-file"), ("ly_bureau", "bureau-queue")):
        client.force_login(getattr(people, {"ly_clerk": "clerk", "ly_bureau": "bureau"}[username]))
        assert client.get(reverse("home"))["Location"] == reverse(target)


def test_property_actions_on_the_case_page_go_through_the_generic_endpoint(rules, people, judge_client):
    case = in_progress(people)
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 11, 3, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=["bank_deposit"], occurred_at=at(2026, 11, 3, 10),
                      properties=[ps.FoundProperty("bank_deposit", "工商银行 6222…8888", online_controllable=True)])
    deposit = Property.objects.get(case=case)
    page = html(judge_client.get(reverse("case-detail", args=[case.pk])))
    url = reverse("object-transition", args=["properties", deposit.pk, "control"])
    assert url in page and "采取控制措施" in page and "工商银行" in page
    # a freeze without an amount: the form comes back with the reason and its source; nothing changes
    prefix = f"properties-{deposit.pk}-control"
    r = judge_client.post(url, {f"{prefix}-measure": "freeze", f"{prefix}-mode": "live", f"{prefix}-queue": "first"})
    assert r.status_code == 422
    assert "冻结银行存款必须写明具体冻结数额" in html(r) and "第十五条" in html(r) and "[004 §15]" not in html(r)
    deposit.refresh_from_db()
    assert deposit.status == "discovered"
    # with an amount it is frozen, and the online-control deadline is met
    r = judge_client.post(url, {f"{prefix}-measure": "freeze", f"{prefix}-mode": "live", f"{prefix}-queue": "first",
                                f"{prefix}-amount": "50000.00"})
    assert r.status_code == 302 and r["Location"].endswith("#properties")
    deposit.refresh_from_db()
    assert deposit.status == "controlled" and deposit.freeze_amount == Decimal("50000.00")
    assert Deadline.objects.get(subject_type="property", subject_id=deposit.pk, node="CONTROL_ONLINE").status == "met"
    # the frozen deposit now offers its next actions (transfer to the case account needs a receipt number)
    page = html(judge_client.get(reverse("case-detail", args=[case.pk])))
    assert reverse("object-transition", args=["properties", deposit.pk, "realize"]) in page
    assert f'name="properties-{deposit.pk}-realize-receipt"' in page


def test_other_courts_objects_are_404_on_the_generic_endpoint(rules, people, client):
    case = in_progress(people)
    lead = ps.lead_receive(case=case, actor=people.judge, description="线索", occurred_at=at(2026, 11, 3, 9))
    client.force_login(people.hz_judge)
    r = client.post(reverse("object-transition", args=["leads", lead.pk, "start_verification"]), {})
    assert r.status_code == 404
    assert client.post(reverse("object-transition", args=["nope", 1, "x"]), {}).status_code == 404


def test_query_and_lead_forms_on_the_case_page(rules, people, judge_client):
    case = in_progress(people)
    r = judge_client.post(reverse("case-query", args=[case.pk]), {
        "query-channels": ["national", "provincial"],
        "query-categories": ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance",
                             "online_payment", "other"]})
    assert r.status_code == 302
    assert Deadline.objects.get(case=case, node="QUERY_START").status == "met"
    r = judge_client.post(reverse("case-lead", args=[case.pk]), {"lead-description": ""})
    assert r.status_code == 400 and "该字段是必填项" in html(r)
    r = judge_client.post(reverse("case-lead", args=[case.pk]), {"lead-description": "被执行人有一辆货车",
                                                                 "lead-urgent": "on"})
    assert r.status_code == 302 and case.leads.get().urgent


def test_deadline_explanation_page_in_chinese(rules, people, judge_client):
    case = file_case(people.clerk, filed_at=at(2026, 9, 28, 9))
    services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 9, 29, 10))
    d = Deadline.objects.get(case=case, node="QUERY_START")
    page = html(judge_client.get(reverse("deadline-explain", args=[d.pk])))
    assert "2026-10-12 23:59:59" in page and "第十三条" in page and "[004 §13]" not in page and "国庆节" in page
    judge_client.force_login(people.hz_judge)
    assert judge_client.get(reverse("deadline-explain", args=[d.pk])).status_code == 404


def test_notifications_page_lists_and_reads_them(rules, people, client):
    from enforcement.models import Notification

    Notification.objects.create(recipient=people.judge, kind="alert.breached", title="【已超期】测试节点")
    client.force_login(people.judge)
    assert "未读通知 1" in html(client.get(reverse("case-list")))
    page = html(client.get(reverse("notifications")))
    assert "【已超期】测试节点" in page
    assert Notification.objects.get().read_at is not None


def test_case_page_runs_a_constant_number_of_queries_whatever_its_property(rules, people, judge_client):
    case = in_progress(people)
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 11, 3, 9))

    def found(n, hour):
        ps.query_feedback(query=q, actor=people.judge, categories=["vehicle"], occurred_at=at(2026, 11, 3, hour),
                          properties=[ps.FoundProperty("vehicle", f"豫C·{hour}{i:03d}", Decimal("1000"))
                                      for i in range(n)])
        for i in range(n):
            ps.lead_receive(case=case, actor=people.judge, description=f"线索{hour}-{i}",
                            occurred_at=at(2026, 11, 3, hour, 30))

    found(2, 10)
    url = reverse("case-detail", args=[case.pk])
    judge_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert judge_client.get(url).status_code == 200
    found(12, 11)
    with CaptureQueriesContext(connection) as many:
        assert judge_client.get(url).status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries)
