"""Approvals (SPEC §11a, §13): the requester asks from the refusal, the bureau head answers from his
inbox, the requester hears the answer, the approved act is done once and the approval is used up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.models import CaseStatus, ClockStop, Property
from cases.property import services as ps
from deadlines.models import Deadline
from enforcement.models import ApprovalRequest, AuditEvent, Notification, OutboxMessage

from .conftest import ask, at, decide

pytestmark = pytest.mark.usefixtures("pinned_clock")


def control(client, house):
    return client.post(f"/api/v1/properties/{house.pk}/transitions/control/",
                       {"measure": "seize", "value": "900000.00", "occurred_at": at(2026, 2, 9, 9).isoformat()},
                       format="json")


def test_an_over_seizure_refusal_offers_an_approval_and_the_approved_override_passes_once(people, api, case, house):
    judge, head = api(people.judge), api(people.head)
    # given the seizure of the whole house is refused, and the refusal says an approval may be asked
    refused = control(judge, house)
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["approval_kind"]) == ("over_seizure", "override")
    assert refused.json()["violations"][0]["approval_kind"] == "override"
    # when the judge asks, with the guard and the house
    r = ask(judge, case, "override", code="over_seizure", obj=house.pk, reason="一证一房，无法分割查封，先整体查封")
    assert r.status_code == 201, r.json()
    req = r.json()
    assert (req["status"], req["requested_by"], req["object"], req["title"]) == (
        "pending", people.judge.pk, house.pk, "例外放行拦截规则：明显超标的查封、冻结")
    # then the bureau head sees it in his inbox and the requester among his own
    inbox = head.get("/api/v1/approvals/?status=pending").json()
    assert [a["id"] for a in inbox["results"]] == [req["id"]] and inbox["count"] == 1
    assert [a["id"] for a in judge.get(f"/api/v1/approvals/?requested_by={people.judge.pk}").json()["results"]] \
        == [req["id"]]
    assert head.get(f"/api/v1/approvals/{req['id']}/transitions/").json() == ["approve", "reject"]
    assert judge.get(f"/api/v1/approvals/{req['id']}/transitions/").json() == []
    # and the seizure is still refused while the request waits
    assert control(judge, house).status_code == 422
    # when the bureau head approves with a note
    r = decide(head, req["id"], "approve", "同意整体查封，拍卖后超出部分及时退还")
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["decided_by"], r.json()["note"]) == (
        "approved", people.head.pk, "同意整体查封，拍卖后超出部分及时退还")
    # then the requester is notified through the outbox
    answer = Notification.objects.get(recipient=people.judge, kind="approval_answered")
    assert "已批准" in answer.title and case.number in answer.title and answer.case_id == case.pk
    assert OutboxMessage.objects.filter(topic="notifications.deliver", payload__ids__contains=[answer.pk]).exists()
    # and the seizure passes once; the approval is used up by it
    r = control(judge, house)
    assert r.status_code == 200, r.json()
    used = ApprovalRequest.objects.get(pk=req["id"])
    assert (used.status, used.used_by, used.used_at) == ("used", people.judge, at(2026, 2, 9, 9))
    assert AuditEvent.objects.filter(action="approval.use", object_id=str(used.pk), actor=people.judge).count() == 1
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="approval.").order_by("id")] == [
        "approval.request", "approval.approve", "approval.use"]


def test_a_rejected_request_leaves_the_act_refused_and_tells_the_requester_why(people, api, case, house):
    judge, head = api(people.judge), api(people.head)
    req = ask(judge, case, "override", code="over_seizure", obj=house.pk).json()
    # a rejection needs its reason
    r = decide(head, req["id"], "reject", "")
    assert r.status_code == 400 and "note" in r.json()["errors"]
    r = decide(head, req["id"], "reject", "可先查封被执行人名下车辆，暂不整体查封房产")
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert "不予批准" in Notification.objects.get(recipient=people.judge, kind="approval_answered").title
    assert control(judge, house).status_code == 422
    # a decided request is not decided again
    assert decide(head, req["id"], "approve").status_code == 409
    assert decide(head, req["id"], "reject", "再次驳回").json()["code"] == "approval_decided"


def test_the_bureau_heads_are_notified_of_a_new_request(people, api, case):
    ask(api(people.judge), case, "suspension", reason="被执行人重病住院")
    n = Notification.objects.get(kind="approval_requested")
    assert n.recipient == people.head and "中止/暂缓执行" in n.title and "陈法官" in n.body


def test_an_approved_appraisal_is_used_by_the_valuation_of_its_property(people, api, case, house):
    judge = api(people.judge)
    ps.property_control(prop=house, actor=people.judge, measure="seize", value=Decimal("150000"),
                        occurred_at=at(2026, 2, 9, 9))
    r = judge.post(f"/api/v1/properties/{house.pk}/transitions/start_valuation/", {"method": "appraisal"},
                   format="json")
    assert r.status_code == 422 and (r.json()["code"], r.json()["approval_kind"]) == (
        "appraisal_not_approved", "appraisal")
    req = ask(judge, case, "appraisal", obj=house.pk, reason="房屋附带地下室，网络询价无法反映价值").json()
    assert decide(api(people.head), req["id"], "approve").status_code == 200
    r = judge.post(f"/api/v1/properties/{house.pk}/transitions/start_valuation/", {"method": "appraisal"},
                   format="json")
    assert r.status_code == 200 and r.json()["valuation_method"] == "appraisal"
    assert ApprovalRequest.objects.get(pk=req["id"]).status == "used"


def test_suspension_without_approved_by_uses_an_approved_request(people, api, case):
    judge = api(people.judge)
    r = judge.post(f"/api/v1/cases/{case.pk}/transitions/suspend/", {"reason": "被执行人重病住院"}, format="json")
    assert r.status_code == 422 and (r.json()["code"], r.json()["approval_kind"]) == (
        "approval_required", "suspension")
    req = ask(judge, case, "suspension", reason="被执行人重病住院，无法配合执行").json()
    assert decide(api(people.head), req["id"], "approve", "同意中止").status_code == 200
    r = judge.post(f"/api/v1/cases/{case.pk}/transitions/suspend/",
                   {"reason": "被执行人重病住院", "occurred_at": at(2026, 3, 2, 9).isoformat()}, format="json")
    assert r.status_code == 200 and r.json()["status"] == CaseStatus.SUSPENDED
    stop = ClockStop.objects.get(case=case)
    assert (stop.started_by, stop.approved_by, stop.started_at) == (people.judge, people.head, at(2026, 3, 2, 9))
    assert AuditEvent.objects.get(action="case.suspend", case_id=case.pk).after["approved_by"] == people.head.pk
    # used up: after resuming, a second suspension needs a new approval
    assert judge.post(f"/api/v1/cases/{case.pk}/transitions/resume/",
                      {"occurred_at": at(2026, 4, 1, 9).isoformat()}, format="json").status_code == 200
    assert judge.post(f"/api/v1/cases/{case.pk}/transitions/suspend/",
                      {"reason": "再次中止"}, format="json").json()["code"] == "approval_required"


def test_a_case_limit_stop_uses_an_approved_clock_stop_request(people, api, case):
    judge = api(people.judge)
    body = {"kind": "public_notice", "reason": "公告送达执行通知书（人民法院报）",
            "occurred_at": at(2026, 3, 2, 9).isoformat()}
    r = judge.post(f"/api/v1/cases/{case.pk}/clock-stops/", body, format="json")
    assert r.status_code == 422 and r.json()["approval_kind"] == "clock_stop"
    req = ask(judge, case, "clock_stop", reason="被执行人下落不明，需公告送达").json()
    assert decide(api(people.head), req["id"], "approve").status_code == 200
    r = judge.post(f"/api/v1/cases/{case.pk}/clock-stops/", body, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["approved_by"] == people.head.pk
    assert ApprovalRequest.objects.get(pk=req["id"]).status == "used"


def test_termination_within_three_months_passes_once_with_an_approved_override(people, api, case, core_close_guards):
    judge = api(people.judge)
    close = {"closure": "terminated_round", "occurred_at": at(2026, 3, 10, 9).isoformat()}
    r = judge.post(f"/api/v1/cases/{case.pk}/transitions/close/", close, format="json")
    assert r.status_code == 422 and r.json()["approval_kind"] == "override"
    req = ask(judge, case, "override", code="termination_too_early",
              reason="被执行人确无财产，申请执行人同意终本").json()
    assert decide(api(people.head), req["id"], "approve").status_code == 200
    r = judge.post(f"/api/v1/cases/{case.pk}/transitions/close/", close, format="json")
    assert r.status_code == 200 and r.json()["closure"] == "terminated_round"
    assert ApprovalRequest.objects.get(pk=req["id"]).used_at == at(2026, 3, 10, 9)


def test_a_payee_change_in_one_step_uses_an_approved_request(people, case):
    from enforcement.approvals.services import approval_approve, approval_request
    from enforcement.errors import GuardFailed
    from funds import services as funds_services

    change = {"bank": "中国农业银行洛阳分行", "account_no": "6228480012345678901", "holder": case.payee_holder,
              "reason": "原账户已销户"}
    with pytest.raises(GuardFailed) as exc:
        funds_services.payee_change(case=case, actor=people.judge, **change)
    assert (exc.value.code, exc.value.approval_kind) == ("approval_required", "payee_change")
    req = approval_request(case=case, actor=people.judge, kind="payee_change", reason="原账户已销户")
    approval_approve(request=req, actor=people.head)
    funds_services.payee_change(case=case, actor=people.judge, **change)
    case.refresh_from_db()
    assert case.payee_account_no == "6228480012345678901"
    req.refresh_from_db()
    assert req.status == "used"


def test_a_clerk_asks_for_a_deadline_correction_and_the_bureau_heads_correction_uses_it(people, api, case):
    d = Deadline.objects.filter(case=case, completed_at__isnull=True).exclude(status="cancelled").order_by("id").first()
    assert d is not None
    # the clerk may not correct it himself, but may ask
    assert api(people.bureau).post(f"/api/v1/deadlines/{d.pk}/correct_start/", {
        "started_at": at(2026, 2, 3, 9).isoformat(), "reason": "起算时间录入错误"}, format="json").status_code == 403
    r = ask(api(people.bureau), case, "deadline_correction", obj=d.pk, reason="移送时间误录为次日，应为 2 月 3 日 9 时")
    assert r.status_code == 201, r.json()
    assert ask(api(people.bureau), case, "deadline_correction", reason="未指明期限").status_code == 400
    assert decide(api(people.head), r.json()["id"], "approve", "属实，予以更正").status_code == 200
    c = api(people.head).post(f"/api/v1/deadlines/{d.pk}/correct_start/", {
        "started_at": at(2026, 2, 3, 9).isoformat(), "reason": "依内勤申请更正"}, format="json")
    assert c.status_code == 200, c.json()
    req = ApprovalRequest.objects.get(pk=r.json()["id"])
    assert (req.status, req.used_by) == ("used", people.head)


def test_one_pending_request_per_act(people, api, case, house):
    judge = api(people.judge)
    assert ask(judge, case, "override", code="over_seizure", obj=house.pk).status_code == 201
    r = ask(judge, case, "override", code="over_seizure", obj=house.pk)
    assert r.status_code == 409 and r.json()["code"] == "approval_pending"


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "override", "code": "not_case_judge"}, "code"),
    ({"kind": "override"}, "code"),
    ({"kind": "suspension", "code": "over_seizure"}, "code"),
    ({"kind": "suspension", "object": 1}, "object"),
    ({"kind": "appraisal", "object": 999999}, "object"),
    ({"kind": "no_such_kind"}, "kind"),
    ({"kind": "suspension", "reason": "  "}, "reason"),
])
def test_a_malformed_request_is_400_and_writes_nothing(people, api, case, body, field):
    payload = {"case": case.pk, "reason": "确有必要", **body}
    r = api(people.judge).post("/api/v1/approvals/", payload, format="json")
    assert r.status_code == 400 and field in r.json()["errors"], r.json()
    assert not ApprovalRequest.objects.exists()


def test_the_request_accepts_an_idempotency_key(people, api, case):
    judge = api(people.judge)
    first = ask(judge, case, "suspension", reason="被执行人重病住院", HTTP_IDEMPOTENCY_KEY="ask-1")
    again = ask(judge, case, "suspension", reason="被执行人重病住院", HTTP_IDEMPOTENCY_KEY="ask-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert ApprovalRequest.objects.count() == 1
    other = ask(judge, case, "suspension", reason="另一理由", HTTP_IDEMPOTENCY_KEY="ask-1")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


def test_an_unused_approval_is_for_its_own_property_only(people, api, case, house):
    ps.query_feedback(query=case.queries.get(), actor=people.judge, categories=["real_estate"],
                      occurred_at=at(2026, 2, 7, 9),
                      properties=[ps.FoundProperty("real_estate", "商铺（不可分割）", Decimal("800000"))])
    shop = Property.objects.filter(case=case).exclude(pk=house.pk).get()
    req = ask(api(people.judge), case, "override", code="over_seizure", obj=house.pk).json()
    decide(api(people.head), req["id"], "approve")
    r = api(people.judge).post(f"/api/v1/properties/{shop.pk}/transitions/control/",
                               {"measure": "seize", "value": "800000.00"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "over_seizure"
    assert ApprovalRequest.objects.get(pk=req["id"]).status == "approved"


def test_a_payee_change_request_waits_in_the_inbox_and_its_approval_there_changes_the_account(people, api, case):
    from funds import services as funds_services
    from funds.models import PayeeChange

    change = funds_services.payee_change_request(case=case, actor=people.judge, bank="中国农业银行洛阳分行",
                                                 account_no="6228480012345678901", holder=case.payee_holder,
                                                 reason="原账户已销户")
    inbox = api(people.head).get("/api/v1/approvals/?status=pending&kind=payee_change").json()["results"]
    assert [(a["object"], a["requested_by"]) for a in inbox] == [(change.pk, people.judge.pk)]
    r = decide(api(people.head), inbox[0]["id"], "approve", "核实无误")
    assert r.status_code == 200 and r.json()["status"] == "used", r.json()
    change = PayeeChange.objects.get(pk=change.pk)
    case.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_note) == ("approved", people.head, "核实无误")
    assert case.payee_account_no == "6228480012345678901"


def test_a_payee_change_decided_on_the_funds_page_answers_its_request_too(people, case):
    from funds import services as funds_services

    change = funds_services.payee_change_request(case=case, actor=people.judge, bank="中国农业银行洛阳分行",
                                                 account_no="6228480012345678901", holder=case.payee_holder,
                                                 reason="原账户已销户")
    funds_services.payee_change_reject(change=change, actor=people.head, note="账户户名与申请执行人不一致")
    req = ApprovalRequest.objects.get(kind="payee_change", object_id=change.pk)
    assert (req.status, req.decided_by, req.note) == ("rejected", people.head, "账户户名与申请执行人不一致")
    assert Notification.objects.filter(recipient=people.judge, kind="approval_answered").exists()
