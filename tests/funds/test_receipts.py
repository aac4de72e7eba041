"""Receipts from the bank feed (SPEC §6.3, §13 Funds): idempotent by bank transaction id, unidentified
money until matched, all-or-nothing statement import."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from enforcement.models import AuditEvent
from funds.models import Posting, Receipt
from funds.selectors import unidentified_summary

from .conftest import at, receipt_body

STATEMENT = (
    "bank_txn_id,account_no,amount,payer,received_at\n"
    "S-001,{acct},1000.00,张伟,2026-11-02 09:30\n"
    "S-002,{acct},2500.50,张伟,2026-11-03 10:00\n"
    "S-003,9999000011112222,300.00,王五,2026-11-04 11:00\n"
)


def _statement(case, text=STATEMENT):
    return SimpleUploadedFile("statement.csv", text.format(acct=case.account_no).encode("utf-8"), "text/csv")


@pytest.mark.smoke
def test_the_same_bank_transaction_posted_twice_is_recorded_once(case, people, api):
    # given the bank feed posts a receipt
    client = api(people.finance)
    first = client.post("/api/v1/funds/receipts/", receipt_body(case), format="json")
    # when it posts the same transaction again
    second = client.post("/api/v1/funds/receipts/", receipt_body(case), format="json")
    # then the first records it (201), the second answers with the same receipt (200) and nothing doubles
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "identified" and first.json()["case"] == case.pk
    assert Receipt.objects.count() == 1
    assert case.disbursements.count() == 1
    assert client.get(f"/api/v1/cases/{case.pk}/ledger/").json()["received"] == "50000.00"


def test_a_replayed_transaction_id_with_a_different_amount_is_a_conflict(case, people, api):
    client = api(people.finance)
    client.post("/api/v1/funds/receipts/", receipt_body(case), format="json")
    r = client.post("/api/v1/funds/receipts/", receipt_body(case, amount="49000.00"), format="json")
    assert r.status_code == 409 and r.json()["code"] == "bank_txn_conflict"
    assert Receipt.objects.get().amount == Decimal("50000.00")


def test_bad_receipt_input_is_refused_with_field_errors_and_nothing_written(case, people, api):
    # when the feed sends a negative amount, a future time and no payer
    r = api(people.finance).post("/api/v1/funds/receipts/", receipt_body(
        case, amount="-5", received_at="2099-01-01T00:00:00+08:00", payer=""), format="json")
    # then 400 lists every field and nothing is written
    assert r.status_code == 400
    assert {"amount", "payer"} <= set(r.json()["errors"])
    r = api(people.finance).post("/api/v1/funds/receipts/", receipt_body(
        case, received_at="2099-01-01T00:00:00+08:00"), format="json")
    assert r.status_code == 400 and "received_at" in r.json()["errors"]
    assert not Receipt.objects.exists() and not Posting.objects.exists()


def test_only_finance_records_receipts(case, people, api):
    r = api(people.judge).post("/api/v1/funds/receipts/", receipt_body(case), format="json")
    assert r.status_code == 403
    assert not Receipt.objects.exists()


def test_money_for_an_unknown_account_is_unidentified_until_finance_matches_it(case, people, api):
    # given money arrives naming no known case account
    client = api(people.finance)
    r = client.post("/api/v1/funds/receipts/", receipt_body(case, account_no="6217000000000000000",
                                                            received_at="2026-11-01T09:00:00+08:00"), format="json")
    assert r.status_code == 201 and r.json()["status"] == "unidentified" and r.json()["case"] is None
    rid = r.json()["id"]
    # then it is listed as unidentified and counted with its age on the dashboard
    listed = client.get("/api/v1/funds/receipts/?status=unidentified").json()
    assert [x["id"] for x in listed["results"]] == [rid]
    summary = unidentified_summary(people.supervisor)
    assert summary.count == 1 and summary.total == Decimal("50000.00") and summary.oldest_age_days >= 24
    # when finance matches it to the case by case number
    r = client.post(f"/api/v1/funds/receipts/{rid}/transitions/match/", {"case": case.number}, format="json")
    # then it is the case's money, with a pending disbursement to the creditor, and the act is audited
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "identified" and r.json()["case"] == case.pk
    assert case.disbursements.get().amount == Decimal("50000.00")
    assert AuditEvent.objects.filter(action="receipt.match", object_id=str(rid)).exists()
    assert client.get("/api/v1/funds/receipts/?status=unidentified").json()["count"] == 0
    assert unidentified_summary(people.supervisor).count == 0


def test_matching_to_an_unknown_case_number_is_refused(case, people, api):
    client = api(people.finance)
    rid = client.post("/api/v1/funds/receipts/", receipt_body(case, account_no="1111222233334444"),
                      format="json").json()["id"]
    r = client.post(f"/api/v1/funds/receipts/{rid}/transitions/match/", {"case": "(2026)豫03执99999号"},
                    format="json")
    assert r.status_code == 400 and "case" in r.json()["errors"]
    assert Receipt.objects.get(pk=rid).status == "unidentified"


@pytest.mark.smoke
def test_importing_the_same_statement_twice_records_each_transaction_once(case, people, api):
    client = api(people.finance)
    # when the statement is uploaded twice
    first = client.post("/api/v1/funds/statements/", {"file": _statement(case)}, format="multipart")
    second = client.post("/api/v1/funds/statements/", {"file": _statement(case)}, format="multipart")
    # then the second changes nothing
    assert first.status_code == 201 and first.json() == {"created": 3, "duplicates": 0, "unidentified": 1}
    assert second.status_code == 200 and second.json() == {"created": 0, "duplicates": 3, "unidentified": 0}
    assert Receipt.objects.count() == 3
    assert client.get(f"/api/v1/cases/{case.pk}/ledger/").json()["received"] == "3500.50"


def test_a_statement_with_bad_rows_is_refused_listing_the_lines_and_nothing_is_written(case, people, api):
    text = STATEMENT + "S-004,{acct},abc,张伟,2026-11-05 09:00\nS-005,{acct},10.00,,not-a-date\n"
    r = api(people.finance).post("/api/v1/funds/statements/", {"file": _statement(case, text)}, format="multipart")
    assert r.status_code == 400
    assert r.json()["errors"]["lines"] == ["5", "6"]
    assert r.json()["errors"]["file"][0].startswith("第 5 行")
    assert not Receipt.objects.exists() and not Posting.objects.exists()


def test_import_statement_command_calls_the_same_service_and_is_idempotent(case, people, tmp_path):
    path = tmp_path / "stmt.csv"
    path.write_text(STATEMENT.format(acct=case.account_no), encoding="gb18030")
    call_command("import_statement", str(path), "--user", "ly_finance")
    call_command("import_statement", str(path), "--user", "ly_finance")
    assert Receipt.objects.count() == 3
    assert Receipt.objects.get(bank_txn_id="S-003").status == "unidentified"


def test_receipts_of_another_court_are_not_found(case, people, api):
    rid = api(people.finance).post("/api/v1/funds/receipts/", receipt_body(case), format="json").json()["id"]
    assert api(people.hz_judge).get(f"/api/v1/funds/receipts/{rid}/").status_code == 404
    assert api(people.hz_judge).get("/api/v1/funds/receipts/").json()["count"] == 0


def test_receipt_list_runs_a_constant_number_of_queries(case, people, api, django_assert_max_num_queries):
    from funds import services

    for i in range(12):
        services.receipt_record(actor=people.finance, data=services.ReceiptData(
            f"Q-{i}", case.account_no if i % 2 else f"99990000{i:04d}", Decimal("10.00"), "张伟",
            at(2026, 11, 1, 9, i)))
    client = api(people.finance)
    with django_assert_max_num_queries(6):
        r = client.get("/api/v1/funds/receipts/")
    assert r.json()["count"] == 12


def test_unknown_list_filter_values_are_refused(people, api):
    r = api(people.finance).get("/api/v1/funds/receipts/?status=lost")
    assert r.status_code == 400 and "status" in r.json()["errors"]
