"""Concurrent deliveries and retries (PostgreSQL): one bank transaction records once, one idempotency
key pays once (SPEC §6.3)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from funds import services
from funds.ledger import verify
from funds.models import Disbursement, PaymentKey, Posting, Receipt

from .conftest import receipt_body

N = 20


def _run_concurrently(fn) -> list:
    barrier = threading.Barrier(N)
    results: list = [None] * N

    def worker(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - reported as the result, asserted below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _client(user):
    c = APIClient()
    c.force_authenticate(user=user)
    return c


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_of_one_bank_transaction_record_it_once(case, people):
    # when the bank feed delivers one transaction 20 times at once
    results = _run_concurrently(
        lambda i: _client(people.finance).post("/api/v1/funds/receipts/", receipt_body(case), format="json"))
    # then exactly one delivery created it, all others got the same receipt back
    codes = sorted(r.status_code for r in results)
    assert codes == [200] * (N - 1) + [201]
    assert len({r.json()["id"] for r in results}) == 1
    assert Receipt.objects.count() == 1 and Disbursement.objects.count() == 1
    assert Posting.objects.filter(kind="receipt").count() == 2
    assert verify() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_payment_requests_with_one_key_pay_once(case, people):
    # given a notified disbursement
    receipt, _ = services.receipt_record(actor=people.finance, data=services.ReceiptData(
        "C-1", case.account_no, Decimal("7000.00"), "张伟", case.filed_at))
    d = services.disbursement_notify(disbursement=receipt.disbursements.get(), actor=people.judge)
    # when finance's client retries the payment 20 times at once with one key
    results = _run_concurrently(lambda i: _client(people.finance).post(
        f"/api/v1/disbursements/{d.pk}/transitions/pay/",
        {"payee_account_no": case.payee_account_no, "bank_ref": "REF-1"}, format="json",
        HTTP_IDEMPOTENCY_KEY="one-key"))
    # then every request answers with the one payment (SPEC §13: the first answer), and money left once
    assert [r.status_code for r in results] == [200] * N
    assert len({r.content for r in results}) == 1
    assert PaymentKey.objects.count() == 1
    assert Posting.objects.filter(kind="pay").count() == 2
    assert _client(people.judge).get(f"/api/v1/cases/{case.pk}/ledger/").json()["paid"] == "7000.00"
    assert verify() == []
