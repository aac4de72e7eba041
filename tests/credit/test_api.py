"""The sanctions API surface (SPEC §13): constant-query lists, 400 on bad input, 404 across courts."""

import pytest

from credit import services
from credit.models import Sanction

from .conftest import at, debtor

pytestmark = pytest.mark.django_db


def _sanctions(enforced_case, judge, n):
    for _ in range(n):
        case = enforced_case()
        listing = services.sanction_propose(case=case, party=debtor(case), kind="dishonest_list",
                                            ground="able_but_refuses", actor=judge, occurred_at=at(2026, 8, 3))
        services.sanction_decide(sanction=listing, actor=judge, occurred_at=at(2026, 8, 4),
                                 served_at=at(2026, 8, 4, 10))
        services.sanction_publish(sanction=listing, actor=judge, occurred_at=at(2026, 8, 6))


@pytest.mark.smoke
def test_sanction_list_runs_a_constant_number_of_queries(enforced_case, people, api,
                                                         django_assert_max_num_queries):
    # given: two cases' sanctions, then eight
    client = api(people.judge)
    _sanctions(enforced_case, people.judge, 1)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/api/v1/sanctions/").status_code == 200
    _sanctions(enforced_case, people.judge, 3)
    # when
    with django_assert_max_num_queries(20) as large:
        r = client.get("/api/v1/sanctions/")
    # then: the same queries for 8 rows as for 2
    assert r.json()["count"] == 8
    assert len(large.captured_queries) == len(small.captured_queries)


def test_sanction_list_filters_by_case_kind_and_status(enforced_case, people, api):
    _sanctions(enforced_case, people.judge, 2)
    case_id = Sanction.objects.order_by("id").first().case_id
    client = api(people.judge)
    r = client.get(f"/api/v1/sanctions/?case={case_id}&kind=dishonest_list&status=active")
    assert r.status_code == 200
    assert [(s["case"], s["kind"], s["status"]) for s in r.json()["results"]] == [
        (case_id, "dishonest_list", "active")
    ]
    assert r.json()["results"][0]["party_id_number"] == "4103**********0019"


@pytest.mark.parametrize("query", ["case=abc", "kind=fine", "status=gone", "court=-1", "ground=rich"])
def test_bad_filters_are_400(people, api, query):
    r = api(people.judge).get(f"/api/v1/sanctions/?{query}")
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"


@pytest.mark.parametrize("body, field", [
    ({"kind": "fine"}, "kind"),
    ({"ground": "rich"}, "ground"),
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"party": "x"}, "party"),
])
def test_bad_create_input_is_400(enforced_case, people, api, body, field):
    case = enforced_case()
    payload = {"case": case.pk, "party": debtor(case).pk, "kind": "consumption_restriction", **body}
    r = api(people.judge).post("/api/v1/sanctions/", payload, format="json")
    assert r.status_code == 400
    assert field in r.json()["errors"]
    assert not Sanction.objects.exists()


def test_sanctioning_the_creditor_or_another_cases_party_is_400(enforced_case, people, api):
    case, other = enforced_case(), enforced_case()
    client = api(people.judge)
    creditor = case.parties.get(role="applicant")
    r = client.post("/api/v1/sanctions/", {"case": case.pk, "party": creditor.pk,
                                           "kind": "consumption_restriction"}, format="json")
    assert r.status_code == 400 and "party" in r.json()["errors"]
    r = client.post("/api/v1/sanctions/", {"case": case.pk, "party": debtor(other).pk,
                                           "kind": "consumption_restriction"}, format="json")
    assert r.status_code == 400 and "party" in r.json()["errors"]


def test_future_event_time_is_400(enforced_case, people, api):
    case = enforced_case()
    r = api(people.judge).post("/api/v1/sanctions/", {"case": case.pk, "party": debtor(case).pk,
                                                      "kind": "exit_ban", "occurred_at": "2030-01-01T09:00:00+08:00"},
                               format="json")
    assert r.status_code == 400
    assert "occurred_at" in r.json()["errors"]


@pytest.mark.smoke
def test_other_courts_sanctions_are_not_found(enforced_case, people, api):
    # given: a Luoyang sanction
    _sanctions(enforced_case, people.judge, 1)
    s = Sanction.objects.filter(kind="dishonest_list").get()
    hz = api(people.hz_judge)
    # when / then: Hangzhou sees nothing of it
    assert hz.get(f"/api/v1/sanctions/{s.pk}/").status_code == 404
    assert hz.get(f"/api/v1/sanctions/{s.pk}/transitions/").status_code == 404
    r = hz.post(f"/api/v1/sanctions/{s.pk}/transitions/lift/", {"reason": "consent"}, format="json")
    assert r.status_code == 404
    assert hz.get("/api/v1/sanctions/").json()["count"] == 0
    r = hz.post("/api/v1/sanctions/", {"case": s.case_id, "party": s.party_id, "kind": "exit_ban"}, format="json")
    assert r.status_code == 404
    s.refresh_from_db()
    assert s.status == "active"
    # and the Henan high court's supervisor, above Luoyang, sees it
    assert api(people.ha_supervisor).get(f"/api/v1/sanctions/{s.pk}/").status_code == 200


def test_transitions_list_what_the_judge_may_fire_now(enforced_case, people, api):
    case = enforced_case()
    s = services.sanction_propose(case=case, party=debtor(case), kind="dishonest_list", ground="able_but_refuses",
                                  actor=people.officer, occurred_at=at(2026, 8, 3))
    assert api(people.judge).get(f"/api/v1/sanctions/{s.pk}/transitions/").json() == ["decide"]
    assert api(people.officer).get(f"/api/v1/sanctions/{s.pk}/transitions/").json() == []
    services.sanction_decide(sanction=s, actor=people.judge, occurred_at=at(2026, 8, 4))
    assert api(people.judge).get(f"/api/v1/sanctions/{s.pk}/transitions/").json() == [
        "serve", "grant_grace", "publish", "lift_ground", "lift"
    ]


def test_an_officer_proposes_but_cannot_decide(enforced_case, people, api):
    case = enforced_case()
    r = api(people.officer).post("/api/v1/sanctions/", {"case": case.pk, "party": debtor(case).pk,
                                                        "kind": "exit_ban"}, format="json")
    assert r.status_code == 201
    r = api(people.officer).post(f"/api/v1/sanctions/{r.json()['id']}/transitions/decide/", {}, format="json")
    assert r.status_code == 422
    assert r.json()["code"] == "not_case_judge"
    # a finance officer may not even propose
    r = api(people.finance).post("/api/v1/sanctions/", {"case": case.pk, "party": debtor(case).pk,
                                                        "kind": "exit_ban"}, format="json")
    assert r.status_code == 403
