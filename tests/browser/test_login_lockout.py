"""The login lockout in real Chromium (SPEC §13 "Auth"): after 10 wrong passwords the right one is
refused on the form with a Chinese message, and nobody is signed in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_after_ten_wrong_passwords_the_login_form_says_the_account_is_locked(page, live_app, people, screenshot):
    # given ten wrong passwords for ly_judge from this browser
    page.goto(f"{live_app.url}/login/")
    for _ in range(10):
        page.get_by_label("用户名").fill("ly_judge")
        page.get_by_label("密码").fill("wrong")
        page.get_by_role("button", name="登录").click()
        expect(page.locator(".form-errors")).to_contain_text("用户名或密码不正确")

    # when the right password is typed
    page.get_by_label("用户名").fill("ly_judge")
    page.get_by_label("密码").fill("demo")
    with page.expect_response(lambda r: r.url.endswith("/login/") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="登录").click()

    # then the form refuses it with the lockout message, and the workbench stays out of reach
    assert answer.value.status == 429
    expect(page.locator(".form-errors")).to_contain_text("登录失败次数过多")
    expect(page.locator(".form-errors")).to_contain_text("15 分钟后再试")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    screenshot(page, "login_lockout")
    page.goto(f"{live_app.url}/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
