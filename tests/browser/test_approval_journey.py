"""The approval journey in real Chromium (SPEC §11a, issue 15 acceptance): ly_judge's seizure of the
indivisible house is refused as over_seizure; he asks "申请执行局长审批" from the refusal itself; ly_head
approves from his inbox (待审批) with a note; ly_judge seizes, once. Screenshots in the artifacts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cases.models import CaseStatus, Property, PropertyStatus
from cases.property import services as ps
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from enforcement.models import ApprovalRequest, Notification
from tests.approvals.conftest import ALL, HOUSE
from tests.factories import advance, file_case

pytestmark = pytest.mark.browser


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()


def seize_house(page, house: Property) -> None:
    form = page.locator(f"#action-properties-{house.pk}-control")
    if form.locator("details.action-details").first.get_attribute("open") is None:
        form.locator("summary.action-details__summary").first.click()
    form.get_by_label("控制措施").select_option("seize")
    form.get_by_label("财产价值（元）").fill("900000.00")
    form.get_by_role("button", name="采取控制措施").click()


def test_a_refused_seizure_is_approved_from_the_inbox_and_then_done_once(page, live_app, people, screenshot):
    # given ly_judge's case in progress, and an indivisible house worth 900,000 against a claim of 150,000
    calendar_seed_national()
    rulesets_seed()
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"])
    ps.query_feedback(query=q, actor=people.judge, categories=ALL,
                      properties=[ps.FoundProperty("real_estate", HOUSE, Decimal("900000"))])
    house = Property.objects.get(case=case)
    base = live_app.url

    # when ly_judge seizes the whole house
    login(page, base, "ly_judge")
    page.goto(f"{base}/cases/{case.pk}/#properties")
    seize_house(page, house)

    # then it is refused with the guard's reason, and the refusal offers the request in place
    errors = page.locator(".form-errors")
    expect(errors).to_contain_text("超")
    offer = page.locator("#approval-offer")
    expect(offer).to_contain_text("明显超标的查封、冻结")
    screenshot(page, "approval_01_seizure_refused")
    offer.get_by_label("申请理由").fill("房产一证一房，无法分割查封，拟整体查封后拍卖，超出部分依法退还")
    offer.get_by_role("button", name="申请执行局长审批").click()
    expect(page.locator(".message-success")).to_contain_text("已提交执行局长审批")
    section = page.locator("#approvals")
    expect(section).to_contain_text("待审批")
    screenshot(page, "approval_02_requested")
    logout(page)

    # when ly_head opens 待审批 from the navigation and approves with a note
    login(page, base, "ly_head")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="待审批").click()
    expect(page.get_by_role("heading", name="待审批")).to_be_visible()
    row = page.locator("tbody tr", has_text=case.number)
    expect(row).to_contain_text("陈法官")
    expect(row).to_contain_text("例外放行拦截规则")
    expect(row).to_contain_text("明显超标的查封、冻结")
    screenshot(page, "approval_03_inbox")
    row.get_by_label("审批意见").fill("同意整体查封，拍卖所得超出部分及时退还")
    row.get_by_role("button", name="批准", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("已批准")
    expect(page.locator("tbody tr", has_text=case.number)).to_have_count(0)
    screenshot(page, "approval_04_approved")
    logout(page)

    # then ly_judge is told, sees the answer on the case, and seizes the house
    assert Notification.objects.filter(recipient=people.judge, kind="approval_answered").exists()
    login(page, base, "ly_judge")
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator("#approvals")).to_contain_text("已批准")
    expect(page.locator("#approvals")).to_contain_text("同意整体查封")
    seize_house(page, house)
    expect(page.locator(".message-success")).to_contain_text("采取控制措施")
    screenshot(page, "approval_05_seized")
    house.refresh_from_db()
    assert house.status == PropertyStatus.CONTROLLED
    req = ApprovalRequest.objects.get(case=case)
    assert (req.status, req.decided_by, req.used_by) == ("used", people.head, people.judge)
    expect(page.locator("#approvals")).to_contain_text("已使用")
