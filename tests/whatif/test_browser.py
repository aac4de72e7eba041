"""The what-if in Chromium (SPEC §11b): the bureau head makes a draft, cuts QUERY_START to 3 working days,
runs it and reads the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_whatif_browser_draft_run_report(page, live_app, people, courts, history_past, screenshot):
    page.goto(f"{live_app.url}/login/")
    page.get_by_label("用户名").fill("ly_head")
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="监管看板").click()
    page.get_by_role("link", name="规则推演").click()
    expect(page.get_by_role("heading", name="规则推演", exact=True)).to_be_visible()
    page.get_by_label("草案名称").fill("查控提速（试行）")
    page.get_by_label("推演期间自（立案日期）").fill("2026-09-01")
    page.get_by_label("至（含当日）").fill("2026-10-20")
    screenshot(page, "whatif_01_new_draft")
    page.get_by_role("button", name="创建草案").click()
    expect(page.get_by_role("heading", name="查控提速（试行）")).to_be_visible()

    page.locator("tbody tr", has_text="发起网络查控").locator("summary").click()
    form = page.get_by_role("form", name="修改发起网络查控")
    form.get_by_label("期间").fill("3")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("tr.rule-changed")).to_contain_text("发起网络查控")
    page.get_by_role("button", name="推演").click()

    report = page.locator("#report")
    expect(report).to_contain_text("新增超期的期限（4 个）")  # b, c, e, xg (f is overdue under both by now)
    expect(page.locator("#by-judge")).to_contain_text("陈法官")
    expect(report.locator("svg.chart")).to_be_visible()
    expect(report).to_contain_text(history_past.e.number)
    screenshot(page, "whatif_02_report")
    assert "QUERY_START" not in page.inner_text("main")
