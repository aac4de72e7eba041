"""Browser: the finance officer's payment queue, unidentified receipts, and the case page's funds section."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from funds import services, web
from funds.models import Receipt

from .conftest import receive


def _notified(case, people):
    receive(people.finance, case, "3000.00")
    return services.disbursement_notify(disbursement=case.disbursements.get(), actor=people.judge)


@pytest.mark.smoke
def test_finance_queue_lists_notices_with_their_due_and_pays_to_the_prefilled_registered_account(
        client, case, people):
    # given a payment notice
    d = _notified(case, people)
    client.force_login(people.finance)
    # when finance opens the queue
    page = client.get("/funds/queue/")
    # then the row shows the case, the FUNDS_PAY due and a pay form with the registered account prefilled
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html and f'value="{case.payee_account_no}"' in html
    assert "发放期限" in html and "<time" in html
    # when finance pays through the row's form
    key = page.context["rows"][0].pay_form.initial["idempotency_key"]
    prefix = f"pay{d.pk}"
    r = client.post(f"/funds/queue/{d.pk}/pay/", {f"{prefix}-payee_account_no": case.payee_account_no,
                                                  f"{prefix}-bank_ref": "WEB-1", f"{prefix}-idempotency_key": key})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == "paid" and d.bank_ref == "WEB-1"


def test_paying_to_another_account_from_the_queue_shows_the_refusal_on_the_row(client, case, people):
    d = _notified(case, people)
    client.force_login(people.finance)
    prefix = f"pay{d.pk}"
    r = client.post(f"/funds/queue/{d.pk}/pay/", {f"{prefix}-payee_account_no": "6222000000000001",
                                                  f"{prefix}-bank_ref": "WEB-1", f"{prefix}-idempotency_key": "k"})
    assert r.status_code == 422
    assert "案款只能发放至立案时确认的收款账户" in r.content.decode()
    d.refresh_from_db()
    assert d.status == "notified"


def test_only_finance_sees_the_queue(client, people):
    client.force_login(people.judge)
    assert client.get("/funds/queue/").status_code == 403
    assert client.get("/funds/unidentified/").status_code == 403


def test_unidentified_page_matches_a_receipt_by_case_number(client, case, people):
    receive(people.finance, case, "700.00", txn="U-1", account_no="8888000011110000")
    receipt = Receipt.objects.get()
    client.force_login(people.finance)
    page = client.get("/funds/unidentified/")
    assert page.status_code == 200 and "U-1" in page.content.decode()
    r = client.post(f"/funds/receipts/{receipt.pk}/match/", {f"match{receipt.pk}-case": "(2026)豫03执404号"})
    assert r.status_code == 400 and "未找到该案件" in r.content.decode()
    r = client.post(f"/funds/receipts/{receipt.pk}/match/", {f"match{receipt.pk}-case": case.number})
    assert r.status_code == 302
    receipt.refresh_from_db()
    assert receipt.case_id == case.pk


def test_case_section_shows_the_account_balances_clocks_and_the_judges_notice_form(case, people):
    receive(people.finance, case, "3000.00")
    d = case.disbursements.get()
    request = RequestFactory().get(f"/cases/{case.pk}/")
    request.user = people.judge
    context = web.case_section(people.judge, case)
    html = render_to_string("funds/_case_section.html", context, request=request)
    assert case.account_no in html
    assert dict(context["funds_balances"])["待发出支付通知"] == 3000
    assert f'action="/objects/disbursements/{d.pk}/transitions/notify/"' in html
    assert "向财务部门发出案款支付通知" in html  # FUNDS_NOTICE running on the receipt
    assert [f.spec.name for f in context["funds_disbursements"][0].transition_forms] == ["notify", "split", "hold"]
    # finance sees no judge's buttons on the case page
    finance_context = web.case_section(people.finance, case)
    assert finance_context["funds_disbursements"][0].transition_forms == []
