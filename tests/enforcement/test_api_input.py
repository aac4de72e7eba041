"""Malformed input (SPEC §13 Errors): 400 ``{"code": "invalid", "errors": {...}}`` with nothing written;
401/404 with stable codes; never a 500."""

from __future__ import annotations

import copy

import pytest

from cases.models import Case, CaseStatus, Party
from enforcement.models import AuditEvent
from tests.factories import ORG_USCC, PERSON_ID, UserFactory, advance, case_payload, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock", "core_close_guards")


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), Party.objects.count(), AuditEvent.objects.count()


def without(key: str) -> dict:
    data = case_payload()
    data.pop(key)
    return data


def with_party(index: int, **changes) -> dict:
    data = case_payload()
    data["parties"] = copy.deepcopy(data["parties"])
    data["parties"][index].update(changes)
    return data


def with_payee(**changes) -> dict:
    data = case_payload()
    data["payee_account"] = {**data["payee_account"], **changes}
    return data


BAD_FILINGS = [
    ("missing payee account", without("payee_account"), "payee_account"),
    ("blank payee account no", with_payee(account_no=""), "payee_account"),
    ("payee account not digits", with_payee(account_no="6222-abc"), "payee_account"),
    ("claim amount not a number", case_payload(claim_amount="abc"), "claim_amount"),
    ("claim amount negative", case_payload(claim_amount="-5"), "claim_amount"),
    ("claim amount zero", case_payload(claim_amount="0"), "claim_amount"),
    ("claim amount too precise", case_payload(claim_amount="10.001"), "claim_amount"),
    ("claim amount huge", case_payload(claim_amount="1e30"), "claim_amount"),
    ("missing basis", without("basis"), "basis"),
    ("blank basis", case_payload(basis="   "), "basis"),
    ("no parties", case_payload(parties=[]), "parties"),
    ("parties not a list", case_payload(parties="张伟"), "parties"),
    ("no respondent", case_payload(parties=[case_payload()["parties"][0]]), "parties"),
    ("no applicant", case_payload(parties=[case_payload()["parties"][1]]), "parties"),
    ("bad party role", with_party(1, role="debtor"), "parties"),
    ("bad party kind", with_party(1, kind="robot"), "parties"),
    ("resident id check digit", with_party(1, id_number=PERSON_ID[:-1] + "1"), "parties"),
    ("resident id impossible date", with_party(1, id_number="410302198502300019"), "parties"),
    ("resident id with a superscript digit", with_party(1, id_number="²10302198507150019"), "parties"),
    ("uscc check character", with_party(0, id_number=ORG_USCC[:-1] + "A"), "parties"),
    ("person given a uscc", with_party(1, id_number=ORG_USCC), "parties"),
    ("filed_at garbage", case_payload(filed_at="上周五"), "filed_at"),
    ("court not an id", case_payload(court="洛阳"), "court"),
    ("court does not exist", case_payload(court=999999), "court"),
    ("flags not an object", case_payload(flags="livelihood"), "flags"),
]


@pytest.mark.parametrize(("label", "body", "field"), BAD_FILINGS, ids=[b[0] for b in BAD_FILINGS])
def test_a_malformed_filing_is_refused_with_field_errors_and_writes_nothing(people, api, label, body, field):
    # given
    before = counts()
    # when
    r = api(people.clerk).post("/api/v1/cases/", body, format="json")
    # then
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"
    assert field in r.json()["errors"], r.json()
    assert r.json()["detail"]
    assert counts() == before


@pytest.mark.smoke
def test_a_filing_without_a_respondent_names_the_rule(people, api):
    # when
    r = api(people.clerk).post("/api/v1/cases/", case_payload(parties=[case_payload()["parties"][0]]),
                               format="json")
    # then
    assert r.status_code == 400
    assert "被执行人" in " ".join(r.json()["errors"]["parties"])
    assert not Case.objects.exists()


@pytest.mark.parametrize("body", ['{"basis": ', "not json at all", "\xff\xfe"])
def test_a_body_that_is_not_json_is_a_malformed_request(people, api, body):
    # given
    before = counts()
    # when
    r = api(people.clerk).post("/api/v1/cases/", data=body.encode("latin-1"), content_type="application/json")
    # then
    assert r.status_code == 400
    assert r.json()["code"] == "malformed_request"
    assert counts() == before


@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "null", "42"])
def test_a_json_body_that_is_not_an_object_is_invalid(people, api, body):
    # given
    case = file_case(people.clerk)
    before = counts()
    # when
    filing = api(people.clerk).post("/api/v1/cases/", data=body, content_type="application/json")
    transition = api(people.bureau).post(f"/api/v1/cases/{case.pk}/transitions/receive/", data=body,
                                         content_type="application/json")
    # then
    assert filing.status_code == 400 and filing.json()["code"] == "invalid"
    assert transition.status_code == 400 and transition.json()["code"] == "invalid"
    assert counts() == before


def test_an_unknown_transition_is_not_found(people, api):
    # given
    case = file_case(people.clerk)
    # when
    r = api(people.bureau).post(f"/api/v1/cases/{case.pk}/transitions/teleport/", {}, format="json")
    # then
    assert r.status_code == 404
    assert r.json()["code"] == "unknown_transition"


@pytest.fixture
def in_progress(people):
    return advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


@pytest.mark.parametrize(("params", "field"), [
    ({}, "closure"),
    ({"closure": "finished"}, "closure"),
    ({"closure": ""}, "closure"),
    ({"closure": ["performed"]}, "closure"),
    ({"closure": "performed", "occurred_at": "not a time"}, "occurred_at"),
])
def test_an_invalid_closure_is_refused(people, api, in_progress, params, field):
    # given
    before = counts()
    # when
    r = api(people.judge).post(f"/api/v1/cases/{in_progress.pk}/transitions/close/", params, format="json")
    # then
    assert r.status_code == 400
    assert field in r.json()["errors"]
    assert counts() == before
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS


@pytest.mark.parametrize(("params", "field"), [
    ({}, "reason"),
    ({"reason": ""}, "reason"),
    ({"reason": "被执行人重病", "ground": "holiday"}, "ground"),
    ({"reason": "被执行人重病", "approved_by": "head"}, "approved_by"),
    ({"reason": "被执行人重病", "approved_by": "JUDGE2"}, "approved_by"),
])
def test_an_invalid_suspension_is_refused(people, api, in_progress, params, field):
    # given
    params = {k: (people.judge2.pk if v == "JUDGE2" else v) for k, v in params.items()}
    before = counts()
    # when
    r = api(people.judge).post(f"/api/v1/cases/{in_progress.pk}/transitions/suspend/", params, format="json")
    # then
    assert r.status_code == 400, r.json()
    assert field in r.json()["errors"]
    assert counts() == before


def test_a_restore_with_a_non_positive_claim_is_refused(people, api):
    # given
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cases import services

    case = advance(file_case(people.clerk, filed_at=datetime(2026, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai"))),
                   CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    services.case_close(case=case, actor=people.judge, closure="terminated_round")
    before = counts()
    # when
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/transitions/restore/", {"claim_amount": "-1"},
                               format="json")
    # then
    assert r.status_code == 400
    assert "claim_amount" in r.json()["errors"]
    assert counts() == before


@pytest.mark.parametrize("judge", ["xg_judge", "hz_judge", "officer", "bureau", 999999, "abc", None])
def test_a_case_is_assigned_only_to_a_post_judge_of_its_own_court(people, api, judge):
    # given
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    value = getattr(people, judge).pk if isinstance(judge, str) and hasattr(people, judge) else judge
    before = counts()
    # when
    r = api(people.bureau).post(f"/api/v1/cases/{case.pk}/transitions/assign/", {"judge": value}, format="json")
    # then
    assert r.status_code == 400, r.json()
    assert r.json()["code"] == "invalid"
    assert "judge" in r.json()["errors"]
    case.refresh_from_db()
    assert case.judge_id is None
    assert counts() == before


def test_an_inactive_judge_cannot_be_assigned(people, api, courts):
    # given
    from enforcement.models import Role

    gone = UserFactory(username="ly_retired", court=courts.luoyang, roles=[Role.POST_JUDGE], is_active=False)
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    # when
    r = api(people.bureau).post(f"/api/v1/cases/{case.pk}/transitions/assign/", {"judge": gone.pk}, format="json")
    # then
    assert r.status_code == 400
    assert "judge" in r.json()["errors"]


@pytest.mark.parametrize("body", [{}, {"kind": "lunch"}, {"kind": "notice_sent", "occurred_at": "yesterday"}])
def test_an_invalid_milestone_is_refused(people, api, in_progress, body):
    # given
    before = counts()
    # when
    r = api(people.judge).post(f"/api/v1/cases/{in_progress.pk}/milestones/", body, format="json")
    # then
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert counts() == before


@pytest.mark.parametrize("query", [
    "status=nope", "court=x", "court=-1", "court=1.5", "court=²", "judge=abc", "track=fast", "closure=done",
    "filed_from=2026-13-01", "filed_to=yesterday",
])
def test_bad_filter_values_are_field_errors(people, api, query):
    # when
    r = api(people.judge).get(f"/api/v1/cases/?{query}")
    # then
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"
    assert query.split("=")[0] in r.json()["errors"]


@pytest.mark.parametrize("query", ["court=x", "court=²", "court=1e3"])
def test_bad_user_filters_are_field_errors(people, api, query):
    # when
    r = api(people.judge).get(f"/api/v1/users/?{query}")
    # then
    assert r.status_code == 400, r.content
    assert "court" in r.json()["errors"]


def test_valid_filters_are_accepted(people, api, courts):
    # given
    file_case(people.clerk)
    # when
    r = api(people.judge).get(f"/api/v1/cases/?status=filed&court={courts.luoyang.pk}&filed_from=2026-11-01"
                              f"&filed_to=2026-11-30&q=张伟")
    # then
    assert r.status_code == 200
    assert r.json()["count"] == 1


@pytest.mark.parametrize("path", ["/api/v1/cases/99999999999999999999/", "/api/v1/cases/?page=999",
                                  "/api/v1/cases/?page=abc"])
def test_out_of_range_ids_and_pages_are_not_found(people, api, path):
    # when
    r = api(people.judge).get(path)
    # then
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/cases/"), ("post", "/api/v1/cases/"), ("get", "/api/v1/cases/1/"),
    ("get", "/api/v1/cases/1/transitions/"), ("post", "/api/v1/cases/1/transitions/receive/"),
    ("get", "/api/v1/cases/1/events/"), ("post", "/api/v1/approvals/"), ("get", "/api/v1/me/"),
    ("get", "/api/v1/users/"), ("get", "/api/v1/courts/"),
])
def test_unauthenticated_requests_are_refused(people, api, method, path):
    # when
    r = getattr(api(), method)(path)
    # then
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"
    assert r.json()["detail"]


def test_a_wrong_method_is_a_json_error(people, api):
    # given
    case = file_case(people.clerk)
    # when
    r = api(people.judge).delete(f"/api/v1/cases/{case.pk}/")
    # then
    assert r.status_code == 405
    assert r.json()["code"] == "method_not_allowed"
    assert Case.objects.filter(pk=case.pk).exists()


GARBAGE = [
    {"judge": {"id": 1}, "closure": None, "reason": 123, "occurred_at": 1732500000},
    {"occurred_at": "2026-02-30T10:00:00+08:00", "claim_amount": "NaN", "approved_by": [1]},
    {"occurred_at": "9999-12-31T23:59:59+14:00", "reason": "x" * 5000, "ground": None},
    {"judge": -1, "claim_amount": "Infinity", "code": None, "kind": {"a": 1}, "parties": [None, 1]},
]


@pytest.mark.parametrize("body", GARBAGE)
def test_no_endpoint_answers_garbage_with_a_500(people, api, in_progress, body):
    # given: every writing endpoint, fired by someone allowed to reach it
    received = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    targets = [
        (people.clerk, "/api/v1/cases/"),
        (people.bureau, f"/api/v1/cases/{received.pk}/transitions/assign/"),
        (people.judge, f"/api/v1/cases/{in_progress.pk}/transitions/suspend/"),
        (people.judge, f"/api/v1/cases/{in_progress.pk}/transitions/close/"),
        (people.judge, f"/api/v1/cases/{in_progress.pk}/milestones/"),
        (people.judge, "/api/v1/approvals/"),
        (None, "/api/v1/auth/token/"),
    ]
    before = counts()
    for user, path in targets:
        # when
        r = api(user).post(path, body, format="json")
        # then
        assert 400 <= r.status_code < 500, (path, r.status_code, r.content)
        assert r.json()["code"], path
    assert counts() == before
