"""A payment notice (案款支付通知书) of a paid disbursement prints the account actually paid, kept on
the disbursement at pay time — a later approved payee change does not rewrite it [004 §20], SPEC §9."""

from enforcement.documents import document_generate
from funds import services as funds_services

from .conftest import pdf_tool

OLD_ACCOUNT = "6222021705009876543"
NEW_ACCOUNT = "6228480012345678901"


def flat(text: str) -> str:
    return "".join(text.split())


def test_payment_notice_of_a_paid_disbursement_prints_the_account_paid_after_a_payee_change(
        case, people, disbursement, tmp_path):
    # given: paid to the registered account …
    funds_services.disbursement_notify(disbursement=disbursement, actor=people.judge)
    funds_services.disbursement_pay(disbursement=disbursement, actor=people.finance, payee_account_no=OLD_ACCOUNT,
                                    bank_ref="BR-2026-001", idempotency_key="pay-doc-1")
    disbursement.refresh_from_db()
    assert (disbursement.paid_to_account_no, disbursement.paid_to_bank) == (OLD_ACCOUNT, "中国工商银行洛阳西工支行")
    # … and afterwards the creditor's account changed (judge asks, bureau head approves)
    change = funds_services.payee_change_request(case=case, actor=people.judge, bank="中国农业银行洛阳分行",
                                                 account_no=NEW_ACCOUNT, holder="张伟", reason="原账户已销户")
    funds_services.payee_change_approve(change=change, actor=people.head)
    # when the notice of the paid disbursement is generated
    doc = document_generate(case=case, kind="payment_notice", actor=people.finance, subject_id=disbursement.pk)
    # then it shows where the money went, not the new account
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert OLD_ACCOUNT in text and "中国工商银行洛阳西工支行" in text
    assert NEW_ACCOUNT not in text and "中国农业银行洛阳分行" not in text


def test_payment_notice_of_an_unpaid_disbursement_prints_the_registered_account(case, people, tmp_path):
    # given a payee change approved before the money is paid
    change = funds_services.payee_change_request(case=case, actor=people.judge, bank="中国农业银行洛阳分行",
                                                 account_no=NEW_ACCOUNT, holder="张伟", reason="原账户已销户")
    funds_services.payee_change_approve(change=change, actor=people.head)
    from .conftest import disbursement_of

    pending = disbursement_of(case, people, amount="500.00", txn="TXN-DOC-9")
    # when
    doc = document_generate(case=case, kind="payment_notice", actor=people.judge, subject_id=pending.pk)
    # then the notice tells finance to pay the account registered now
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert NEW_ACCOUNT in text and OLD_ACCOUNT not in text
