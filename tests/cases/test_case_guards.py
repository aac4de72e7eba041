"""Who may decide, and the closing guards (SPEC §6.1, §7): not_case_judge, role checks,
termination_too_early with a bureau head's one-time override, and the close-guard extension point."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Case, CaseStatus, Closure
from enforcement.errors import GuardFailed, Violation
from enforcement.models import ApprovalRequest, ApprovalStatus, AuditEvent
from tests.factories import advance, approved, case_payload, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock", "core_close_guards")

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SH)


def fire(client, case: Case, name: str, params: dict | None = None):
    return client.post(f"/api/v1/cases/{case.pk}/transitions/{name}/", params or {}, format="json")


def state(case: Case) -> tuple:
    case.refresh_from_db()
    return case.status, case.closure, case.judge_id, case.last_event_at, AuditEvent.objects.count()


@pytest.fixture
def received(people):
    """A received case assigned to ly_judge, not yet accepted."""
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    return services.case_assign(case=case, actor=people.bureau, judge=people.judge)


@pytest.fixture
def in_progress(people):
    return advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


@pytest.fixture
def suspended(people):
    return advance(file_case(people.clerk), CaseStatus.SUSPENDED, bureau=people.bureau, judge=people.judge)


# --- not_case_judge [001] -----------------------------------------------------------------

@pytest.mark.parametrize("who", ["judge2", "officer", "head"])
@pytest.mark.parametrize(("fixture", "name", "params"), [
    ("received", "accept", {}),
    ("in_progress", "suspend", {"reason": "被执行人重病住院"}),
    ("in_progress", "close", {"closure": "performed"}),
    ("suspended", "resume", {}),
])
def test_only_the_case_judge_may_decide(request, people, api, who, fixture, name, params):
    # given
    case = request.getfixturevalue(fixture)
    before = state(case)
    # when
    r = fire(api(getattr(people, who)), case, name, params)
    # then
    assert r.status_code == 422, r.json()
    body = r.json()
    assert body["code"] == "not_case_judge"
    assert [v["code"] for v in body["violations"]] == ["not_case_judge"]
    assert "陈法官" in body["detail"]
    assert state(case) == before


def test_not_case_judge_through_the_service_changes_nothing(people, in_progress):
    # given
    before = state(in_progress)
    # when
    with pytest.raises(GuardFailed) as exc:
        services.case_close(case=in_progress, actor=people.judge2, closure=Closure.PERFORMED)
    # then
    assert exc.value.code == "not_case_judge"
    assert state(in_progress) == before


def test_restore_is_the_case_judges_decision(people, api):
    # given
    case = advance(file_case(people.clerk, filed_at=at(3, 1)), CaseStatus.IN_PROGRESS,
                   bureau=people.bureau, judge=people.judge)
    services.case_close(case=case, actor=people.judge, closure=Closure.TERMINATED_ROUND)
    cases_before = Case.objects.count()
    # when
    r = fire(api(people.judge2), case, "restore")
    # then
    assert r.status_code == 422
    assert r.json()["code"] == "not_case_judge"
    assert Case.objects.count() == cases_before


# --- roles: 403 ---------------------------------------------------------------------------

def test_a_judge_cannot_receive_a_case(people, api):
    # given
    case = file_case(people.clerk)
    before = state(case)
    # when
    r = fire(api(people.judge), case, "receive")
    # then
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    assert state(case) == before


@pytest.mark.parametrize("who", ["finance", "judge", "bureau"])
def test_only_a_filing_clerk_may_file(people, api, who):
    # given
    counts = (Case.objects.count(), AuditEvent.objects.count())
    # when
    r = api(getattr(people, who)).post("/api/v1/cases/", case_payload(), format="json")
    # then
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    assert (Case.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.parametrize("who", ["judge", "officer"])
def test_only_the_bureau_assigns_a_judge(people, api, who):
    # given
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    before = state(case)
    # when
    r = fire(api(getattr(people, who)), case, "assign", {"judge": people.judge.pk})
    # then
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    assert state(case) == before


def test_reassigning_a_case_already_in_progress_is_for_the_bureau_head(people, api, in_progress):
    # given
    before = state(in_progress)
    # when
    refused = fire(api(people.bureau), in_progress, "assign", {"judge": people.judge2.pk})
    # then
    assert refused.status_code == 403
    assert state(in_progress) == before
    # when
    ok = fire(api(people.head), in_progress, "assign", {"judge": people.judge2.pk, "reason": "原承办法官调岗"})
    # then
    assert ok.status_code == 200, ok.json()
    assert ok.json()["judge"] == people.judge2.pk
    assert ok.json()["status"] == "in_progress"


# --- termination_too_early [002] and its override ----------------------------------------

@pytest.mark.smoke
def test_termination_is_blocked_within_three_months_of_filing(people, api, in_progress):
    # given
    before = state(in_progress)
    # when
    r = fire(api(people.judge), in_progress, "close", {"closure": "terminated_round"})
    # then
    assert r.status_code == 422, r.json()
    body = r.json()
    assert body["code"] == "termination_too_early"
    assert [v["code"] for v in body["violations"]] == ["termination_too_early"]
    assert "三个月" in body["detail"]
    assert state(in_progress) == before


@pytest.mark.parametrize("closure", ["performed", "withdrawn", "terminated", "not_enforced",
                                     "transferred_bankruptcy"])
def test_other_closures_are_not_bound_by_the_three_months(people, api, in_progress, closure):
    # when
    r = fire(api(people.judge), in_progress, "close", {"closure": closure})
    # then
    assert r.status_code == 200, r.json()
    assert r.json()["closure"] == closure


def test_termination_is_allowed_from_three_months_after_filing(people, api):
    # given: filed 2026-03-01; 终本 from 2026-06-01 on [002]
    case = file_case(people.clerk, filed_at=at(3, 1, 9))
    services.case_receive(case=case, actor=people.bureau, occurred_at=at(3, 2))
    services.case_assign(case=case, actor=people.bureau, judge=people.judge, occurred_at=at(3, 2, 11))
    services.case_accept(case=case, actor=people.judge, occurred_at=at(3, 3))
    judge = api(people.judge)
    # when
    early = fire(judge, case, "close", {"closure": "terminated_round", "occurred_at": at(5, 31, 18).isoformat()})
    ok = fire(judge, case, "close", {"closure": "terminated_round", "occurred_at": at(6, 1, 9).isoformat()})
    # then
    assert early.status_code == 422
    assert early.json()["code"] == "termination_too_early"
    assert ok.status_code == 200, ok.json()
    case.refresh_from_db()
    assert (case.status, case.closure, case.closed_at) == (CaseStatus.CLOSED, Closure.TERMINATED_ROUND, at(6, 1, 9))


@pytest.mark.smoke
def test_a_bureau_head_override_lets_termination_through_once_and_is_audited(people, api, in_progress):
    # given the judge is refused, asks from the refusal, and the bureau head approves
    refused = fire(api(people.judge), in_progress, "close", {"closure": "terminated_round"})
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["approval_kind"]) == ("termination_too_early", "override")
    r = api(people.judge).post("/api/v1/approvals/", {
        "case": in_progress.pk, "kind": "override", "code": "termination_too_early",
        "reason": "被执行人确无财产，申请执行人同意终本"}, format="json")
    assert r.status_code == 201, r.json()
    r = api(people.head).post(f"/api/v1/approvals/{r.json()['id']}/transitions/approve/", {"note": "同意"},
                              format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["code"], r.json()["status"], r.json()["decided_by"]) == (
        "termination_too_early", "approved", people.head.pk)
    grant = AuditEvent.objects.get(action="approval.approve", case_id=in_progress.pk)
    assert grant.actor == people.head and grant.reason == "同意"
    asked = AuditEvent.objects.get(action="approval.request", case_id=in_progress.pk)
    assert asked.actor == people.judge and asked.reason.startswith("被执行人确无财产")
    # when
    closed = fire(api(people.judge), in_progress, "close", {"closure": "terminated_round"})
    # then
    assert closed.status_code == 200, closed.json()
    override = ApprovalRequest.objects.get(case=in_progress)
    assert override.status == ApprovalStatus.USED and override.used_at is not None and override.used_by == people.judge
    use = AuditEvent.objects.get(action="approval.use", case_id=in_progress.pk)
    assert use.actor == people.judge
    assert (use.after["code"], use.after["approved_by"]) == ("termination_too_early", people.head.pk)
    close = AuditEvent.objects.get(action="case.close", case_id=in_progress.pk)
    assert close.after["overrides"] == ["termination_too_early"]
    assert not ApprovalRequest.objects.filter(status=ApprovalStatus.APPROVED).exists()


def test_an_override_is_used_by_one_closure_only(people, in_progress):
    # given: one override, two early 终本 cases — it belongs to the case it was granted for
    other = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    approved(in_progress, "override", approver=people.head, code="termination_too_early", reason="确无财产")
    # when
    services.case_close(case=in_progress, actor=people.judge, closure=Closure.TERMINATED_ROUND)
    with pytest.raises(GuardFailed) as exc:
        services.case_close(case=other, actor=people.judge, closure=Closure.TERMINATED_ROUND)
    # then
    assert exc.value.code == "termination_too_early"
    assert ApprovalRequest.objects.get().status == ApprovalStatus.USED


@pytest.mark.parametrize("who", ["judge2", "bureau", "supervisor"])
def test_only_a_bureau_head_may_grant_an_override(people, api, in_progress, who):
    # given the judge's pending request
    asked = api(people.judge).post("/api/v1/approvals/", {"case": in_progress.pk, "kind": "override",
                                                          "code": "termination_too_early", "reason": "确无财产"},
                                   format="json").json()
    counts = (ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).count(), AuditEvent.objects.count())
    # when
    r = api(getattr(people, who)).post(f"/api/v1/approvals/{asked['id']}/transitions/approve/", {}, format="json")
    # then
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    assert (ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).count(), AuditEvent.objects.count()) == counts


@pytest.mark.parametrize(("body", "field"), [
    ({"code": "not_case_judge", "reason": "特殊情况"}, "code"),
    ({"code": "termination_too_early", "reason": "   "}, "reason"),
    ({"code": "termination_too_early"}, "reason"),
    ({"reason": "确无财产"}, "code"),
])
def test_an_override_needs_an_overridable_code_and_a_reason(people, api, in_progress, body, field):
    # when
    r = api(people.judge).post("/api/v1/approvals/", {"case": in_progress.pk, "kind": "override", **body},
                               format="json")
    # then
    assert r.status_code == 400, r.json()
    assert r.json()["code"] == "invalid"
    assert field in r.json()["errors"]
    assert not ApprovalRequest.objects.exists()


# --- the close-guard extension point -------------------------------------------------------

def funds_unpaid(case: Case, closure: str, when: datetime) -> list[Violation]:
    return [Violation("closure_funds_unpaid", "案款账户尚有未发放款项，不得结案。", "[004 §22]")]


@pytest.mark.smoke
def test_closing_reports_every_violation_with_the_first_as_code(people, api, in_progress, core_close_guards,
                                                                monkeypatch):
    # given
    monkeypatch.setattr(core_close_guards, "_close_guards", [core_close_guards.termination_too_early, funds_unpaid])
    before = state(in_progress)
    # when
    r = fire(api(people.judge), in_progress, "close", {"closure": "terminated_round"})
    # then
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "termination_too_early"
    assert [v["code"] for v in body["violations"]] == ["termination_too_early", "closure_funds_unpaid"]
    assert all(v["detail"] for v in body["violations"])
    assert state(in_progress) == before


def test_an_override_removes_only_its_own_violation_and_survives_a_failed_closure(people, api, in_progress,
                                                                                  core_close_guards, monkeypatch):
    # given
    monkeypatch.setattr(core_close_guards, "_close_guards", [core_close_guards.termination_too_early, funds_unpaid])
    approved(in_progress, "override", approver=people.head, code="termination_too_early", reason="确无财产")
    # when
    r = fire(api(people.judge), in_progress, "close", {"closure": "terminated_round"})
    # then
    assert r.status_code == 422
    assert r.json()["code"] == "closure_funds_unpaid"
    assert [v["code"] for v in r.json()["violations"]] == ["closure_funds_unpaid"]
    assert ApprovalRequest.objects.get().status == ApprovalStatus.APPROVED
    assert not AuditEvent.objects.filter(action="approval.use").exists()
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS


def test_a_registered_close_guard_runs_for_every_closure(people, in_progress, core_close_guards, monkeypatch):
    # given
    monkeypatch.setattr(core_close_guards, "_close_guards", [])
    core_close_guards.close_guard(funds_unpaid)
    # when
    with pytest.raises(GuardFailed) as exc:
        services.case_close(case=in_progress, actor=people.judge, closure=Closure.PERFORMED)
    # then
    assert exc.value.code == "closure_funds_unpaid"
    assert core_close_guards.close_guards() == [funds_unpaid]
