"""Court scope (SPEC §1): a user sees their court's cases; supervisors their court and every court
below. Another court's case is 404 everywhere — never a hint that it exists."""

from __future__ import annotations

import pytest

from cases.models import Case
from enforcement.models import AuditEvent, Role
from tests.factories import UserFactory, case_payload, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock")

# who → the courts whose cases they see
VISIBLE = {
    "clerk": {"luoyang"},
    "bureau": {"luoyang"},
    "judge": {"luoyang"},
    "judge2": {"luoyang"},
    "officer": {"luoyang"},
    "finance": {"luoyang"},
    "supervisor": {"luoyang", "xigong"},  # Luoyang intermediate court supervises Xigong basic court
    "head": {"luoyang", "xigong"},
    "xg_judge": {"xigong"},
    "xg_clerk": {"xigong"},
    "hz_judge": {"hangzhou"},
    "hz_supervisor": {"hangzhou"},
    "ha_supervisor": {"luoyang", "xigong"},  # Henan high court: all of Henan, not Zhejiang
}


@pytest.fixture
def cases(people, courts):
    hz_clerk = UserFactory(username="hz_clerk", name="杨立案", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    return {
        "luoyang": file_case(people.clerk),
        "xigong": file_case(people.xg_clerk),
        "hangzhou": file_case(hz_clerk),
    }


def case_paths(case: Case) -> list[tuple[str, str]]:
    base = f"/api/v1/cases/{case.pk}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/transitions/"),
        ("post", f"{base}/transitions/receive/"),
        ("post", f"{base}/transitions/no_such_transition/"),
        ("get", f"{base}/events/"),
        ("get", f"{base}/milestones/"),
        ("post", f"{base}/milestones/"),
    ]


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_role_sees_only_cases_of_visible_courts_and_others_are_not_found(people, api, cases, who):
    # given
    client = api(getattr(people, who))
    # when
    listed = client.get("/api/v1/cases/")
    # then
    assert listed.status_code == 200
    assert {c["number"] for c in listed.json()["results"]} == {cases[court].number for court in VISIBLE[who]}
    assert listed.json()["count"] == len(VISIBLE[who])
    for court, case in cases.items():
        for method, path in case_paths(case):
            # when
            r = getattr(client, method)(path, {}, format="json") if method == "post" else client.get(path)
            # then
            if court in VISIBLE[who]:
                assert r.status_code != 404 or path.endswith("no_such_transition/"), (who, path)
            else:
                assert r.status_code == 404, (who, court, path, r.json())
                assert r.json() == {"code": "not_found", "detail": "未找到。"}, (who, path)
    hidden = {c.pk for court, c in cases.items() if court not in VISIBLE[who]}
    assert not AuditEvent.objects.filter(case_id__in=hidden).exclude(action="case.file").exists()


@pytest.mark.smoke
def test_an_invisible_case_looks_exactly_like_a_missing_one(people, api, cases):
    # given
    client = api(people.judge)
    missing = max(c.pk for c in cases.values()) + 1000
    # when
    hidden = client.get(f"/api/v1/cases/{cases['hangzhou'].pk}/")
    absent = client.get(f"/api/v1/cases/{missing}/")
    # then
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json() == absent.json()


def test_the_court_filter_cannot_widen_the_scope(people, api, courts, cases):
    # when
    r = api(people.judge).get(f"/api/v1/cases/?court={courts.hangzhou.pk}")
    # then
    assert r.status_code == 200
    assert r.json()["count"] == 0


def test_the_court_filter_narrows_a_supervisors_list(people, api, courts, cases):
    # when
    r = api(people.ha_supervisor).get(f"/api/v1/cases/?court={courts.xigong.pk}")
    # then
    assert [c["number"] for c in r.json()["results"]] == [cases["xigong"].number]


def test_firing_on_another_courts_case_changes_nothing(people, api, cases):
    # given
    case = cases["luoyang"]
    before = (case.status, AuditEvent.objects.count())
    # when
    r = api(people.hz_supervisor).post(f"/api/v1/cases/{case.pk}/transitions/receive/", {}, format="json")
    # then
    assert r.status_code == 404
    case.refresh_from_db()
    assert (case.status, AuditEvent.objects.count()) == before


def test_a_clerk_cannot_file_into_another_court(people, api, courts):
    # when
    r = api(people.clerk).post("/api/v1/cases/", case_payload(court=courts.hangzhou.pk), format="json")
    # then
    assert r.status_code == 404
    assert not Case.objects.exists()


def test_a_supervisor_sees_the_subtree_but_cannot_act_there(people, api, cases):
    # given
    case = cases["xigong"]
    client = api(people.ha_supervisor)
    # when
    detail = client.get(f"/api/v1/cases/{case.pk}/")
    names = client.get(f"/api/v1/cases/{case.pk}/transitions/")
    fire = client.post(f"/api/v1/cases/{case.pk}/transitions/receive/", {}, format="json")
    # then
    assert detail.status_code == 200 and detail.json()["court"] == case.court_id
    assert names.json() == []
    assert fire.status_code == 403


# --- people and courts ---------------------------------------------------------------------

def test_me_returns_the_caller(people, api, courts):
    # when
    r = api(people.judge).get("/api/v1/me/")
    # then
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("id", "username", "name", "court", "roles")} == {
        "id": people.judge.pk, "username": "ly_judge", "name": "陈法官", "court": courts.luoyang.pk,
        "roles": ["post_judge"],
    }


@pytest.mark.parametrize(("who", "expected"), [
    ("judge", ["luoyang"]),
    ("supervisor", ["luoyang", "xigong"]),
    ("ha_supervisor", ["henan", "luoyang", "xigong"]),
    ("hz_supervisor", ["hangzhou"]),
    ("xg_judge", ["xigong"]),
])
def test_courts_lists_the_courts_visible_to_the_caller(people, api, courts, who, expected):
    # when
    r = api(getattr(people, who)).get("/api/v1/courts/")
    # then
    assert r.status_code == 200
    got = {c["id"]: c for c in r.json()["results"]}
    assert set(got) == {getattr(courts, name).pk for name in expected}
    ly = got.get(courts.luoyang.pk)
    if ly:
        assert ly == {"id": courts.luoyang.pk, "name": "洛阳市中级人民法院", "code": "豫03",
                      "parent": courts.henan.pk, "level": "intermediate"}


@pytest.mark.parametrize(("who", "prefixes"), [
    ("judge", {"ly_"}),
    ("ha_supervisor", {"ly_", "xg_", "ha_"}),
    ("hz_supervisor", {"hz_"}),
    ("xg_judge", {"xg_"}),
])
def test_users_lists_the_people_of_visible_courts(people, api, who, prefixes):
    # when
    r = api(getattr(people, who)).get("/api/v1/users/?page_size=100")
    # then
    assert r.status_code == 200
    names = [u["username"] for u in r.json()["results"]]
    assert names
    assert {n[:3] for n in names} == prefixes


def test_users_can_be_filtered_by_role(people, api):
    # when
    r = api(people.bureau).get("/api/v1/users/?role=post_judge")
    # then
    assert sorted(u["username"] for u in r.json()["results"]) == ["ly_judge", "ly_judge2"]


def test_the_literal_court_list_is_the_scope_and_follows_a_change_of_court(people, courts,
                                                                             django_assert_num_queries):
    # The lists of millions of rows filter by literal court ids (an index condition), read once
    # per user object; the list is the same scope as court_ids_visible_to, and a user moved to
    # another court gets that court's list, not the remembered one.
    from enforcement.models import Court
    from enforcement.selectors import court_id_list_visible_to, court_ids_visible_to

    sup = people.ha_supervisor
    expected = sorted(Court.objects.filter(pk__in=court_ids_visible_to(sup)).values_list("pk", flat=True))
    assert courts.xigong.pk in expected and courts.hangzhou.pk not in expected
    assert court_id_list_visible_to(sup) == expected
    with django_assert_num_queries(0):
        assert court_id_list_visible_to(sup) == expected
    sup.court = courts.hangzhou
    assert court_id_list_visible_to(sup) == [courts.hangzhou.pk]
    assert court_id_list_visible_to(people.judge) == [courts.luoyang.pk]
