"""Disbursements (SPEC §6.3): payment only to the registered account [004 §20], idempotent payments,
holds with approval, disputed splits [004 §22], several creditors, and the closing guard."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from cases import services as case_services
from enforcement.models import AuditEvent
from funds import services
from funds.models import Disbursement, PaymentKey, Posting

from .conftest import receive


def _notified(case, people, amount="5000.00", txn="TXN-1"):
    receive(people.finance, case, amount, txn=txn)
    d = case.disbursements.get(receipt__bank_txn_id=txn)
    return services.disbursement_notify(disbursement=d, actor=people.judge)


def _pay(client, d, account, key="key-1", bank_ref="REF-1"):
    return client.post(f"/api/v1/disbursements/{d.pk}/transitions/pay/",
                       {"payee_account_no": account, "bank_ref": bank_ref}, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.smoke
def test_payment_to_any_account_but_the_registered_one_is_refused_and_nothing_changes(case, people, api):
    # given a notified disbursement
    d = _notified(case, people)
    postings = Posting.objects.count()
    # when finance pays to another account
    r = _pay(api(people.finance), d, "6222000000000009999")
    # then 422 payee_not_registered and nothing changed
    assert r.status_code == 422
    assert r.json()["code"] == "payee_not_registered"
    d.refresh_from_db()
    assert d.status == "notified" and d.paid_at is None
    assert Posting.objects.count() == postings and not PaymentKey.objects.exists()


def test_a_payment_repeated_with_the_same_key_returns_the_first_result_and_pays_once(case, people, api):
    d = _notified(case, people)
    client = api(people.finance)
    first = _pay(client, d, case.payee_account_no)
    again = _pay(client, d, case.payee_account_no)
    # SPEC §13 "Idempotency": the same key with a different body is refused, not paid or replayed
    other = _pay(client, d, case.payee_account_no, bank_ref="REF-OTHER")
    assert first.status_code == 200 and again.status_code == 200
    assert again.json() == first.json() and again.json()["bank_ref"] == "REF-1"
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")
    assert Posting.objects.filter(kind="pay").count() == 2  # one entry, two lines
    assert client.get(f"/api/v1/cases/{case.pk}/ledger/").json()["paid"] == "5000.00"


def test_a_payment_without_an_idempotency_key_is_refused(case, people, api):
    d = _notified(case, people)
    r = api(people.finance).post(f"/api/v1/disbursements/{d.pk}/transitions/pay/",
                                 {"payee_account_no": case.payee_account_no, "bank_ref": "R"}, format="json")
    assert r.status_code == 400 and "Idempotency-Key" in r.json()["errors"]


def test_only_the_post_judge_sends_the_payment_notice_and_only_finance_pays(case, people, api):
    receive(people.finance, case, "100.00")
    d = case.disbursements.get()
    r = api(people.judge2).post(f"/api/v1/disbursements/{d.pk}/transitions/notify/", {}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "not_case_judge"
    assert api(people.judge).get(f"/api/v1/disbursements/{d.pk}/transitions/").json() == ["notify", "split", "hold"]
    services.disbursement_notify(disbursement=d, actor=people.judge)
    r = _pay(api(people.judge), d, case.payee_account_no)
    assert r.status_code == 403
    r = api(people.judge).post(f"/api/v1/disbursements/{d.pk}/transitions/notify/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "transition_not_allowed"


def test_a_disputed_part_is_held_and_the_undisputed_part_is_paid_first(case, people, api):
    # given 10,000 arrived of which 4,000 are disputed [004 §22]
    receive(people.finance, case, "10000.00")
    d = case.disbursements.get()
    r = api(people.judge).post(f"/api/v1/disbursements/{d.pk}/transitions/split/",
                               {"disputed_amount": "4000.00", "reason": "案外人主张部分款项"}, format="json")
    assert r.status_code == 200 and r.json()["amount"] == "6000.00" and r.json()["status"] == "pending"
    # when the undisputed part is notified and paid at once
    d.refresh_from_db()
    services.disbursement_notify(disbursement=d, actor=people.judge)
    assert _pay(api(people.finance), d, case.payee_account_no).status_code == 200
    # then the ledger shows 6,000 paid and 4,000 held, awaiting the bureau head's approval
    ledger = api(people.judge).get(f"/api/v1/cases/{case.pk}/ledger/").json()
    assert ledger == {"received": "10000.00", "paid": "6000.00", "notified": "0.00", "pending": "0.00",
                      "held": "4000.00", "unallocated": "0.00", "account_no": case.account_no}
    held = Disbursement.objects.get(status="held")
    assert held.split_from_id == d.pk and held.hold_awaiting_approval
    r = api(people.head).post(f"/api/v1/disbursements/{held.pk}/transitions/approve_hold/",
                              {"note": "同意暂缓"}, format="json")
    assert r.status_code == 200 and r.json()["hold_approved_by"] == people.head.pk


def test_a_split_must_leave_an_undisputed_part(case, people, api):
    receive(people.finance, case, "100.00")
    d = case.disbursements.get()
    r = api(people.judge).post(f"/api/v1/disbursements/{d.pk}/transitions/split/", {"disputed_amount": "100.00"},
                               format="json")
    assert r.status_code == 400 and "disputed_amount" in r.json()["errors"]
    assert Disbursement.objects.count() == 1


def test_a_hold_needs_a_reason_and_an_approver_who_is_a_bureau_head(case, people, api):
    receive(people.finance, case, "100.00")
    d = case.disbursements.get()
    client = api(people.judge)
    r = client.post(f"/api/v1/disbursements/{d.pk}/transitions/hold/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(f"/api/v1/disbursements/{d.pk}/transitions/hold/",
                    {"reason": "申请执行人下落不明，提存", "ground": "escrow", "approved_by": people.judge2.pk},
                    format="json")
    assert r.status_code == 400 and "approved_by" in r.json()["errors"]
    r = client.post(f"/api/v1/disbursements/{d.pk}/transitions/hold/",
                    {"reason": "申请执行人下落不明，提存", "ground": "escrow", "approved_by": people.head.pk},
                    format="json")
    assert r.status_code == 200 and r.json()["status"] == "held"
    assert AuditEvent.objects.filter(action="disbursement.hold", object_id=str(d.pk)).get().after["approved_by"] \
        == people.head.pk


def test_several_creditors_are_allocated_in_the_judges_order_with_priority_parties_first(
        two_creditor_case, people, api):
    case = two_creditor_case
    receive(people.finance, case, "9000.00")
    receipt = case.receipts.get()
    # given the money stays unallocated until the judge decides
    assert not case.disbursements.exists()
    ordinary, protected = case.parties.filter(role="applicant").order_by("id")
    client = api(people.judge)
    # when the judge puts the ordinary creditor before the protected one
    r = client.post(f"/api/v1/funds/receipts/{receipt.pk}/allocate/", {"allocations": [
        {"party": ordinary.pk, "amount": "5000.00"}, {"party": protected.pk, "amount": "4000.00"}]}, format="json")
    # then it is refused [000 §6]
    assert r.status_code == 400 and "allocations" in r.json()["errors"]
    # when the amounts do not add up
    r = client.post(f"/api/v1/funds/receipts/{receipt.pk}/allocate/", {"allocations": [
        {"party": protected.pk, "amount": "4000.00"}, {"party": ordinary.pk, "amount": "4000.00"}]}, format="json")
    assert r.status_code == 400
    # when the protected party comes first and the amounts sum to the receipt
    r = client.post(f"/api/v1/funds/receipts/{receipt.pk}/allocate/", {"allocations": [
        {"party": protected.pk, "amount": "4000.00"}, {"party": ordinary.pk, "amount": "5000.00"}]}, format="json")
    # then one pending disbursement per creditor, in that order
    assert r.status_code == 201, r.content
    assert [(x["party"], x["amount"], x["sequence"]) for x in r.json()] == [
        (protected.pk, "4000.00", 1), (ordinary.pk, "5000.00", 2)]
    assert client.get(f"/api/v1/cases/{case.pk}/ledger/").json()["pending"] == "9000.00"


def test_closing_a_case_whose_account_holds_unpaid_money_is_blocked_until_it_is_paid_out(case, people, api):
    # given money on the case account not yet paid out
    d = _notified(case, people)
    # when the judge closes the case as performed
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/transitions/close/", {"closure": "performed"},
                               format="json")
    # then closure_funds_unpaid blocks it
    assert r.status_code == 422
    assert "closure_funds_unpaid" in [v["code"] for v in r.json()["violations"]]
    # when the money is paid out, the guard passes
    services.disbursement_pay(disbursement=d, actor=people.finance, payee_account_no=case.payee_account_no,
                              bank_ref="R1", idempotency_key="close-1")
    case.refresh_from_db()
    from cases.rules import close_guards

    assert all(v.code != "closure_funds_unpaid" for g in close_guards() for v in g(case, "performed", d.paid_at))
    closed = case_services.case_close(case=case, actor=people.judge, closure="performed")
    assert closed.status == "closed"


def test_ledger_postings_cannot_be_updated_or_deleted(case, people):
    receive(people.finance, case, "100.00")
    posting = Posting.objects.first()
    for sql in ("UPDATE funds_posting SET credit = credit + 1 WHERE id = %s",
                "DELETE FROM funds_posting WHERE id = %s"):
        with pytest.raises(Exception) as exc:  # noqa: PT011 - the driver's error type differs per database
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [posting.pk])
        assert "append-only" in str(exc.value)
    posting.refresh_from_db()
    assert posting.debit + posting.credit == Decimal("100.00")


def test_an_unbalanced_posting_is_refused_by_the_database_constraint(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(entry="00000000-0000-0000-0000-000000000001", kind="x", account="bank:1",
                               court_id=case.court_id, debit=Decimal("1"), credit=Decimal("1"),
                               created_at=case.filed_at)


def test_payee_account_changes_only_with_a_bureau_heads_approval_and_both_acts_are_audited(case, people, api):
    # given the judge asks to change the payee account
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/payee-changes/", {
        "bank": "中国银行洛阳分行", "account_no": "6216600000001111", "holder": "洛阳市宏达建材有限公司",
        "reason": "原账户已销户，申请执行人提交新账户证明"}, format="json")
    assert r.status_code == 201
    change = r.json()["id"]
    case.refresh_from_db()
    assert case.payee_account_no == "6222021705001234567"  # nothing changes before approval
    # when the judge tries to approve it himself, then it is refused
    assert api(people.judge).post(f"/api/v1/payee-changes/{change}/approve/", {}, format="json").status_code == 403
    # when the bureau head approves
    r = api(people.head).post(f"/api/v1/payee-changes/{change}/approve/", {"note": "核实无误"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    case.refresh_from_db()
    assert case.payee_account_no == "6216600000001111"
    actions = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {"payee_change.request", "payee_change.approve", "case.payee_change"} <= actions
    # and payment now goes only to the new account
    d = _notified(case, people)
    assert _pay(api(people.finance), d, "6222021705001234567").json()["code"] == "payee_not_registered"
    assert _pay(api(people.finance), d, "6216600000001111", key="k2").status_code == 200


def test_disbursement_list_by_case_runs_a_constant_number_of_queries(case, people, api,
                                                                     django_assert_max_num_queries):
    for i in range(10):
        receive(people.finance, case, "10.00", txn=f"L-{i}")
    with django_assert_max_num_queries(5):
        r = api(people.judge).get(f"/api/v1/disbursements/?case={case.pk}")
    assert r.json()["count"] == 10
    assert api(people.judge).get("/api/v1/disbursements/?case=abc").status_code == 400


def test_check_ledger_passes_on_a_consistent_ledger_and_fails_on_a_discrepancy(case, people):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    d = _notified(case, people)
    services.disbursement_split(disbursement=d, actor=people.judge, disputed_amount=Decimal("1.00"))
    call_command("check_ledger")
    # when a posting that no disbursement explains appears
    Posting.objects.bulk_create([
        Posting(entry="00000000-0000-0000-0000-000000000002", kind="manual", account=f"case:{case.pk}:pending",
                court_id=case.court_id, case_id=case.pk, debit=Decimal("5.00"), created_at=case.filed_at),
        Posting(entry="00000000-0000-0000-0000-000000000002", kind="manual", account=f"case:{case.pk}:paid",
                court_id=case.court_id, case_id=case.pk, credit=Decimal("5.00"), created_at=case.filed_at),
    ])
    with pytest.raises(CommandError):
        call_command("check_ledger")
