"""Generated documents (SPEC §9): content required by [004 §20], versions that never overwrite, the
hash, the CJK font, who may generate, and the append-only dossier [004 §12]."""

import hashlib

import pytest
from django.db import DatabaseError, transaction

from enforcement.documents import document_generate
from enforcement.errors import Conflict, InvalidInput, PermissionDenied
from enforcement.models import AuditEvent, Document
from funds import services as funds_services

from .conftest import disbursement_of, make_ready_for_termination, pdf_tool


def flat(text: str) -> str:
    """pdftotext output without line breaks and spaces (a line may wrap inside a number)."""
    return "".join(text.split())


@pytest.mark.smoke
def test_execution_notice_prints_the_case_number_the_case_account_and_the_12368_line(case, people, tmp_path):
    # when the judge generates the 执行通知书
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    # then the PDF text carries the number, the one-case-one-account number and the report line [004 §20]
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert case.number.replace("(", "（").replace(")", "）") in text
    assert case.account_no in text
    assert "12368" in text
    assert "被执行人有权拒绝向本通知书指定账户以外的任何账户付款" in text
    assert "洛阳市中级人民法院" in text and "执行通知书" in text
    assert "150,000.00" in text and "壹拾伍万元整" in text
    assert "二〇二六年十一月二十五日" in text
    assert "承办法官：陈法官" in text


def test_execution_notice_prints_the_bank_the_account_name_and_the_account_number(case, people, tmp_path):
    # given the court's enforcement-funds account is at a bank under a registered name
    court = case.court
    court.funds_bank, court.funds_account_name = "中国建设银行洛阳西工支行", "洛阳市中级人民法院执行款专户"
    court.save(update_fields=["funds_bank", "funds_account_name"])
    # when the notice is generated, then the debtor can pay: 开户行, 账户名称, 账号 [004 §20]
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert "开户行：中国建设银行洛阳西工支行" in text
    assert "账户名称：洛阳市中级人民法院执行款专户" in text
    assert f"账号（本案案款专用）：{case.account_no}" in text


def test_execution_notice_is_refused_while_the_courts_bank_is_not_on_record(case, people):
    court = case.court
    court.funds_bank = ""
    court.save(update_fields=["funds_bank"])
    with pytest.raises(Conflict) as exc:
        document_generate(case=case, kind="execution_notice", actor=people.judge)
    assert exc.value.code == "court_funds_bank_missing"
    assert not Document.objects.filter(case=case).exists()


def test_the_pdf_embeds_a_noto_cjk_font(case, people, tmp_path):
    doc = document_generate(case=case, kind="property_report_order", actor=people.judge)
    fonts = pdf_tool(tmp_path, "pdffonts", bytes(doc.content))
    assert "Noto-Serif-CJK-SC" in fonts
    assert bytes(doc.content).startswith(b"%PDF-")


def test_regenerating_makes_version_2_and_leaves_version_1_unchanged(case, people):
    # given version 1
    first = document_generate(case=case, kind="execution_notice", actor=people.judge)
    first_bytes, first_hash = bytes(first.content), first.sha256
    # when it is generated again
    second = document_generate(case=case, kind="execution_notice", actor=people.officer)
    # then a second row exists and the first is as it was
    assert (first.version, second.version) == (1, 2)
    assert second.pk != first.pk
    again = Document.objects.get(pk=first.pk)
    assert bytes(again.content) == first_bytes and again.sha256 == first_hash and again.created_by == people.judge
    assert Document.objects.filter(case=case, kind="execution_notice").count() == 2
    # and versions are counted per kind
    other = document_generate(case=case, kind="property_report_order", actor=people.judge)
    assert other.version == 1


def test_the_stored_sha256_is_the_hash_of_the_stored_bytes(case, people):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    stored = Document.objects.get(pk=doc.pk)
    assert stored.sha256 == hashlib.sha256(bytes(stored.content)).hexdigest()
    assert stored.size == len(bytes(stored.content))


def test_a_stored_version_cannot_be_changed_or_deleted_in_the_database(case, people):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(content=b"%PDF-forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=doc.pk).delete()
    assert bytes(Document.objects.get(pk=doc.pk).content) == bytes(doc.content)


def test_generation_is_audited_with_kind_version_and_hash(case, people):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    ev = AuditEvent.objects.get(action="document.generate", object_id=str(doc.pk))
    assert ev.case_id == case.pk and ev.actor == people.judge and ev.court_id == case.court_id
    assert ev.after["kind"] == "execution_notice" and ev.after["version"] == 1 and ev.after["sha256"] == doc.sha256


def test_consumption_restriction_order_names_the_debtor_its_representative_and_the_statutory_list(
        case, people, restriction, tmp_path):
    doc = document_generate(case=case, kind="consumption_restriction_order", actor=people.judge,
                            subject_id=restriction.pk)
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert "限制消费令" in text and "洛阳市宏达建材有限公司" in text and "王建国" in text
    assert "飞机、列车软卧、轮船二等以上舱位" in text and "子女就读高收费私立学校" in text
    assert doc.subject_type == "sanction" and doc.subject_id == restriction.pk


def test_dishonest_decision_states_the_ground_and_the_listing(case, people, listing, tmp_path):
    doc = document_generate(case=case, kind="dishonest_decision", actor=people.judge, subject_id=listing.pk)
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert "决定书" in text and "纳入失信被执行人名单" in text
    assert "有履行能力而拒不履行生效法律文书确定义务" in text and "第一条第（一）项" in text


def test_termination_ruling_reports_queries_outstanding_amount_restoration_and_continuing_duty(
        case, people, tmp_path):
    from cases.property import services as property_services

    property_services.query_initiate(case=case, actor=people.judge, channels=["national"],
                                     categories=["bank_deposit", "vehicle"])
    # the ruling is drawn up for a case being closed by 终本: every 终本 condition met (SPEC §9)
    make_ready_for_termination(case, people)
    doc = document_generate(case=case, kind="termination_ruling", actor=people.judge)
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert "执行裁定书" in text and "终结本次执行程序。" in text
    assert "“总对总”" in text and "银行存款、车辆" in text
    assert "尚有人民币150,000.00元" in text
    assert "可以向本院申请恢复执行" in text and "继续向申请执行人履行债务的义务" in text


def test_payment_notice_addresses_finance_with_the_registered_payee_account(case, people, disbursement, tmp_path):
    # finance may issue the notice it acts on
    doc = document_generate(case=case, kind="payment_notice", actor=people.finance, subject_id=disbursement.pk)
    text = flat(pdf_tool(tmp_path, "pdftotext", bytes(doc.content)))
    assert "案款支付通知书" in text and "本院财务部门" in text
    assert case.payee_account_no in text and "中国工商银行洛阳西工支行" in text and case.account_no in text
    assert "12,345.67" in text and "壹万贰仟叁佰肆拾伍元陆角柒分" in text


def test_a_held_disbursement_gets_no_payment_notice(case, people, disbursement):
    funds_services.disbursement_hold(disbursement=disbursement, actor=people.judge, reason="部分案款有争议",
                                     ground="dispute")
    with pytest.raises(Conflict):
        document_generate(case=case, kind="payment_notice", actor=people.judge, subject_id=disbursement.pk)
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "bureau", "judge2", "supervisor"])
def test_only_the_case_judge_officers_and_finance_may_generate(case, people, who):
    with pytest.raises(PermissionDenied):
        document_generate(case=case, kind="execution_notice", actor=getattr(people, who))
    assert not Document.objects.exists()


def test_finance_may_generate_only_the_payment_notice(case, people):
    with pytest.raises(PermissionDenied):
        document_generate(case=case, kind="execution_notice", actor=people.finance)


def test_a_sanction_of_another_case_is_refused(case, other_case, people, restriction):
    with pytest.raises(InvalidInput) as exc:
        document_generate(case=other_case, kind="consumption_restriction_order", actor=people.judge,
                          subject_id=restriction.pk)
    assert "subject" in exc.value.errors


def test_a_listing_is_not_a_basis_for_a_restriction_order(case, people, listing):
    with pytest.raises(InvalidInput):
        document_generate(case=case, kind="consumption_restriction_order", actor=people.judge, subject_id=listing.pk)


def test_several_disbursements_each_get_their_own_notice(case, people):
    d2 = disbursement_of(case, people, amount="100.00", txn="TXN-DOC-2")
    doc = document_generate(case=case, kind="payment_notice", actor=people.judge, subject_id=d2.pk)
    assert doc.subject_id == d2.pk and doc.version == 1
