"""Four eyes (SPEC §12): nobody approves his own request, whatever roles he holds; the approver of
an act is never its actor. Suspension needs the bureau head's approval (SPEC §6.1 judge + approval)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cases import services
from cases.models import CaseStatus, ClockStop, Property
from cases.property import services as ps
from enforcement.errors import GuardFailed, InvalidInput
from enforcement.models import ApprovalRequest, AuditEvent, Role
from funds import services as funds_services
from funds.models import PayeeChangeStatus
from tests.factories import UserFactory, advance, approved, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock", "core_close_guards")

ALL = ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance", "online_payment", "other"]


@pytest.fixture
def dual(people, courts):
    """A Luoyang user who is both post judge and bureau head (执行局长兼员额法官)."""
    return UserFactory(username="ly_dual", name="马局长", court=courts.luoyang,
                       roles=[Role.POST_JUDGE, Role.BUREAU_HEAD])


@pytest.fixture
def in_progress(people):
    return advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


@pytest.fixture
def dual_case(people, dual):
    """A case in progress whose judge is the dual-role user."""
    return advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=dual)


def counts() -> tuple:
    return AuditEvent.objects.count(), ClockStop.objects.count(), ApprovalRequest.objects.count()


def suspend(client, case, **params):
    return client.post(f"/api/v1/cases/{case.pk}/transitions/suspend/", {"reason": "被执行人重病住院", **params},
                       format="json")


# --- suspension ------------------------------------------------------------------------------

def test_suspension_without_the_bureau_heads_approval_is_refused(people, api, in_progress):
    before = counts()
    r = suspend(api(people.judge), in_progress)
    assert r.status_code == 422 and r.json()["code"] == "approval_required"
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS and counts() == before


def test_suspension_approved_by_a_bureau_head_records_the_approver(people, api, in_progress):
    r = suspend(api(people.judge), in_progress, approved_by=people.head.pk)
    assert r.status_code == 200 and r.json()["status"] == CaseStatus.SUSPENDED
    stop = ClockStop.objects.get(case=in_progress)
    assert (stop.started_by, stop.approved_by) == (people.judge, people.head)
    assert AuditEvent.objects.get(action="case.suspend").after["approved_by"] == people.head.pk


def test_a_judge_who_is_also_bureau_head_cannot_approve_his_own_suspension(people, api, dual, dual_case):
    before = counts()
    r = suspend(api(dual), dual_case, approved_by=dual.pk)
    assert r.status_code == 422 and r.json()["code"] == "self_approval"
    assert counts() == before
    # another bureau head of the court may
    assert suspend(api(dual), dual_case, approved_by=people.head.pk).status_code == 200


def test_the_suspension_approver_is_a_bureau_head_of_the_cases_court(people, api, courts, in_progress):
    xg_head = UserFactory(username="xg_head", name="卫局长", court=courts.xigong, roles=[Role.BUREAU_HEAD])
    for approver in (xg_head, people.judge2, people.supervisor):
        r = suspend(api(people.judge), in_progress, approved_by=approver.pk)
        assert r.status_code == 400 and "approved_by" in r.json()["errors"]


def test_the_browser_suspend_form_offers_the_courts_bureau_heads_but_not_the_judge(client, people, dual, dual_case):
    client.force_login(dual)
    html = client.get(reverse("case-detail", args=[dual_case.pk])).content.decode()
    form = html[html.index('id="action-suspend"'):]
    form = form[:form.index("</form>")]
    assert 'name="suspend-approved_by"' in form
    assert f'value="{people.head.pk}"' in form and f'value="{dual.pk}"' not in form
    # a suspension sent without an approver is refused on the form, with the reason
    r = client.post(reverse("case-transition", args=[dual_case.pk, "suspend"]), {"suspend-reason": "被执行人重病住院"})
    assert r.status_code == 422 and "须经本院执行局长批准" in r.content.decode()
    r = client.post(reverse("case-transition", args=[dual_case.pk, "suspend"]),
                    {"suspend-reason": "被执行人重病住院", "suspend-approved_by": str(people.head.pk)})
    assert r.status_code == 302
    dual_case.refresh_from_db()
    assert dual_case.status == CaseStatus.SUSPENDED


# --- overrides (and appraisal approval, which is one) ------------------------------------------

def test_a_bureau_head_cannot_grant_an_override_for_his_own_case(api, dual, dual_case):
    r = api(dual).post("/api/v1/approvals/", {"case": dual_case.pk, "kind": "override",
                                              "code": "termination_too_early", "reason": "确无财产"}, format="json")
    assert r.status_code == 201, r.json()
    r = api(dual).post(f"/api/v1/approvals/{r.json()['id']}/transitions/approve/", {"note": "同意"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "self_approval"
    assert not ApprovalRequest.objects.exclude(status="pending").exists()


def test_an_override_is_refused_when_its_grantor_is_the_actor_who_uses_it(people, dual, in_progress):
    # given dual grants an override while ly_judge has the case, and then takes the case himself
    approved(in_progress, "override", approver=dual, code="termination_too_early", reason="确无财产")
    services.case_assign(case=in_progress, actor=people.head, judge=dual, reason="调整承办")
    # when he closes by 终本 relying on his own approval
    with pytest.raises(GuardFailed) as exc:
        services.case_close(case=in_progress, actor=dual, closure="terminated_round")
    # then
    assert exc.value.code == "self_approval"
    assert ApprovalRequest.objects.get().status == "approved"
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS


def test_an_override_granted_by_another_bureau_head_is_used_once(people, dual, in_progress):
    approved(in_progress, "override", approver=dual, code="termination_too_early", reason="确无财产")
    services.case_close(case=in_progress, actor=people.judge, closure="terminated_round")
    assert ApprovalRequest.objects.get().status == "used"


def test_appraisal_approved_by_the_judge_himself_is_refused(people, dual, in_progress, rules_seeded):
    # given dual approves an appraisal on ly_judge's case, then takes the case over
    q = ps.query_initiate(case=in_progress, actor=people.judge, channels=["national"])
    ps.query_feedback(query=q, actor=people.judge, categories=ALL,
                      properties=[ps.FoundProperty("real_estate", "住宅", Decimal("120000"))])
    house = Property.objects.get(case=in_progress)
    ps.property_control(prop=house, actor=people.judge, measure="seize")
    approved(in_progress, "appraisal", approver=dual, object_id=house.pk, reason="结构特殊")
    services.case_assign(case=in_progress, actor=people.head, judge=dual, reason="调整承办")
    # when he starts the appraisal himself
    with pytest.raises(GuardFailed) as exc:
        ps.property_start_valuation(prop=house, actor=dual, method="appraisal")
    # then
    assert exc.value.code == "self_approval"
    house.refresh_from_db()
    assert house.status == "controlled"


@pytest.fixture
def rules_seeded(courts):
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed

    calendar_seed_national()
    rulesets_seed()


# --- payee change and holds (funds) -------------------------------------------------------------

def test_nobody_approves_his_own_payee_change_request(people, dual, dual_case):
    change = funds_services.payee_change_request(case=dual_case, actor=dual, bank="中国农业银行洛阳分行",
                                                 account_no="6228480012345678901", holder="洛阳市宏达建材有限公司",
                                                 reason="原账户已销户")
    with pytest.raises(GuardFailed) as exc:
        funds_services.payee_change_approve(change=change, actor=dual)
    assert exc.value.code == "self_approval"
    change.refresh_from_db()
    assert change.status == PayeeChangeStatus.REQUESTED
    dual_case.refresh_from_db()
    assert dual_case.payee_account_no == "6222021705001234567"
    funds_services.payee_change_approve(change=change, actor=people.head)
    change.refresh_from_db()
    assert change.status == PayeeChangeStatus.APPROVED


def test_the_one_step_payee_change_refuses_the_requester_as_approver(dual, dual_case):
    with pytest.raises(GuardFailed):
        funds_services.payee_change(case=dual_case, actor=dual, bank="中国农业银行洛阳分行",
                                    account_no="6228480012345678901", holder="洛阳市宏达建材有限公司",
                                    reason="原账户已销户", approved_by=dual)
    assert not dual_case.payee_changes.exists()


def test_a_hold_is_never_approved_by_the_judge_who_holds(people, dual, dual_case):
    funds_services.receipt_record(actor=people.finance, data=funds_services.ReceiptData(
        bank_txn_id="TXN-4EYES", account_no=dual_case.account_no, amount=Decimal("1000.00"), payer="张伟",
        received_at=dual_case.filed_at))
    d = dual_case.disbursements.get()
    with pytest.raises(GuardFailed) as exc:
        funds_services.disbursement_hold(disbursement=d, actor=dual, reason="案外人提出异议", approved_by=dual)
    assert exc.value.code == "self_approval"
    funds_services.disbursement_hold(disbursement=d, actor=dual, reason="案外人提出异议")
    with pytest.raises(GuardFailed):
        funds_services.disbursement_approve_hold(disbursement=d, actor=dual)
    d = funds_services.disbursement_approve_hold(disbursement=d, actor=people.head)
    assert (d.held_by, d.hold_approved_by) == (dual, people.head)


def test_a_non_bureau_head_is_not_an_approver(people, in_progress):
    with pytest.raises(InvalidInput):
        services.case_suspend(case=in_progress, actor=people.judge, reason="重病", approved_by=people.supervisor)
