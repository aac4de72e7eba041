"""Each role's main journey in real Chromium, in the court's language (issue 17).

The clerk files; the bureau receives and assigns from its queue; the judge accepts, queries with a
two-property feedback, freezes, seizes and generates the notice; finance pays from its queue; the
supervisor works the console; the upper-court supervisor compares courts. On every page visited
(the admin site and the API docs aside) the visible text carries no internal code: no ``004 §``
citation, no "SPEC", no ``snake_case`` identifier, no ``dotted.action`` name. Screenshots are saved
under artifacts/screenshots/journey_*.png.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from cases.models import Case, CaseStatus, Property
from deadlines.scan import scan_deadlines
from enforcement.models import Document
from funds import services as funds_services
from funds.models import DisbursementStatus
from tests.factories import ORG_USCC, PERSON_ID

pytestmark = pytest.mark.browser

TZ = ZoneInfo("Asia/Shanghai")
MACHINE_TEXT = [
    re.compile(r"[0-9]{3} §"),
    re.compile(r"SPEC"),
    re.compile(r"[a-z]+_[a-z]+"),
    re.compile(r"[a-z]+\.[a-z]+"),
]


def assert_court_language(page: Page) -> None:
    """No internal code in what the user sees on this page."""
    if "/admin/" in page.url or "/api/v1/docs/" in page.url:
        return
    text = page.locator("body").inner_text()
    for pattern in MACHINE_TEXT:
        found = pattern.findall(text)
        assert not found, f"{page.url}: {pattern.pattern} → {found[:5]}"


@pytest.fixture
def visit(page: Page, screenshot):
    """After each step: check the page's words and keep a screenshot."""
    count = {"n": 0}

    def check(name: str) -> None:
        page.wait_for_load_state("load")
        count["n"] += 1
        screenshot(page, f"journey_{count['n']:02d}_{name}")
        assert_court_language(page)

    return check


def login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()


def test_every_role_walks_its_journey_in_the_courts_language(page, live_app, rules, people, visit):
    base = live_app.url

    # --- the filing clerk files a case --------------------------------------------------------
    login(page, base, "ly_clerk")
    expect(page.get_by_role("heading", name="立案")).to_be_visible()
    visit("clerk_filing_form")
    page.fill('[name="basis"]', "（2025）豫0303民初1234号民事判决书")
    page.fill('[name="claim_amount"]', "150000.00")
    page.fill('[name="cause"]', "买卖合同纠纷")
    page.fill('[name="basis_issuer"]', "洛阳市西工区人民法院")
    page.fill('[name="basis_effective_on"]', "2025-11-30")
    page.fill('[name="payee_bank"]', "中国工商银行洛阳分行")
    page.fill('[name="payee_account_no"]', "6222021705001234567")
    page.fill('[name="payee_holder"]', "洛阳市宏达建材有限公司")
    page.select_option('[name="parties-0-role"]', "applicant")
    page.fill('[name="parties-0-name"]', "洛阳市宏达建材有限公司")
    page.select_option('[name="parties-0-kind"]', "organization")
    page.fill('[name="parties-0-id_number"]', ORG_USCC)
    page.select_option('[name="parties-1-role"]', "respondent")
    page.fill('[name="parties-1-name"]', "张伟")
    page.select_option('[name="parties-1-kind"]', "person")
    page.fill('[name="parties-1-id_number"]', PERSON_ID)
    page.fill('[name="parties-1-service_address"]', "洛阳市西工区中州路 18 号")
    page.fill('[name="parties-0-agent_name"]', "李律师")
    page.locator("form").get_by_role("button", name="立案").click()
    expect(page.locator(".message-success")).to_be_visible()
    case = Case.objects.order_by("-id").first()
    assert case is not None and case.status == CaseStatus.FILED
    expect(page.get_by_text("已立案，待执行局收案（执行局内勤办理）")).to_be_visible()
    visit("clerk_case_filed")

    # --- the bureau receives and assigns it from its queue -------------------------------------
    login(page, base, "ly_bureau")
    expect(page.get_by_role("heading", name="收案分案")).to_be_visible()
    visit("bureau_queue")
    page.locator("#to-receive tr", has_text=case.number).get_by_role("button", name="收案").click()
    row = page.locator("#to-assign tr", has_text=case.number)
    expect(row).to_be_visible()
    expect(row.locator("select option", has_text="在办")).to_have_count(2)
    visit("bureau_received")
    row.locator("select").select_option(str(people.judge.pk))
    row.get_by_role("button", name="分案").click()
    expect(page.locator(".message-success")).to_contain_text("已分案")
    visit("bureau_assigned")

    # --- the judge accepts, queries, registers two properties at once, freezes, seizes ---------
    login(page, base, "ly_judge")
    expect(page.locator("#to-accept")).to_contain_text(case.number)
    visit("judge_workbench_to_accept")
    page.get_by_role("button", name="接收所选案件").click()
    expect(page.locator(".message-success")).to_contain_text("已接收 1 件")
    visit("judge_workbench_accepted")
    page.goto(f"{base}/cases/{case.pk}/")
    visit("judge_case_page")
    page.locator("#query-form summary").click()
    page.locator("#query-form").get_by_role("button", name="发起查控").click()
    expect(page.locator(".message-success")).to_be_visible()
    query = case.queries.get()
    form = page.locator(f"#feedback-form-{query.pk}")
    form.locator("summary").click()
    for box in form.locator('input[name$="-categories"]').all():
        box.check()
    prefix = f"feedback-{query.pk}"
    form.locator(f'[name="{prefix}-type"]').select_option("bank_deposit")
    form.locator(f'[name="{prefix}-description"]').fill("中国工商银行洛阳分行 6222021705009999888")
    form.locator(f'[name="{prefix}-online_controllable"]').check()
    form.locator(f'[name="{prefix}-type_2"]').select_option("real_estate")
    form.locator(f'[name="{prefix}-description_2"]').fill("洛阳市西工区中州路 18 号 3 单元 502 室")
    form.locator(f'[name="{prefix}-value_2"]').fill("120000")
    visit("judge_feedback_two_properties")
    form.get_by_role("button", name="登记反馈").click()
    expect(page.locator(".message-success")).to_contain_text("已登记查控反馈")
    deposit = Property.objects.get(case=case, type="bank_deposit")
    house = Property.objects.get(case=case, type="real_estate")
    visit("judge_properties_registered")

    freeze = page.locator(f"#action-properties-{deposit.pk}-control")
    freeze.locator("summary.action-details__summary").click()
    freeze.locator('select[name$="-measure"]').select_option("freeze")
    expect(freeze.locator('[name$="-mode"]')).to_be_hidden()
    expect(freeze.locator('[name$="-queue"]')).to_be_hidden()
    freeze.locator('[name$="-amount"]').fill("50000.00")
    visit("judge_freeze_form")
    freeze.get_by_role("button", name="采取控制措施").click()
    expect(page.locator(".message-success")).to_be_visible()
    deposit.refresh_from_db()
    assert deposit.measure == "freeze" and deposit.freeze_amount == Decimal("50000.00") and deposit.mode == ""
    visit("judge_frozen")

    seize = page.locator(f"#action-properties-{house.pk}-control")
    seize.locator("summary.action-details__summary").click()
    seize.locator('select[name$="-measure"]').select_option("seize")
    expect(seize.locator('[name$="-amount"]')).to_be_hidden()
    seize.locator('[name$="-mode"]').select_option("live")
    seize.locator('[name$="-queue"]').select_option("first")
    seize.get_by_role("button", name="采取控制措施").click()
    expect(page.locator(".message-success")).to_be_visible()
    house.refresh_from_db()
    assert house.measure == "seize" and house.mode == "live"
    visit("judge_seized")

    page.get_by_role("button", name="生成执行通知书").click(timeout=90_000)  # WeasyPrint renders the PDF
    expect(page.locator(".message-success")).to_be_visible(timeout=90_000)
    assert Document.objects.filter(case=case, kind="execution_notice").count() == 1
    visit("judge_notice_generated")

    # --- finance pays from its queue --------------------------------------------------------
    funds_services.receipt_record(actor=people.finance, data=funds_services.ReceiptData(
        bank_txn_id="TXN-JOURNEY-1", account_no=case.account_no, amount=Decimal("30000.00"),
        payer="张伟", received_at=datetime.now(TZ)))
    disbursement = case.disbursements.get()
    funds_services.disbursement_notify(disbursement=disbursement, actor=people.judge)
    login(page, base, "ly_finance")
    page.get_by_role("link", name="待发放案款").click()
    visit("finance_queue")
    pay = page.locator("form", has_text="确认发放").filter(has=page.locator(f'[name="pay{disbursement.pk}-bank_ref"]'))
    pay.locator('[name$="-bank_ref"]').fill("ICBC-20261203-0001")
    pay.get_by_role("button", name="确认发放").click()
    expect(page.locator(".message-success")).to_be_visible()
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.PAID
    visit("finance_paid")
    page.get_by_role("link", name="不明款认领").click()
    visit("finance_unidentified")

    # --- the supervisor works the console, ten days on, when the first nodes are overdue -----------
    later = time_machine.travel(datetime.now(TZ) + timedelta(days=10), tick=True)
    later.start()
    try:
        scan_deadlines()
        login(page, base, "ly_supervisor")
        page.get_by_role("link", name="监管看板").click()
        expect(page.locator("tbody tr.alert-row").first).to_contain_text("超期")
        visit("supervisor_console")
        first = page.locator("tbody tr.alert-row").first
        first.get_by_text("处理", exact=True).click()
        first.get_by_label("处理意见").fill("已电话督促承办法官")
        first.get_by_role("button", name="确认预警").click()
        expect(page.locator(".message-success")).to_contain_text("已确认预警")
        visit("supervisor_acknowledged")
        page.get_by_role("link", name="补录事项").click()
        visit("supervisor_late_entries")
        page.get_by_role("link", name="例外审批").click()
        visit("supervisor_overrides")
    finally:
        later.stop()

    # --- the upper-court supervisor compares courts ---------------------------------------------
    login(page, base, "ha_supervisor")
    page.get_by_role("link", name="监管看板").click()
    page.get_by_role("link", name="核心指标").click()
    expect(page.get_by_role("heading", name="核心指标")).to_be_visible()
    visit("upper_court_metrics")
    page.goto(f"{base}/cases/{case.pk}/")
    visit("upper_court_case_timeline")
