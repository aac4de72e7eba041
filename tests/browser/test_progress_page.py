"""SPEC §10: a party opens /progress/ on a phone (390×844), types the case number and the query code,
and reads the court, status, judge and the nodes done — with nothing private on the page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from cases import services
from cases.models import CaseStatus, MilestoneKind
from tests.factories import advance, file_case

pytestmark = pytest.mark.browser


def test_a_party_reads_the_progress_of_the_case_on_a_phone(chromium, live_app, people, screenshot):
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed

    cache.clear()
    calendar_seed_national()
    rulesets_seed()
    # given a case accepted by 陈法官, with the notice sent
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    services.case_record_milestone(case=case, actor=people.judge, kind=MilestoneKind.NOTICE_SENT)
    case.refresh_from_db()

    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                   timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # when the party opens the page, with no login
        page.goto(f"{live_app.url}/progress/")
        expect(page.get_by_role("heading", name="执行案件进度查询")).to_be_visible()
        screenshot(page, "progress_01_form_390")
        # a wrong code first: the same message as an unknown number
        page.get_by_role("textbox", name="案号").fill(case.number)
        page.get_by_role("textbox", name="查询码").fill("ABCDEFGH")
        page.get_by_role("button", name="查询").click()
        expect(page.locator(".form-errors")).to_contain_text("案号或查询码不正确")
        # then the right one, typed in lower case
        page.get_by_role("textbox", name="查询码").fill(case.query_code.lower())
        page.get_by_role("button", name="查询").click()

        # then the court, the status, the judge and the nodes done are shown
        result = page.locator("#progress-result")
        expect(result).to_contain_text("洛阳市中级人民法院")
        expect(page.locator("#progress-status")).to_have_text("执行中")
        expect(result).to_contain_text("陈法官")
        nodes = page.locator("#progress-nodes li")
        expect(nodes).to_have_count(3)
        expect(nodes.nth(0)).to_contain_text("立案")
        expect(nodes.nth(1)).to_contain_text("承办法官接收案件")
        expect(nodes.nth(2)).to_contain_text("发出执行通知书、报告财产令")
        # masked, and nothing private
        expect(result).to_contain_text("张*")
        body = page.content()
        for raw in ("张伟", "13800138000", case.account_no, case.payee_account_no):
            assert raw not in body
        # the page fits the phone: no horizontal scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "progress_02_result_390")
    finally:
        context.close()


def test_the_judge_sees_what_each_party_was_told_and_answers_a_complaint(page, live_app, people, screenshot):
    from cases.complaints import services as complaint_services
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed

    calendar_seed_national()
    rulesets_seed()
    # given a case whose applicant has no phone (the filing message cannot be texted) and a complaint
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    applicant = case.parties.get(role="applicant")
    complaint_services.complaint_receive(case=case, actor=people.officer, party=applicant,
                                         content="立案后一直未收到任何进展告知")

    page.goto(f"{live_app.url}/login/")
    page.get_by_label("用户名").fill("ly_judge")
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_app.url}/cases/{case.pk}/")

    # then the 当事人告知 section lists the messages and flags the undeliverable ones
    section = page.locator("#party-messages")
    expect(section).to_contain_text(case.query_code)
    expect(section.locator(".message-warning")).to_contain_text("无法以短信送达")
    expect(section.locator("tbody tr", has_text="立案")).to_contain_text("未登记联系电话")

    # when the judge answers the complaint from the case page
    complaints = page.locator("#complaints")
    expect(complaints).to_contain_text("待答复")
    complaints.get_by_text("答复投诉").first.click()
    complaints.get_by_label("答复内容").fill("本院已于本周对被执行人名下车辆采取查封措施。")
    complaints.get_by_role("button", name="答复投诉").click()

    # then it is answered, and the answer is among the messages to the party
    expect(page.locator("#complaints")).to_contain_text("已答复")
    expect(page.locator("#party-messages tbody tr", has_text="答复投诉")).to_contain_text("本院已于本周")
    screenshot(page, "case_party_messages_and_complaints")
