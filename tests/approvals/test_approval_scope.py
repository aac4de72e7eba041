"""Court scope and four eyes on approvals (SPEC §1, §12): every demo user sees the requests of the
courts whose cases he sees; another court's request is 404 on every endpoint, never a hint that it
exists; only a bureau head of the case's own court decides, and never on his own request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from enforcement.models import ApprovalRequest, AuditEvent, Role
from tests.enforcement.test_scope import VISIBLE
from tests.factories import UserFactory, advance, file_case

from .conftest import ask, decide

pytestmark = pytest.mark.usefixtures("pinned_clock")


@pytest.fixture
def requests_by_court(people, courts):
    """One pending suspension request at each of Luoyang, Xigong and Hangzhou, asked by the case's judge."""
    hz_clerk = UserFactory(username="hz_clerk", name="杨立案", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    hz_bureau = UserFactory(username="hz_bureau", name="朱内勤", court=courts.hangzhou, roles=[Role.BUREAU_CLERK])
    xg_bureau = UserFactory(username="xg_bureau", name="何内勤", court=courts.xigong, roles=[Role.BUREAU_CLERK])
    from enforcement.approvals.services import approval_request

    out = {}
    for court, clerk, bureau, judge in (("luoyang", people.clerk, people.bureau, people.judge),
                                        ("xigong", people.xg_clerk, xg_bureau, people.xg_judge),
                                        ("hangzhou", hz_clerk, hz_bureau, people.hz_judge)):
        case = advance(file_case(clerk), CaseStatus.IN_PROGRESS, bureau=bureau, judge=judge)
        out[court] = approval_request(case=case, actor=judge, kind="suspension", reason="被执行人重病住院")
    return out


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_demo_user_sees_only_requests_of_visible_courts_and_others_are_not_found(people, api,
                                                                                      requests_by_court, who):
    client = api(getattr(people, who))
    listed = client.get("/api/v1/approvals/")
    assert listed.status_code == 200
    assert {a["id"] for a in listed.json()["results"]} == {requests_by_court[c].pk for c in VISIBLE[who]}
    before = AuditEvent.objects.count()
    for court, req in requests_by_court.items():
        paths = [("get", f"/api/v1/approvals/{req.pk}/"), ("get", f"/api/v1/approvals/{req.pk}/transitions/"),
                 ("post", f"/api/v1/approvals/{req.pk}/transitions/reject/")]
        for method, path in paths:
            r = client.post(path, {"note": "不同意"}, format="json") if method == "post" else client.get(path)
            if court in VISIBLE[who]:
                assert r.status_code != 404, (who, path)
            else:
                assert r.status_code == 404, (who, court, path)
                assert r.json() == {"code": "not_found", "detail": "未找到。"}
        if court not in VISIBLE[who]:
            # asking on another court's case is 404 as well
            r = ask(client, req.case, "override", code="termination_too_early")
            assert r.status_code == 404 and r.json()["code"] == "not_found", (who, court)
    # only ly_head, bureau head of Luoyang, could reject; and only Luoyang's request
    decided = set(ApprovalRequest.objects.filter(status="rejected").values_list("court__name", flat=True))
    assert decided == ({"洛阳市中级人民法院"} if who == "head" else set())
    if who != "head":
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["clerk", "bureau", "judge2", "officer", "finance", "supervisor", "xg_judge"])
def test_only_the_case_judge_may_ask_for_the_case_judges_acts(people, api, requests_by_court, who):
    case = requests_by_court["luoyang"].case
    r = ask(api(getattr(people, who)), case, "override", code="termination_too_early")
    assert r.status_code in (403, 404)
    assert r.json()["code"] == ("not_found" if who == "xg_judge" else "permission_denied")
    assert ApprovalRequest.objects.filter(case=case).count() == 1


def test_a_bureau_head_of_another_court_cannot_decide_even_where_he_sees(people, api, requests_by_court):
    # ly_head sees Xigong (below Luoyang) but is not Xigong's bureau head
    r = decide(api(people.head), requests_by_court["xigong"].pk, "approve")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert ApprovalRequest.objects.get(pk=requests_by_court["xigong"].pk).status == "pending"


def test_a_bureau_head_never_approves_his_own_request(people, api, courts):
    dual = UserFactory(username="ly_dual", name="马局长", court=courts.luoyang,
                       roles=[Role.POST_JUDGE, Role.BUREAU_HEAD])
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=dual)
    req = ask(api(dual), case, "suspension", reason="被执行人重病住院").json()
    assert api(dual).get(f"/api/v1/approvals/{req['id']}/transitions/").json() == []
    r = decide(api(dual), req["id"], "approve")
    assert r.status_code == 422 and r.json()["code"] == "self_approval"
    assert ApprovalRequest.objects.get(pk=req["id"]).status == "pending"
    # another bureau head of the court may, and the dual judge then suspends on it
    assert decide(api(people.head), req["id"], "approve").status_code == 200
    r = api(dual).post(f"/api/v1/cases/{case.pk}/transitions/suspend/", {"reason": "被执行人重病住院"}, format="json")
    assert r.status_code == 200, r.json()


def test_the_inbox_page_lists_the_heads_pending_requests_and_others_404(client, people, requests_by_court):
    client.force_login(people.head)
    html = client.get(reverse("approval-inbox")).content.decode()
    luoyang = requests_by_court["luoyang"]
    assert luoyang.case.number in html and "陈法官" in html and "中止/暂缓执行" in html
    assert requests_by_court["hangzhou"].case.number not in html
    assert "suspension" not in html and "pending" not in html  # no internal code on the page
    client.force_login(people.hz_judge)
    r = client.post(reverse("approval-decide", args=[luoyang.pk, "approve"]), {"note": ""})
    assert r.status_code == 404
