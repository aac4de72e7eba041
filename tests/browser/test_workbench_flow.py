"""The workbench end to end in real Chromium (issue: the judges' workbench and documents).

A clerk files a case; the judge accepts it, records the notice and the network query, freezes a
deposit (the form refuses a freeze without an amount and says why) and sees the deadlines' lights
change; finance pays a disbursement; the judge downloads the 执行通知书, whose text carries the case
account number and 12368.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import Case
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from funds import services as funds_services
from funds.models import Disbursement
from tests.factories import ORG_USCC, PERSON_ID

pytestmark = pytest.mark.browser


def sign_in(page, base: str, username: str) -> None:
    if page.get_by_role("button", name="退出").count():
        page.get_by_role("button", name="退出").click()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-box")).to_be_visible()


def open_details(scope, summary: str):
    scope.locator("summary", has_text=summary).first.click()


def test_clerk_files_judge_works_finance_pays_judge_downloads_the_notice(page, live_app, people, screenshot,
                                                                        tmp_path):
    calendar_seed_national()  # a transactional test starts from emptied tables
    rulesets_seed()
    base = live_app.url

    # --- the filing clerk files the case (立案) -------------------------------------------
    sign_in(page, base, "ly_clerk")
    expect(page.get_by_role("heading", name="立案")).to_be_visible()
    page.fill("#id_basis", "（2026）豫03民初888号民事判决书")
    page.fill("#id_claim_amount", "200000")
    page.fill("#id_parties-0-name", "洛阳宏达建材有限公司")
    page.select_option("#id_parties-0-kind", "organization")
    page.fill("#id_parties-0-id_number", ORG_USCC)
    page.fill("#id_parties-1-name", "张伟")
    page.select_option("#id_parties-1-kind", "person")
    page.fill("#id_parties-1-id_number", PERSON_ID)
    page.fill("#id_payee_bank", "中国工商银行洛阳分行")
    page.fill("#id_payee_account_no", "6222021705001234567")
    page.fill("#id_payee_holder", "洛阳宏达建材有限公司")
    screenshot(page, "10_filing_form")
    page.get_by_role("button", name="立案", exact=True).click()
    expect(page.locator("#case-status")).to_have_text("已立案")
    case = Case.objects.get(basis="（2026）豫03民初888号民事判决书")

    # the bureau receives it and assigns 陈法官 (their own pages are covered elsewhere)
    services.case_receive(case=case, actor=people.bureau)
    services.case_assign(case=case, actor=people.bureau, judge=people.judge)

    # --- the judge ----------------------------------------------------------------------------
    sign_in(page, base, "ly_judge")
    expect(page.locator("#workbench-cases")).to_contain_text(case.number)
    page.locator("#workbench-cases").get_by_role("link", name=case.number).click()
    page.get_by_role("button", name="接收案件").click()
    expect(page.locator("#case-status")).to_have_text("执行中")
    accept_row = page.locator("#deadlines tr", has_text="承办法官接收案件")
    expect(accept_row).to_contain_text("已完成")
    notice_row = page.locator("#deadlines tr", has_text="发出执行通知书、报告财产令")
    expect(notice_row.locator(".light-grey")).to_have_count(0)  # running: green or yellow

    # records that the notice was sent → its light turns grey (done)
    page.select_option("#id_milestone-kind", "notice_sent")
    page.locator("#milestone-form").get_by_role("button", name="记录节点").click()
    expect(page.locator(".message-success")).to_contain_text("已记录节点")
    expect(notice_row.locator(".light-grey")).to_have_count(1)

    # initiates the network query, then enters its feedback: a deposit that can be frozen online
    open_details(page.locator("#query-form"), "发起网络查控")
    page.locator("#query-form").get_by_role("button", name="发起查控").click()
    expect(page.locator(".message-success")).to_contain_text("已发起网络查控")
    expect(page.locator("#deadlines tr", has_text="发起网络查控")).to_contain_text("已完成")
    feedback = page.locator("form[id^=feedback-form-]")
    open_details(feedback, "登记查控反馈")
    for box in feedback.locator("input[type=checkbox][name$='-categories']").all():
        box.check()
    feedback.locator("select[name$='-type']").select_option("bank_deposit")
    feedback.locator("input[name$='-description']").fill("中国建设银行洛阳分行 账户尾号 6688")
    feedback.locator("input[name$='-online_controllable']").check()
    feedback.get_by_role("button", name="登记反馈").click()
    expect(page.locator(".message-success")).to_contain_text("已登记查控反馈")
    online_row = page.locator("#deadlines tr", has_text="网上控制可线上控制的财产")
    expect(online_row.locator(".light-grey")).to_have_count(0)

    # freezes the deposit: without an amount the form refuses and says why, with its source
    deposit = case.properties.get()
    control = page.locator(f"#action-properties-{deposit.pk}-control")
    open_details(control, "采取控制措施")
    control.locator("select[name$='-measure']").select_option("freeze")
    control.get_by_role("button", name="采取控制措施").click()
    refused = page.locator(f"#action-properties-{deposit.pk}-control")
    expect(refused.locator(".form-errors")).to_contain_text("冻结银行存款必须写明具体冻结数额")
    expect(refused.locator(".form-errors")).to_contain_text("第十五条")
    screenshot(page, "11_freeze_refused")
    refused.locator("select[name$='-measure']").select_option("freeze")
    refused.locator("input[name$='-amount']").fill("150000.00")
    refused.get_by_role("button", name="采取控制措施").click()
    expect(page.locator(".message-success")).to_contain_text("采取控制措施")
    expect(page.locator("#deadlines tr", has_text="网上控制可线上控制的财产").locator(".light-grey")).to_have_count(1)
    screenshot(page, "12_case_after_freeze")

    # the frozen money arrives in the case account (bank feed) and the judge sends the payment notice
    funds_services.receipt_record(actor=people.finance, court=case.court, data=funds_services.ReceiptData(
        bank_txn_id="E2E-0001", account_no=case.account_no, amount=Decimal("150000.00"), payer="张伟",
        received_at=timezone.now() - timedelta(minutes=5)))
    page.reload()
    disbursement = Disbursement.objects.get(case=case)
    notify = page.locator(f"#disbursement-{disbursement.pk}-notify")
    if notify.locator("summary").count():
        open_details(notify, "发出支付案款通知")
    notify.get_by_role("button", name="发出支付案款通知").click()
    expect(page.locator(".message-success")).to_be_visible()

    # --- finance pays from the queue ---------------------------------------------------------
    sign_in(page, base, "ly_finance")
    expect(page).to_have_url(re.compile(r"/funds/queue/"))
    row = page.locator("tr", has_text=case.number)
    row.locator("input[name$='-bank_ref']").fill("HVPS20261125000001")
    screenshot(page, "13_finance_queue")
    row.get_by_role("button", name="确认发放").click()
    expect(page.locator(".message-success")).to_contain_text("已发放")
    disbursement.refresh_from_db()
    assert disbursement.status == "paid"

    # --- the judge generates and downloads the 执行通知书 ---------------------------------------
    sign_in(page, base, "ly_judge")
    page.goto(f"{base}/cases/{case.pk}/#documents")
    expect(page.locator("#case-received")).to_contain_text("150,000.00")
    expect(page.locator("#case-paid")).to_contain_text("150,000.00")
    page.get_by_role("button", name="生成执行通知书").click()
    expect(page.locator(".message-success")).to_be_visible()
    with page.expect_download() as download_info:
        page.locator("#documents").get_by_role("link", name="下载 PDF").first.click()
    pdf = tmp_path / "notice.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert case.account_no in text.replace(" ", "")
    assert "12368" in text
    screenshot(page, "14_case_documents")
