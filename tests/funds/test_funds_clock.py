"""The 10 + 5 clock [004 §22] and the local FUNDS_OUT rules ([002] Zhejiang), through the API."""

from decimal import Decimal

import pytest

from cases.models import CaseStatus
from deadlines.models import Deadline
from enforcement.models import Role
from tests.factories import UserFactory, advance, file_case

from .conftest import at, receipt_body


def _deadline(case, rule):
    return Deadline.objects.get(case=case, node=rule)


def _api_deadlines(client, case):
    r = client.get(f"/api/v1/cases/{case.pk}/deadlines/")
    assert r.status_code == 200
    rows = r.json()["results"] if isinstance(r.json(), dict) else r.json()
    return {row["rule"]: row for row in rows}


@pytest.mark.smoke
def test_funds_arriving_feb_10_must_be_notified_by_mar_2_and_paid_5_working_days_after_the_notice(
        case, people, api, pinned_clock):
    # given funds arriving on 2026-02-10 on the case account (bank feed)
    r = api(people.finance).post("/api/v1/funds/receipts/", receipt_body(case), format="json")
    assert r.status_code == 201, r.content
    # then FUNDS_NOTICE is due at the end of the 10th working day (Spring Festival 2026-02-15…23 skipped)
    deadlines = _api_deadlines(api(people.judge), case)
    assert deadlines["FUNDS_NOTICE"]["due_at"] == "2026-03-02T23:59:59+08:00"
    # and, read on 2026-11-25 with no notice sent, it is breached (SPEC §4: a breach is a fact of time)
    assert deadlines["FUNDS_NOTICE"]["status"] == "breached"
    # when the judge sends the payment notice on 2026-03-02
    d = api(people.judge).get(f"/api/v1/disbursements/?case={case.pk}").json()["results"][0]
    assert d["status"] == "pending"
    r = api(people.judge).post(f"/api/v1/disbursements/{d['id']}/transitions/notify/",
                               {"occurred_at": "2026-03-02T15:00:00+08:00"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "notified"
    # then FUNDS_NOTICE is met on time and FUNDS_PAY runs to the end of 2026-03-09
    deadlines = _api_deadlines(api(people.judge), case)
    assert deadlines["FUNDS_NOTICE"]["status"] == "met"
    assert deadlines["FUNDS_NOTICE"]["completed_late"] is False
    assert deadlines["FUNDS_PAY"]["due_at"] == "2026-03-09T23:59:59+08:00"
    # when finance pays on 2026-03-05
    r = api(people.finance).post(f"/api/v1/disbursements/{d['id']}/transitions/pay/",
                                 {"payee_account_no": case.payee_account_no, "bank_ref": "PAY0305001",
                                  "occurred_at": "2026-03-05T10:00:00+08:00"},
                                 format="json", HTTP_IDEMPOTENCY_KEY="k-0305")
    # then FUNDS_PAY is met and the money is out
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "paid"
    assert _api_deadlines(api(people.judge), case)["FUNDS_PAY"]["status"] == "met"
    ledger = api(people.judge).get(f"/api/v1/cases/{case.pk}/ledger/").json()
    assert ledger["received"] == "50000.00" and ledger["paid"] == "50000.00" and ledger["pending"] == "0.00"


def test_zhejiang_funds_must_be_paid_out_within_7_working_days_and_are_met_when_nothing_remains_unpaid(
        people, rules, courts):
    # given a Hangzhou case (Zhejiang rule set [002]) with its own clerk, bureau and finance
    hz = courts.hangzhou
    clerk = UserFactory(username="hz_clerk", court=hz, roles=[Role.FILING_CLERK])
    bureau = UserFactory(username="hz_bureau", court=hz, roles=[Role.BUREAU_CLERK])
    finance = UserFactory(username="hz_finance", court=hz, roles=[Role.FINANCE])
    case = advance(file_case(clerk), CaseStatus.IN_PROGRESS, bureau=bureau, judge=people.hz_judge)
    from funds import services

    receipt, _ = services.receipt_record(actor=finance, data=services.ReceiptData(
        "HZ-1", case.account_no, Decimal("8000.00"), "李四", at(2026, 9, 29, 9, 0)))
    # then FUNDS_OUT: 7 working days from 2026-09-29:
    # 09-30, 10-08, 10-09, 10-10 (working Saturday), 10-12, 10-13, 10-14
    out = _deadline(case, "FUNDS_OUT")
    assert out.subject_type == "receipt" and out.subject_id == receipt.pk
    assert out.due_at == at(2026, 10, 14, 23, 59, 59)
    # when the undisputed half is split off and paid, the disputed half held
    d = case.disbursements.get()
    d = services.disbursement_split(disbursement=d, actor=people.hz_judge, disputed_amount=Decimal("3000.00"),
                                    reason="被执行人对利息部分提出异议")
    services.disbursement_notify(disbursement=d, actor=people.hz_judge)
    services.disbursement_pay(disbursement=d, actor=finance, payee_account_no=case.payee_account_no,
                              bank_ref="HZPAY1", idempotency_key="hz-1")
    # then FUNDS_OUT is met: what remains is lawfully held, under its own clock once released
    out.refresh_from_db()
    assert out.status == "met"
    held = case.disbursements.get(status="held")
    assert held.amount == Decimal("3000.00") and held.hold_ground == "dispute"


def test_a_hold_stops_the_payment_clock_and_release_starts_the_10_day_held_funds_clock(case, people):
    # given a notified disbursement with FUNDS_PAY running
    from funds import services

    from .conftest import receive

    receive(people.finance, case, "1200.00", received_at=at(2026, 11, 2, 9, 0))
    d = case.disbursements.get()
    services.disbursement_notify(disbursement=d, actor=people.judge, occurred_at=at(2026, 11, 3, 9, 0))
    assert _deadline(case, "FUNDS_PAY").status == "running"
    # when the judge holds it on a legal ground, approved by the bureau head
    services.disbursement_hold(disbursement=d, actor=people.judge, reason="案外人提出执行异议，正在审查",
                               ground="objection", approved_by=people.head, occurred_at=at(2026, 11, 4, 9, 0))
    # then the payment clock is cancelled and the notice clock is met (the notice was sent)
    assert _deadline(case, "FUNDS_PAY").status == "cancelled"
    assert _deadline(case, "FUNDS_NOTICE").status == "met"
    # when the cause ends on 2026-11-10
    services.disbursement_release_hold(disbursement=d, actor=people.judge, reason="异议被驳回",
                                       occurred_at=at(2026, 11, 10, 9, 0))
    # then it is pending again and FUNDS_HELD_OUT runs 10 days [001]
    d.refresh_from_db()
    assert d.status == "pending"
    held_out = _deadline(case, "FUNDS_HELD_OUT")
    assert held_out.due_at == at(2026, 11, 20, 23, 59, 59)
    # and paying it meets FUNDS_HELD_OUT
    services.disbursement_notify(disbursement=d, actor=people.judge)
    services.disbursement_pay(disbursement=d, actor=people.finance, payee_account_no=case.payee_account_no,
                              bank_ref="B1", idempotency_key="held-1")
    held_out.refresh_from_db()
    assert held_out.status == "met"
