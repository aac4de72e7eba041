"""SPEC §7 interceptions on property, each blocking with its code and changing nothing."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Lead, Property, PropertyStatus
from cases.property import services as ps
from deadlines.models import Deadline
from enforcement.errors import GuardFailed
from enforcement.models import AuditEvent
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")
ALL = ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance", "online_payment", "other"]


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def case(rules, people):
    c = file_case(people.clerk, filed_at=at(2026, 2, 2, 9))  # claim 150,000.00
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=at(2026, 2, 3, 9))
    c = services.case_assign(case=c, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 2, 3, 10))
    return services.case_accept(case=c, actor=people.judge, occurred_at=at(2026, 2, 4, 9))


def found(case, people, *props, categories=None, when=None):
    when = when or at(2026, 2, 6, 9)
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=categories or ALL, properties=list(props),
                      occurred_at=when)
    return list(Property.objects.filter(case=case).order_by("id"))


def refused(client, pk, name, code, **params):
    events = AuditEvent.objects.count()
    prop = Property.objects.get(pk=pk)
    r = client.post(f"/api/v1/properties/{pk}/transitions/{name}/", params, format="json")
    assert r.status_code == 422, r.content
    assert r.json()["code"] == code
    assert code in [v["code"] for v in r.json()["violations"]]
    after = Property.objects.get(pk=pk)
    assert (after.status, after.controlled_value, after.freeze_amount) == (prop.status, prop.controlled_value,
                                                                          prop.freeze_amount)
    assert AuditEvent.objects.count() == events
    return r.json()


def test_freeze_amount_missing_blocks_a_bank_freeze_without_or_above_the_claim(case, people, api):
    (deposit,) = found(case, people, ps.FoundProperty("bank_deposit", "工商银行账户", online_controllable=True))
    client = api(people.judge)
    refused(client, deposit.pk, "control", "freeze_amount_missing", measure="freeze")
    body = refused(client, deposit.pk, "control", "freeze_amount_missing", measure="freeze", amount="200000.00")
    assert "超出" in body["detail"]


def test_over_seizure_blocks_control_above_120_percent_of_claim_plus_costs(case, people, api):
    house, car = found(case, people, ps.FoundProperty("real_estate", "住宅一套", Decimal("900000")),
                       ps.FoundProperty("vehicle", "小型轿车", Decimal("90000")))
    client = api(people.judge)
    # 150,000 × 120 % = 180,000: the house alone is far above
    body = refused(client, house.pk, "control", "over_seizure", measure="seize", value="900000.00")
    assert "120%" in body["detail"] and "[004 §15]" in body["violations"][0]["source"]
    # the car (90,000) is fine; a second 100,000 on top of it is not
    assert client.post(f"/api/v1/properties/{car.pk}/transitions/control/", {"measure": "detain"},
                       format="json").status_code == 200
    refused(client, house.pk, "control", "over_seizure", measure="seize", value="100000.00")


def test_over_seizure_of_an_indivisible_house_passes_with_a_bureau_head_override(case, people, api):
    (house,) = found(case, people, ps.FoundProperty("real_estate", "住宅一套（不可分割）", Decimal("900000")))
    refused_ = refused(api(people.judge), house.pk, "control", "over_seizure", measure="seize", value="900000.00")
    assert refused_["approval_kind"] == "override"
    r = api(people.judge).post("/api/v1/approvals/", {
        "case": case.pk, "kind": "override", "code": "over_seizure", "object": house.pk,
        "reason": "不动产登记在同一权证下，无法分割查封，先整体查封"}, format="json")
    assert r.status_code == 201, r.content
    r = api(people.head).post(f"/api/v1/approvals/{r.json()['id']}/transitions/approve/", {}, format="json")
    assert r.status_code == 200, r.content
    r = api(people.judge).post(f"/api/v1/properties/{house.pk}/transitions/control/",
                               {"measure": "seize", "value": "900000.00"}, format="json")
    assert r.status_code == 200, r.content
    assert AuditEvent.objects.filter(action="approval.use", case_id=case.pk).exists()
    # the override is used up
    assert case.approval_requests.get().status == "used"


def test_waiting_seizures_do_not_count_towards_over_seizure(case, people, api):
    (house,) = found(case, people, ps.FoundProperty("real_estate", "已被他案首封的住宅", Decimal("900000")))
    r = api(people.judge).post(f"/api/v1/properties/{house.pk}/transitions/control/",
                               {"measure": "seize", "queue": "waiting", "value": "900000.00"}, format="json")
    assert r.status_code == 200


def test_exempt_property_cannot_be_seized(case, people, api):
    (goods,) = found(case, people, ps.FoundProperty("other", "防疫物资仓库", Decimal("1000"), exempt_kind="relief"))
    refused(api(people.judge), goods.pk, "control", "exempt_property", measure="seize", value="1000.00")


def test_property_of_a_protected_party_cannot_be_controlled(case, people, api):
    case.parties.filter(role="respondent").update(protected=True)
    (car,) = found(case, people, ps.FoundProperty("vehicle", "防疫保障企业运输车", Decimal("5000")))
    refused(api(people.judge), car.pk, "control", "exempt_property", measure="detain", value="5000.00")


def test_several_guards_fail_together_and_all_are_reported(case, people, api):
    (goods,) = found(case, people, ps.FoundProperty("other", "捐赠款物", Decimal("900000"), exempt_kind="donation"))
    body = refused(api(people.judge), goods.pk, "control", "exempt_property", measure="seize", value="900000.00")
    assert {v["code"] for v in body["violations"]} == {"exempt_property", "over_seizure"}


def _valued_house(case, people, reference="100000.00"):
    (house,) = found(case, people, ps.FoundProperty("real_estate", "商铺", Decimal("120000")))
    ps.property_control(prop=house, actor=people.judge, measure="seize", occurred_at=at(2026, 2, 9, 9))
    ps.property_start_valuation(prop=house, actor=people.judge, method="online_inquiry", occurred_at=at(2026, 2, 10, 9))
    ps.property_set_reference_price(prop=house, actor=people.judge, amount=Decimal(reference),
                                    occurred_at=at(2026, 2, 11, 9))
    return Property.objects.get(pk=house.pk)


def test_appraisal_without_approval_is_refused_and_allowed_once_approved(case, people, api):
    (house,) = found(case, people, ps.FoundProperty("real_estate", "住宅", Decimal("120000")))
    ps.property_control(prop=house, actor=people.judge, measure="seize", occurred_at=at(2026, 2, 9, 9))
    client = api(people.judge)
    refused(client, house.pk, "start_valuation", "appraisal_not_approved", method="appraisal")
    refused(client, house.pk, "start_valuation", "appraisal_not_approved", method="directed_inquiry")
    body = refused(client, house.pk, "start_valuation", "appraisal_not_approved", method="appraisal")
    assert body["approval_kind"] == "appraisal"
    asked = client.post("/api/v1/approvals/", {"case": case.pk, "kind": "appraisal", "object": house.pk,
                                               "reason": "房屋结构特殊，网络询价无法反映价值"}, format="json")
    assert asked.status_code == 201, asked.content
    assert api(people.head).post(f"/api/v1/approvals/{asked.json()['id']}/transitions/approve/", {},
                                 format="json").status_code == 200
    r = client.post(f"/api/v1/properties/{house.pk}/transitions/start_valuation/", {"method": "appraisal"},
                    format="json")
    assert r.status_code == 200 and r.json()["valuation_method"] == "appraisal"


def test_starting_price_below_70_percent_and_short_announcements_are_refused(case, people, api):
    house = _valued_house(case, people)
    ps.property_start_disposal(prop=house, actor=people.judge, method="online_auction", occurred_at=at(2026, 2, 12, 9))
    client = api(people.judge)
    body = refused(client, house.pk, "schedule_auction", "starting_price_too_low",
                   announced_at=at(2026, 2, 12, 10).isoformat(), auction_at=at(2026, 2, 20, 10).isoformat(),
                   starting_price="69999.99")
    # real estate needs a 30-day announcement [001]: both failures are reported
    assert {v["code"] for v in body["violations"]} == {"starting_price_too_low", "announcement_too_short"}
    assert not house.auction_rounds.exists()
    r = client.post(f"/api/v1/properties/{house.pk}/transitions/schedule_auction/", {
        "announced_at": at(2026, 2, 12, 10).isoformat(), "auction_at": at(2026, 3, 14, 10).isoformat(),
        "starting_price": "70000.00", "occurred_at": at(2026, 2, 12, 10).isoformat()}, format="json")
    assert r.status_code == 200, r.content
    # a failed round may be followed by a reduced one
    ps.property_record_auction_result(prop=house, actor=people.officer, sold=False, occurred_at=at(2026, 3, 15, 9))
    r = client.post(f"/api/v1/properties/{house.pk}/transitions/schedule_auction/", {
        "announced_at": at(2026, 3, 16, 10).isoformat(), "auction_at": at(2026, 4, 16, 10).isoformat(),
        "starting_price": "70000.00", "occurred_at": at(2026, 3, 16, 10).isoformat()}, format="json")
    assert r.status_code == 200 and [x["round_no"] for x in r.json()["auction_rounds"]] == [1, 2]


def test_self_disposal_longer_than_90_days_is_refused(case, people):
    house = _valued_house(case, people)
    start = at(2026, 2, 12, 9)
    with pytest.raises(GuardFailed) as exc:
        ps.property_start_disposal(prop=house, actor=people.judge, method="self_disposal",
                                   until=start + timedelta(days=91), occurred_at=start)
    assert exc.value.code == "self_disposal_too_long"
    ps.property_start_disposal(prop=house, actor=people.judge, method="self_disposal",
                               until=start + timedelta(days=90), occurred_at=start)
    d = Deadline.objects.get(subject_type="property", subject_id=house.pk, node="SELF_DISPOSAL_END")
    assert d.due_at == start + timedelta(days=90)


def test_rolling_release_reduces_a_freeze_partially(case, people, api):
    (deposit,) = found(case, people, ps.FoundProperty("bank_deposit", "企业基本户", online_controllable=True))
    ps.property_control(prop=deposit, actor=people.judge, measure="freeze", amount=Decimal("100000"),
                        occurred_at=at(2026, 2, 6, 10))
    r = api(people.judge).post(f"/api/v1/properties/{deposit.pk}/transitions/release/",
                               {"reason": "滚动解封：保障企业发放工资", "amount": "30000.00"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "controlled"
    assert Decimal(r.json()["controlled_value"]) == Decimal("70000.00")
    r = api(people.judge).post(f"/api/v1/properties/{deposit.pk}/transitions/release/",
                               {"reason": "案件执行完毕"}, format="json")
    assert r.json()["status"] == PropertyStatus.RELEASED


def test_only_the_case_judge_decides_property_measures(case, people, api):
    (car,) = found(case, people, ps.FoundProperty("vehicle", "轿车", Decimal("50000")))
    r = api(people.judge2).post(f"/api/v1/properties/{car.pk}/transitions/control/",
                                {"measure": "detain", "value": "50000.00"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "not_case_judge"


# --- 终本 guards ---------------------------------------------------------------------------

def _ready_for_termination(case):
    from cases.models import Case

    # filed more than 3 months earlier so termination_too_early does not also fire
    Case.objects.filter(pk=case.pk).update(filed_at=at(2025, 10, 1, 9))
    case.refresh_from_db()
    return case


def test_termination_is_refused_without_a_complete_network_query(case, people):
    case = _ready_for_termination(case)
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=["bank_deposit"], properties=[],
                      occurred_at=at(2026, 2, 6, 9))
    with pytest.raises(GuardFailed) as exc:
        services.case_close(case=case, actor=people.judge, closure="terminated_round", occurred_at=at(2026, 5, 10, 9))
    assert "termination_query_incomplete" in [v.code for v in exc.value.violations]


def test_termination_is_refused_with_an_open_lead_or_undisposed_property(case, people):
    case = _ready_for_termination(case)
    (car,) = found(case, people, ps.FoundProperty("vehicle", "轿车", Decimal("50000")))
    ps.property_control(prop=car, actor=people.judge, measure="detain", occurred_at=at(2026, 2, 7, 9))
    ps.lead_receive(case=case, actor=people.judge, description="申请人称被执行人有一处厂房",
                    occurred_at=at(2026, 2, 8, 9))
    with pytest.raises(GuardFailed) as exc:
        services.case_close(case=case, actor=people.judge, closure="terminated_round", occurred_at=at(2026, 5, 10, 9))
    codes = [v.code for v in exc.value.violations]
    assert "termination_leads_open" in codes and "termination_property_undisposed" in codes
    assert "termination_query_incomplete" not in codes
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_leads_urgent_24_hours_verify_5_days_and_the_creditor_is_told(case, people, api):
    from enforcement.models import Notification

    case.parties.filter(role="applicant").update(phone="13937900001")

    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/leads/", {
        "description": "被执行人今晚将转移车辆", "urgent": True, "occurred_at": at(2026, 10, 1, 10).isoformat()},
        format="json")
    assert r.status_code == 201
    lead = Lead.objects.get(pk=r.json()["id"])
    urgent = Deadline.objects.get(subject_type="lead", subject_id=lead.pk, node="LEAD_URGENT")
    assert urgent.due_at == at(2026, 10, 2, 10)  # [004 §13] 24 hours, no holiday extension
    verify = Deadline.objects.get(subject_type="lead", subject_id=lead.pk, node="LEAD_VERIFY")
    assert verify.due_at == at(2026, 10, 8, 23, 59, 59)  # 5 days → 10-06 is a holiday → 10-08
    client = api(people.officer)
    assert client.post(f"/api/v1/leads/{lead.pk}/transitions/start_verification/", {}, format="json").status_code == 200
    urgent.refresh_from_db()
    assert urgent.status == "met"
    r = api(people.judge).post(f"/api/v1/leads/{lead.pk}/transitions/confirm/",
                               {"type": "vehicle", "description": "豫C·12345 小型轿车", "value": "60000"},
                               format="json")
    assert r.status_code == 200 and r.json()["property"]
    sms = Notification.objects.get(kind="party.lead_result", case_id=case.pk, channel="sms")
    assert sms.address == "13937900001" and "核查属实" in sms.body


def test_zhejiang_lead_rule_is_considered_and_the_earliest_due_binds(rules, people):
    from enforcement.models import Role
    from tests.factories import UserFactory

    clerk = UserFactory(username="hz_clerk", court=rules.hangzhou, roles=[Role.FILING_CLERK])
    case = file_case(clerk, filed_at=at(2026, 9, 20, 9))
    lead = ps.lead_receive(case=case, actor=clerk, description="线索", occurred_at=at(2026, 9, 25, 9))
    d = Deadline.objects.get(subject_type="lead", subject_id=lead.pk, node="LEAD_VERIFY")
    # [002]: 7 working days from Fri 09-25: 09-28, 09-29, 09-30, (holiday 10-01…07), 10-08, 10-09,
    # 10-10 (Sat, make-up), 10-12. The national 5 days end on Wed 09-30 — SPEC §4: the earliest due binds.
    from deadlines.models import Rule

    zhejiang = Rule.objects.get(rule_set__code="zhejiang-2016", node="LEAD_VERIFY")
    assert {c["rule"]: c["due"][:10] for c in d.candidates}[zhejiang.pk] == "2026-10-12"
    assert d.bound_rule.rule_set.code == "national"
    assert d.due_at == at(2026, 9, 30, 23, 59, 59)
