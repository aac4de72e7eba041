"""Pending approvals on the supervisors' dashboard (SPEC §8, §11a): a tab listing every waiting request
of the scope with the court it waits in, the counts by court, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CaseStatus
from enforcement.approvals.services import approval_request
from enforcement.models import Role
from tests.factories import UserFactory, advance, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock")


def _ask(people, *, xigong=False):
    if xigong:
        bureau = UserFactory(court=people.xg_judge.court, roles=[Role.BUREAU_CLERK])
        case = advance(file_case(people.xg_clerk), CaseStatus.IN_PROGRESS, bureau=bureau, judge=people.xg_judge)
        return approval_request(case=case, actor=people.xg_judge, kind="suspension", reason="被执行人重病住院")
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    return approval_request(case=case, actor=people.judge, kind="override", code="termination_too_early",
                            reason="被执行人确无财产")


def _queries(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200
    return len(ctx.captured_queries), r.content.decode()


def test_pending_approvals_are_listed_by_court_for_the_supervisor(client, people):
    ly, xg = _ask(people), _ask(people, xigong=True)
    done = _ask(people)
    approved_case = done.case
    from enforcement.approvals.services import approval_approve

    approval_approve(request=done, actor=people.head)
    client.force_login(people.ha_supervisor)
    _, html = _queries(client, "/dashboard/?tab=approvals")
    assert "待审批事项" in html
    body = html[html.index("各法院待审批"):]
    assert ly.case.number in body and xg.case.number in body and approved_case.number not in body
    assert "洛阳市中级人民法院 1 件" in body and "洛阳市西工区人民法院 1 件" in body
    assert "中止/暂缓执行" in body and "立案未满三个月以终本方式结案" in body
    assert "suspension" not in body and "termination_too_early" not in body
    # the granted override is on the 例外审批 tab, with its requester and approver
    _, overrides = _queries(client, "/dashboard/?tab=overrides")
    rows = overrides[overrides.index("<tbody"):]
    assert approved_case.number in rows and "吴局长" in rows and "陈法官" in rows


def test_the_pending_approvals_tab_runs_the_same_queries_for_2_and_8_requests(client, people):
    client.force_login(people.ha_supervisor)
    for _ in range(2):
        _ask(people)
    client.get("/dashboard/?tab=approvals")
    few, _ = _queries(client, "/dashboard/?tab=approvals")
    for i in range(6):
        _ask(people, xigong=i % 2 == 0)
    many, html = _queries(client, "/dashboard/?tab=approvals")
    assert many == few
    assert html.count('href="/cases/') >= 8


def test_a_zhejiang_supervisor_does_not_see_henans_pending_approvals(client, people):
    req = _ask(people)
    client.force_login(people.hz_supervisor)
    _, html = _queries(client, "/dashboard/?tab=approvals")
    assert req.case.number not in html
