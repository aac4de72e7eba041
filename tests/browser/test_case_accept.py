"""A judge accepts a case in real Chromium: list → case page → 接收案件 → 执行中, audited (SPEC §6.1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases import services
from cases.models import Case, CaseStatus
from enforcement.models import AuditEvent
from tests.factories import advance, file_case

pytestmark = pytest.mark.browser


def test_judge_accepts_an_assigned_case_from_the_list(page, live_app, people, screenshot):
    # given a case received by the bureau and assigned to 陈法官 (ly_judge)
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    case = services.case_assign(case=case, actor=people.bureau, judge=people.judge)

    # when ly_judge signs in with the demo password
    page.goto(f"{live_app.url}/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill("ly_judge")
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()

    # then the workbench lists the case; "我的案件" shows it with its Chinese state
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.locator("#workbench-cases")).to_contain_text(case.number)
    screenshot(page, "00_workbench")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的案件").click()
    expect(page.get_by_role("heading", name="我的案件")).to_be_visible()
    row = page.locator("tbody tr", has_text=case.number)
    expect(row).to_contain_text("已移送执行局")
    expect(row).to_contain_text("陈法官")
    screenshot(page, "01_case_list")

    # when the judge opens the case
    row.get_by_role("link", name=case.number).click()
    expect(page.get_by_role("heading", name=case.number)).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("已移送执行局")
    screenshot(page, "02_case_before_accept")

    # and fires 接收案件
    page.get_by_role("button", name="接收案件").click()

    # then the case is 执行中 and the timeline shows 承办法官接收 by 陈法官
    expect(page.locator(".message-success")).to_contain_text("接收案件")
    expect(page.locator("#case-status")).to_have_text("执行中")
    entry = page.locator("#timeline li", has_text="承办法官接收")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("陈法官")
    expect(page.get_by_role("button", name="接收案件")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    screenshot(page, "03_case_after_accept")

    # and the database agrees
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.accept", actor=people.judge).count() == 1
