"""A high-court supervisor works the dashboard in real Chromium (SPEC §5, §8; [004 §8, §25–26])."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deadlines.models import Alert, AlertLevel, AlertStatus
from deadlines.scan import scan_deadlines
from enforcement.models import AuditEvent, Role
from tests.factories import UserFactory, file_case

from .test_console import AFTER_DUE

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("pinned_clock")]


def test_a_high_court_supervisor_acknowledges_an_alert_and_exports_the_indicators(page, live_app, rules, people,
                                                                                  courts, screenshot):
    # given breached alerts in 洛阳中院, 西工区 and 杭州中院
    hz_clerk = UserFactory(username="hz_clerk", name="杭立案", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    ly, xg, hz = file_case(people.clerk), file_case(people.xg_clerk), file_case(hz_clerk)
    scan_deadlines(now=AFTER_DUE)

    # when 韩监管 (河南高院) signs in and opens 监管看板
    page.goto(f"{live_app.url}/login/")
    page.get_by_label("用户名").fill("ha_supervisor")
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="监管看板").click()

    # then Luoyang's and Xigong's alerts are listed, Hangzhou's is not
    expect(page.get_by_role("heading", name="监管看板")).to_be_visible()
    rows = page.locator("tbody tr.alert-row")
    expect(rows.filter(has_text=ly.number)).to_have_count(1)
    expect(rows.filter(has_text=xg.number)).to_have_count(1)
    expect(page.get_by_text(hz.number)).to_have_count(0)
    expect(page.locator('[data-count="open"]')).to_have_text("2")
    screenshot(page, "dashboard_01_console")

    # when the supervisor acknowledges Luoyang's alert with a note
    row = rows.filter(has_text=ly.number)
    row.get_by_text("处理", exact=True).click()
    row.get_by_label("处理意见").fill("已电话督促承办人，今日内接收")
    screenshot(page, "dashboard_02_acknowledge_form")
    row.get_by_role("button", name="确认预警").click()

    # then the console says so and only Xigong's alert remains open
    expect(page.locator(".message-success")).to_contain_text("已确认预警")
    expect(page.locator("tbody tr.alert-row")).to_have_count(1)
    expect(page.locator('[data-count="open"]')).to_have_text("1")
    alert = Alert.objects.get(case=ly, level=AlertLevel.BREACHED)
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.note == "已电话督促承办人，今日内接收"
    screenshot(page, "dashboard_03_after_acknowledge")

    # and a watch list opens with its rows
    page.get_by_role("link", name="未发放案款").click()
    expect(page.get_by_role("heading", name="未发放案款")).to_be_visible()
    screenshot(page, "dashboard_04_watch_funds")

    # when the supervisor opens the indicators and exports them to Excel
    page.get_by_role("link", name="核心指标").click()
    expect(page.get_by_role("heading", name="核心指标")).to_be_visible()
    expect(page.locator("#metric-closure_rate")).to_contain_text("口径")
    screenshot(page, "dashboard_05_metrics")
    with page.expect_download() as dl:
        page.get_by_role("link", name="导出 Excel").click()
    download = dl.value

    # then a workbook is downloaded and the export is audited
    assert download.suggested_filename.endswith(".xlsx")
    assert AuditEvent.objects.filter(action="metrics.export", actor=people.ha_supervisor).count() == 1
