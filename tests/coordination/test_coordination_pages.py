"""The coordination area in the browser (SPEC §11): the case page's section and forms, the 协作事项
page where the entrusted court works, refusals shown on the form, constant queries, and the
supervisors' dashboard rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.coordination import services
from cases.models import Case, Delegation

from .conftest import at, in_progress


def browser(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_upper_courts_bureau_head_is_offered_supervision_and_transfer_on_a_case_below(cast, xg_case):
    page = browser(cast.head).get(reverse("case-detail", args=[xg_case.pk])).content.decode()
    assert "协作与监督" in page and 'id="action-supervise"' in page and 'id="action-transfer"' in page
    # the handling court's own judge is offered neither
    page = browser(cast.xg_judge).get(reverse("case-detail", args=[xg_case.pk])).content.decode()
    assert 'id="action-supervise"' not in page and 'id="action-transfer"' not in page
    assert 'id="action-delegate"' in page  # but may entrust a task to another court


def test_a_take_up_from_the_case_page_renumbers_the_case_and_leaves_the_old_court_read_only(cast, courts, xg_case):
    old = xg_case.number
    r = browser(cast.head).post(reverse("case-coordination", args=[xg_case.pk, "transfer"]), {
        "transfer-kind": "take_up", "transfer-reason": "关联案件集中执行"})
    assert r.status_code == 302
    case = Case.objects.get(pk=xg_case.pk)
    assert case.court_id == courts.luoyang.pk and case.number != old
    page = browser(cast.xg_judge).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "本院仅可查阅" in page and old in page
    listing = browser(cast.judge).get(reverse("case-list"), {"q": old, "scope": "all"}).content.decode()
    assert case.number in listing


def test_a_refused_transfer_shows_every_reason_on_the_form_and_changes_nothing(cast, courts, xg_case):
    r = browser(cast.head).post(reverse("case-coordination", args=[xg_case.pk, "transfer"]), {
        "transfer-kind": "reassign", "transfer-to_court": str(courts.hangzhou.pk), "transfer-reason": "交叉执行"})
    assert r.status_code == 422
    assert "不在贵院辖区内" in r.content.decode()
    assert Case.objects.get(pk=xg_case.pk).court_id == courts.xigong.pk


def test_the_entrusted_bureau_accepts_a_task_on_the_coordination_page(cast, courts, ly_case):
    d = services.delegation_request(case=ly_case, actor=cast.judge, to_court=courts.hangzhou, task="serve",
                                    details="向被执行人在杭州的住所送达执行通知书", occurred_at=at(2026, 4, 2, 9))
    page = browser(cast.hz_bureau).get(reverse("coordination")).content.decode()
    # the task with the case's number, parties and basis; the handler list is the entrusted court's own
    assert ly_case.number in page and ly_case.basis in page and "受洛阳市中级人民法院委托" in page
    assert cast.hz_judge.name in page and cast.judge.name not in page.split('id="action-delegations')[1]
    # a refusal is shown in place, nothing changes
    url = reverse("coordination-action", args=["delegations", d.pk, "accept"])
    r = browser(cast.hz_bureau).post(url, {f"delegations-{d.pk}-accept-handler": ""})
    assert r.status_code == 400 and "action-form-failed" in r.content.decode()
    assert Delegation.objects.get(pk=d.pk).status == "requested"
    r = browser(cast.hz_bureau).post(url, {f"delegations-{d.pk}-accept-handler": str(cast.hz_judge.pk)})
    assert r.status_code == 302
    assert Delegation.objects.get(pk=d.pk).handler_id == cast.hz_judge.pk


@pytest.mark.parametrize("n", [1, 4])
def test_the_coordination_page_runs_a_constant_number_of_queries(cast, courts, now, rules, n,
                                                                 django_assert_max_num_queries):
    for _ in range(n):
        case = in_progress(cast.clerk, cast.bureau, cast.judge)
        services.delegation_request(case=case, actor=cast.judge, to_court=courts.hangzhou, task="investigate",
                                    details="调查", occurred_at=at(2026, 4, 2, 9))
        services.dispute_report(case=case, actor=cast.head, other_court=courts.xigong, summary="争议",
                                occurred_at=at(2026, 4, 2, 9))
    client = browser(cast.hz_bureau)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("coordination")).status_code == 200
    client = browser(cast.head)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("coordination")).status_code == 200


def test_the_dashboard_lists_overdue_replies_open_disputes_and_delegations_by_court(cast, courts, xg_case, ly_case):
    services.supervision_order_issue(case=xg_case, actor=cast.ha_supervisor, instructions="请报告进展。",
                                     occurred_at=at(2026, 4, 1, 9))  # reply due 04-16: overdue by now (06-01)
    services.dispute_report(case=ly_case, actor=cast.head, other_court=courts.xigong, summary="争议",
                            occurred_at=at(2026, 4, 1, 9))
    services.delegation_request(case=ly_case, actor=cast.judge, to_court=courts.hangzhou, task="investigate",
                                details="调查", occurred_at=at(2026, 4, 2, 9))
    client = browser(cast.ha_supervisor)
    for tab, expected in (("replies", xg_case.number), ("disputes", ly_case.number),
                          ("delegations", courts.hangzhou.name)):
        page = client.get(reverse("dashboard"), {"tab": tab}).content.decode()
        assert expected in page, tab
    # Hangzhou's supervisor sees the task entrusted to his court, and nothing of Henan's order or dispute
    page = browser(cast.hz_supervisor).get(reverse("dashboard"), {"tab": "delegations"}).content.decode()
    assert courts.luoyang.name in page
    page = browser(cast.hz_supervisor).get(reverse("dashboard"), {"tab": "replies"}).content.decode()
    assert xg_case.number not in page
