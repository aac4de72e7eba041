"""The language switch in the header, in real Chromium: English from the login page on, the
workbench in English (screenshot), and back to Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed

pytestmark = pytest.mark.browser


def test_a_judge_switches_the_interface_to_english_and_back(page, live_app, people, screenshot):
    calendar_seed_national()
    rulesets_seed()
    base = live_app.url
    page.goto(f"{base}/login/")
    page.locator(".lang-form button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Username").fill("ly_judge")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("heading", name="My workbench")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("My cases")
    expect(page.locator(".user-box__name")).to_have_text("陈法官")  # a name is data, as written
    screenshot(page, "workbench_en")
    page.locator(".lang-form button[value=zh-hans]").click()
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
