"""Court scope of the coordination objects for every demo user (SPEC §1, §11): each is seen by the
courts it concerns and the supervisors above them; any other court gets 404, never a hint."""

from __future__ import annotations

import pytest

from cases.coordination import services

from .conftest import at, in_progress

ALL = ["clerk", "bureau", "judge", "judge2", "officer", "finance", "supervisor", "head", "xg_judge", "xg_clerk",
       "xg_bureau", "xg_head", "hz_judge", "hz_supervisor", "hz_bureau", "hz_head", "ha_supervisor", "ha_head"]
LY = ["clerk", "bureau", "judge", "judge2", "officer", "finance", "supervisor", "head"]
XG = ["xg_judge", "xg_clerk", "xg_bureau", "xg_head"]
HZ = ["hz_judge", "hz_supervisor", "hz_bureau", "hz_head"]
HA = ["ha_supervisor", "ha_head"]
LY_SUBTREE = ["supervisor", "head"]  # 洛阳中院's supervisors see 西工区 too

SEES = {
    # 河南高院's order on a 西工区 case: the two courts, and 洛阳中院's supervisors in between
    "order": set(XG + HA + LY_SUBTREE),
    # a dispute of 洛阳中院 with 西工区法院, decided by 河南高院
    "dispute": set(LY + XG + HA),
    # a task 洛阳中院 entrusted to 杭州中院
    "delegation": set(LY + HZ + HA),
}


@pytest.fixture
def world(now, rules, cast, courts):
    ly_case = in_progress(cast.clerk, cast.bureau, cast.judge)
    xg_case = in_progress(cast.xg_clerk, cast.xg_bureau, cast.xg_judge)
    order = services.supervision_order_issue(case=xg_case, actor=cast.ha_supervisor, instructions="请报告进展。",
                                             occurred_at=at(2026, 4, 1, 9))
    dispute = services.dispute_report(case=ly_case, actor=cast.head, other_court=courts.xigong, summary="查封争议",
                                      occurred_at=at(2026, 4, 1, 9))
    delegation = services.delegation_request(case=ly_case, actor=cast.judge, to_court=courts.hangzhou,
                                             task="investigate", details="调查被执行人在杭州的经营场所",
                                             occurred_at=at(2026, 4, 2, 9))
    return {"order": f"/api/v1/supervision-orders/{order.pk}/", "dispute": f"/api/v1/disputes/{dispute.pk}/",
            "delegation": f"/api/v1/delegations/{delegation.pk}/", "lists": {
                "order": "/api/v1/supervision-orders/", "dispute": "/api/v1/disputes/",
                "delegation": "/api/v1/delegations/"}, "ids": {"order": order.pk, "dispute": dispute.pk,
                                                              "delegation": delegation.pk}}


def test_each_coordination_object_is_seen_by_the_courts_it_concerns_and_404_elsewhere(api, cast, world):
    # every demo user in one world (one setup): the table SEES is the rule
    for who, kind in ((who, kind) for who in ALL for kind in SEES):
        user, expected = getattr(cast, who), SEES[kind]
        r = api(user).get(world[kind])
        assert r.status_code == (200 if who in expected else 404), (who, kind, r.status_code)
        listed = [x["id"] for x in api(user).get(world["lists"][kind]).json()["results"]]
        assert (world["ids"][kind] in listed) == (who in expected), (who, kind)
        # a transition on an object one cannot see is a 404 as well, never a 403
        if who not in expected:
            name = {"order": "reply", "dispute": "resolve", "delegation": "accept"}[kind]
            r = api(user).post(f"{world[kind]}transitions/{name}/", {}, format="json")
            assert r.status_code == 404, (who, kind)


def test_the_entrusted_court_never_sees_the_case_itself(api, cast, world):
    from django.test import Client

    from cases.models import Delegation

    case = Delegation.objects.get().case
    for who in HZ:
        for url in (f"/api/v1/cases/{case.pk}/", f"/api/v1/cases/{case.pk}/deadlines/"):
            assert api(getattr(cast, who)).get(url).status_code == 404, (who, url)
        page = Client()
        page.force_login(getattr(cast, who))
        assert page.get(f"/cases/{case.pk}/").status_code == 404, who
