"""The case state machine (SPEC §6.1): every transition through the services and through
``POST /api/v1/cases/<id>/transitions/<name>/``, what the caller may fire now, and restoration."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Case, CaseKind, CaseStatus, ClockStop, Closure
from enforcement.models import AuditEvent
from tests.factories import advance, case_payload, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock", "core_close_guards")

SH = ZoneInfo("Asia/Shanghai")
# Filed well over three months before "now" (2026-11-25), so 终本 is not too early [002].
LONG_AGO = datetime(2026, 3, 1, 9, 0, tzinfo=SH)


def url(case: Case, name: str | None = None) -> str:
    base = f"/api/v1/cases/{case.pk}/transitions/"
    return f"{base}{name}/" if name else base


def events(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case_id=case.pk).order_by("chain", "seq"))


# --- through the services -----------------------------------------------------------------

@pytest.mark.smoke
def test_services_walk_a_case_from_filing_to_closure(people):
    # given
    case = file_case(people.clerk, filed_at=LONG_AGO)
    assert (case.status, case.number, case.kind) == (CaseStatus.FILED, "(2026)豫03执1号", CaseKind.FIRST)
    # when
    case = services.case_receive(case=case, actor=people.bureau)
    assert case.status == CaseStatus.RECEIVED and case.received_at is not None
    case = services.case_assign(case=case, actor=people.bureau, judge=people.judge)
    assert case.status == CaseStatus.RECEIVED and case.judge == people.judge
    case = services.case_accept(case=case, actor=people.judge)
    assert case.status == CaseStatus.IN_PROGRESS and case.accepted_at is not None
    case = services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院", approved_by=people.head)
    assert case.status == CaseStatus.SUSPENDED
    assert ClockStop.objects.get(case=case).ended_at is None
    case = services.case_resume(case=case, actor=people.judge)
    assert case.status == CaseStatus.IN_PROGRESS
    assert ClockStop.objects.get(case=case).ended_at is not None
    case = services.case_close(case=case, actor=people.judge, closure=Closure.PERFORMED)
    # then
    case.refresh_from_db()
    assert (case.status, case.closure) == (CaseStatus.CLOSED, Closure.PERFORMED)
    assert case.closed_at is not None
    assert [e.action for e in events(case)] == [
        "case.file", "case.receive", "case.assign", "case.accept", "case.suspend", "case.resume", "case.close",
    ]


@pytest.mark.parametrize("closure", Closure.values)
def test_services_close_a_case_with_every_closure_type(people, closure):
    # given
    case = advance(file_case(people.clerk, filed_at=LONG_AGO), CaseStatus.IN_PROGRESS,
                   bureau=people.bureau, judge=people.judge)
    # when
    services.case_close(case=case, actor=people.judge, closure=closure, reason="依法结案")
    # then
    case.refresh_from_db()
    assert (case.status, case.closure) == (CaseStatus.CLOSED, closure)


def test_restore_files_a_new_linked_case_and_the_old_case_keeps_its_closure(people):
    # given
    old = advance(file_case(people.clerk, filed_at=LONG_AGO), CaseStatus.IN_PROGRESS,
                  bureau=people.bureau, judge=people.judge)
    services.case_close(case=old, actor=people.judge, closure=Closure.TERMINATED_ROUND)
    # when
    new = services.case_restore(case=old, actor=people.judge, reason="申请执行人提供新的财产线索")
    # then
    old.refresh_from_db()
    assert (old.status, old.closure) == (CaseStatus.CLOSED, Closure.TERMINATED_ROUND)
    assert new.kind == CaseKind.RESTORED and new.restored_from == old
    assert new.number == "(2026)豫03执恢1号"
    assert new.status == CaseStatus.FILED and new.court == old.court
    assert new.account_no != old.account_no
    assert sorted(new.parties.values_list("name", flat=True)) == sorted(old.parties.values_list("name", flat=True))
    assert [e.action for e in events(old)][-1] == "case.restore"
    assert [e.action for e in events(new)] == ["case.file"]


# --- through the API ----------------------------------------------------------------------

@pytest.mark.smoke
def test_api_walks_a_case_through_every_transition(people, api):
    # given
    clerk, bureau, judge = api(people.clerk), api(people.bureau), api(people.judge)
    r = clerk.post("/api/v1/cases/", case_payload(filed_at="2026-03-01T09:00:00+08:00"), format="json")
    assert r.status_code == 201, r.json()
    case = Case.objects.get(pk=r.json()["id"])
    assert r.json()["number"] == "(2026)豫03执1号"
    steps = [
        (bureau, "receive", {}, CaseStatus.RECEIVED),
        (bureau, "assign", {"judge": people.judge.pk}, CaseStatus.RECEIVED),
        (judge, "accept", {}, CaseStatus.IN_PROGRESS),
        (judge, "suspend", {"reason": "被执行人重病住院", "ground": "suspension", "approved_by": people.head.pk},
         CaseStatus.SUSPENDED),
        (judge, "resume", {}, CaseStatus.IN_PROGRESS),
        (judge, "close", {"closure": "performed"}, CaseStatus.CLOSED),
    ]
    for client, name, params, status in steps:
        # when
        r = client.post(url(case, name), params, format="json")
        # then
        assert r.status_code == 200, (name, r.json())
        assert r.json()["status"] == status, name
        assert r.json()["id"] == case.pk
    body = r.json()
    assert body["closure"] == "performed" and body["judge"] == people.judge.pk
    assert [e.action for e in events(case)] == [
        "case.file", "case.receive", "case.assign", "case.accept", "case.suspend", "case.resume", "case.close",
    ]


@pytest.mark.parametrize("closure", Closure.values)
def test_api_closes_with_every_closure_type(people, api, closure):
    # given
    case = advance(file_case(people.clerk, filed_at=LONG_AGO), CaseStatus.IN_PROGRESS,
                   bureau=people.bureau, judge=people.judge)
    # when
    r = api(people.judge).post(url(case, "close"), {"closure": closure, "reason": "依法结案"}, format="json")
    # then
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["closure"]) == ("closed", closure)
    case.refresh_from_db()
    assert case.closure == closure


@pytest.mark.smoke
def test_api_restore_returns_the_new_restored_case(people, api):
    # given
    old = advance(file_case(people.clerk, filed_at=LONG_AGO), CaseStatus.IN_PROGRESS,
                  bureau=people.bureau, judge=people.judge)
    services.case_close(case=old, actor=people.judge, closure=Closure.TERMINATED_ROUND)
    judge = api(people.judge)
    assert judge.get(url(old)).json() == ["restore"]
    # when
    r = judge.post(url(old, "restore"), {"reason": "发现被执行人新的可供执行财产"}, format="json")
    # then
    assert r.status_code == 200, r.json()
    new = r.json()
    assert new["id"] != old.pk
    assert (new["kind"], new["number"], new["restored_from"]) == ("restored", "(2026)豫03执恢1号", old.pk)
    assert new["status"] == "filed"
    old_body = judge.get(f"/api/v1/cases/{old.pk}/").json()
    assert (old_body["status"], old_body["closure"]) == ("closed", "terminated_round")
    # a case is restored once: the button is gone and firing again is a conflict
    assert judge.get(url(old)).json() == []
    again = judge.post(url(old, "restore"), {}, format="json")
    assert again.status_code == 409
    assert Case.objects.filter(restored_from=old).count() == 1


def test_restore_is_refused_for_a_case_not_closed_by_terminated_round(people, api):
    # given
    case = advance(file_case(people.clerk, filed_at=LONG_AGO), CaseStatus.IN_PROGRESS,
                   bureau=people.bureau, judge=people.judge)
    services.case_close(case=case, actor=people.judge, closure=Closure.PERFORMED)
    # when
    r = api(people.judge).post(url(case, "restore"), {}, format="json")
    # then
    assert r.status_code == 409
    assert r.json()["code"] == "transition_not_allowed"
    assert not Case.objects.filter(restored_from=case).exists()


# --- wrong state: 409 ---------------------------------------------------------------------

WRONG_STATE = [
    # (state the case is in, who fires, transition, params)
    (CaseStatus.FILED, "judge", "accept", {}),
    (CaseStatus.FILED, "bureau", "assign", {"judge": "JUDGE"}),
    (CaseStatus.FILED, "judge", "suspend", {"reason": "被执行人下落不明"}),
    (CaseStatus.FILED, "judge", "close", {"closure": "performed"}),
    (CaseStatus.RECEIVED, "bureau", "receive", {}),
    (CaseStatus.RECEIVED, "judge", "resume", {}),
    (CaseStatus.IN_PROGRESS, "judge", "accept", {}),
    (CaseStatus.IN_PROGRESS, "judge", "resume", {}),
    (CaseStatus.IN_PROGRESS, "judge", "restore", {}),
    (CaseStatus.SUSPENDED, "judge", "suspend", {"reason": "再次中止"}),
    (CaseStatus.SUSPENDED, "judge", "close", {"closure": "performed"}),
    ("closed", "judge", "close", {"closure": "withdrawn"}),
    ("closed", "judge", "resume", {}),
    ("closed", "head", "assign", {"judge": "JUDGE"}),
]


@pytest.mark.parametrize(("state", "who", "name", "params"), WRONG_STATE)
def test_a_transition_from_the_wrong_state_is_a_conflict_and_changes_nothing(people, api, state, who, name,
                                                                             params):
    # given
    case = file_case(people.clerk, filed_at=LONG_AGO)
    if state == "closed":
        case = advance(case, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
        services.case_close(case=case, actor=people.judge, closure=Closure.PERFORMED)
    else:
        case = advance(case, state, bureau=people.bureau, judge=people.judge)
    case.refresh_from_db()
    before = (case.status, case.closure, case.judge_id, AuditEvent.objects.count())
    params = {k: (people.judge.pk if v == "JUDGE" else v) for k, v in params.items()}
    # when
    r = api(getattr(people, who)).post(url(case, name), params, format="json")
    # then
    assert r.status_code == 409, r.json()
    assert r.json()["code"] == "transition_not_allowed"
    assert r.json()["detail"]
    case.refresh_from_db()
    assert (case.status, case.closure, case.judge_id, AuditEvent.objects.count()) == before


def test_accept_without_an_assigned_judge_is_a_conflict(people, api):
    # given
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    # when
    r = api(people.judge).post(url(case, "accept"), {}, format="json")
    # then
    assert r.status_code == 409
    assert r.json()["code"] == "judge_not_assigned"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


# --- what the caller may fire now ---------------------------------------------------------

@pytest.mark.smoke
def test_the_assigned_judge_sees_only_accept_on_a_received_case(people, api):
    # given
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    services.case_assign(case=case, actor=people.bureau, judge=people.judge)
    # when
    r = api(people.judge).get(url(case))
    # then
    assert r.status_code == 200
    assert r.json() == ["accept"]


@pytest.mark.parametrize(("state", "who", "expected"), [
    (CaseStatus.FILED, "bureau", ["receive"]),
    (CaseStatus.FILED, "head", ["receive"]),
    (CaseStatus.FILED, "judge", []),
    (CaseStatus.FILED, "clerk", []),
    (CaseStatus.RECEIVED, "bureau", ["assign"]),
    (CaseStatus.RECEIVED, "judge2", []),
    (CaseStatus.IN_PROGRESS, "judge", ["suspend", "close"]),
    (CaseStatus.IN_PROGRESS, "judge2", []),
    (CaseStatus.IN_PROGRESS, "officer", []),
    (CaseStatus.IN_PROGRESS, "bureau", []),
    (CaseStatus.IN_PROGRESS, "head", ["assign"]),
    (CaseStatus.IN_PROGRESS, "supervisor", []),
    (CaseStatus.SUSPENDED, "judge", ["resume"]),
    (CaseStatus.SUSPENDED, "finance", []),
])
def test_transitions_list_names_what_the_caller_may_fire_now(people, api, state, who, expected):
    # given
    case = advance(file_case(people.clerk), state, bureau=people.bureau, judge=people.judge)
    # when
    r = api(getattr(people, who)).get(url(case))
    # then
    assert r.status_code == 200
    assert sorted(r.json()) == sorted(expected)


def test_a_closed_case_offers_restore_only_after_terminated_round(people, api):
    # given
    performed = advance(file_case(people.clerk, filed_at=LONG_AGO), CaseStatus.IN_PROGRESS,
                        bureau=people.bureau, judge=people.judge)
    services.case_close(case=performed, actor=people.judge, closure=Closure.PERFORMED)
    round_ = advance(file_case(people.clerk, filed_at=LONG_AGO), CaseStatus.IN_PROGRESS,
                     bureau=people.bureau, judge=people.judge)
    services.case_close(case=round_, actor=people.judge, closure=Closure.TERMINATED_ROUND)
    judge = api(people.judge)
    # when / then
    assert judge.get(url(performed)).json() == []
    assert judge.get(url(round_)).json() == ["restore"]
    assert api(people.judge2).get(url(round_)).json() == []


def test_every_listed_transition_can_actually_be_fired(people, api):
    # given: the listed buttons are honest — firing each one from a fresh case succeeds
    for state, who in [(CaseStatus.FILED, "bureau"), (CaseStatus.IN_PROGRESS, "judge"),
                       (CaseStatus.SUSPENDED, "judge")]:
        params = {"suspend": {"reason": "被执行人重病住院", "approved_by": people.head.pk},
                  "close": {"closure": "withdrawn"}}
        names = api(getattr(people, who)).get(
            url(advance(file_case(people.clerk, filed_at=LONG_AGO), state, bureau=people.bureau,
                        judge=people.judge))).json()
        for name in names:
            case = advance(file_case(people.clerk, filed_at=LONG_AGO), state, bureau=people.bureau,
                           judge=people.judge)
            # when
            r = api(getattr(people, who)).post(url(case, name), params.get(name, {}), format="json")
            # then
            assert r.status_code == 200, (state, name, r.json())
