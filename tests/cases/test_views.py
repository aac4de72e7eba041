"""The browser pages for cases: same selectors, same services, same guards as the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Closure, MilestoneKind
from enforcement.models import ApprovalRequest, AuditEvent
from tests.factories import ORG_USCC, PERSON_ID, advance, file_case


@pytest.fixture
def browser(client):
    def login_as(user):
        client.force_login(user)
        return client

    return login_as


@pytest.fixture
def received_case(people):
    """A case received by the bureau and assigned to ly_judge (陈法官), waiting for acceptance."""
    from cases import services

    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    return services.case_assign(case=case, actor=people.bureau, judge=people.judge)


def _html(response) -> str:
    return response.content.decode()


# --- sign-in --------------------------------------------------------------------------------


@pytest.mark.smoke
def test_login_page_is_in_chinese(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = _html(response)
    assert 'lang="zh-hans"' in html
    assert "执行案件管理系统" in html
    assert "用户名" in html and "密码" in html


def test_wrong_password_is_refused_in_chinese(client, people):
    response = client.post(reverse("login"), {"username": "ly_judge", "password": "wrong"})

    assert response.status_code == 200
    assert "用户名或密码不正确" in _html(response)
    assert "_auth_user_id" not in client.session


def test_a_judge_signs_in_to_the_workbench_and_a_bureau_clerk_to_the_bureau_queue(client, people):
    response = client.post(reverse("login"), {"username": "ly_judge", "password": "demo"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "我的工作台" in _html(response) and "陈法官" in _html(response)

    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "ly_bureau", "password": "demo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("bureau-queue")


def test_pages_need_a_signed_in_user(client, db):
    response = client.get(reverse("case-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post(browser, people):
    client = browser(people.judge)

    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


# --- list ------------------------------------------------------------------------------------


@pytest.mark.smoke
def test_case_list_shows_only_cases_of_the_users_court(browser, people):
    # given a case in 洛阳中院 and one in 西工区法院
    ly_case = file_case(people.clerk)
    xg_case = file_case(people.xg_clerk)

    # when the 洛阳 bureau clerk and the 西工 judge open the list
    ly_html = _html(browser(people.bureau).get(reverse("case-list")))
    xg_html = _html(browser(people.xg_judge).get(reverse("case-list"), {"scope": "all"}))

    # then each sees only their own court's case
    assert ly_case.number in ly_html and xg_case.number not in ly_html
    assert xg_case.number in xg_html and ly_case.number not in xg_html


def test_a_judge_sees_own_cases_by_default_and_the_courts_on_request(browser, people, received_case):
    other = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge2)
    client = browser(people.judge)

    mine = _html(client.get(reverse("case-list")))
    everything = _html(client.get(reverse("case-list"), {"scope": "all"}))

    assert received_case.number in mine and other.number not in mine
    assert received_case.number in everything and other.number in everything


def test_case_list_filters_by_status_and_text(browser, people, received_case):
    filed = file_case(people.clerk, basis="（2025）豫0303民初9号民事判决书")
    client = browser(people.bureau)

    by_status = _html(client.get(reverse("case-list"), {"status": CaseStatus.FILED}))
    by_text = _html(client.get(reverse("case-list"), {"q": received_case.number}))

    assert filed.number in by_status and received_case.number not in by_status
    assert received_case.number in by_text and filed.number not in by_text


def test_case_list_shows_party_names_amount_and_chinese_status(browser, people, received_case):
    html = _html(browser(people.bureau).get(reverse("case-list")))

    assert "洛阳市宏达建材有限公司" in html and "张伟" in html
    assert "150,000.00" in html
    assert "已移送执行局" in html
    assert "陈法官" in html


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("case-list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_list_runs_a_constant_number_of_queries(browser, people):
    # given 3 cases, then 30 cases (more than one page)
    client = browser(people.bureau)
    for _ in range(3):
        file_case(people.clerk)
    with_three = _list_queries(client)
    for _ in range(27):
        file_case(people.clerk)

    # when the list is opened again
    with_thirty = _list_queries(client)

    # then it costs the same number of queries, and the rest is on page 2
    assert with_thirty == with_three
    second = _html(client.get(reverse("case-list"), {"page": 2}))
    assert "第 2 / 2 页" in second and second.count('class="case-link"') == 5


# --- case page -------------------------------------------------------------------------------


@pytest.mark.smoke
def test_another_courts_case_page_is_404(browser, people, received_case):
    client = browser(people.xg_judge)

    assert client.get(reverse("case-detail", args=[received_case.pk])).status_code == 404
    response = client.post(reverse("case-transition", args=[received_case.pk, "accept"]))
    assert response.status_code == 404
    assert Case.objects.get(pk=received_case.pk).status == CaseStatus.RECEIVED


def test_case_page_shows_full_numbers_to_its_own_court_and_masks_them_for_an_upper_court(
        browser, people, received_case):
    # SPEC §10: the full value shows only on the case's own detail, to its own court's users
    html = _html(browser(people.judge).get(reverse("case-detail", args=[received_case.pk])))
    assert PERSON_ID in html and "13800138000" in html
    assert received_case.account_no in html
    html = _html(browser(people.ha_supervisor).get(reverse("case-detail", args=[received_case.pk])))
    assert PERSON_ID not in html and "13800138000" not in html
    assert f"{PERSON_ID[:4]}{'*' * 10}{PERSON_ID[-4:]}" in html and "138****8000" in html


def test_timeline_labels_acts_in_chinese_and_flags_late_entries(browser, people):
    # given a case filed on paper 10 days ago and entered only now
    case = file_case(people.clerk, filed_at=timezone.now() - timedelta(days=10))

    html = _html(browser(people.clerk).get(reverse("case-detail", args=[case.pk])))

    timeline = html[html.index('id="timeline"') :]
    assert "立案" in timeline and "李立案" in timeline
    assert "补录" in timeline and "录入于" in timeline


def test_the_timeline_words_each_event_from_the_catalogue_and_never_shows_a_code(browser, people, received_case):
    html = _html(browser(people.judge).get(reverse("case-detail", args=[received_case.pk])))
    timeline = html[html.index('class="timeline'):]
    assert "立案" in timeline and "指定承办法官" in timeline and "承办法官 " in timeline
    assert "case.assign" not in timeline and "case.file" not in timeline


def test_case_page_offers_only_the_transitions_the_user_may_fire(browser, people, received_case):
    judge_html = _html(browser(people.judge).get(reverse("case-detail", args=[received_case.pk])))
    other_html = _html(browser(people.judge2).get(reverse("case-detail", args=[received_case.pk])))

    assert 'id="action-accept"' in judge_html and "接收案件" in judge_html
    assert 'id="action-accept"' not in other_html


@pytest.mark.smoke
def test_judge_accepts_the_case_and_the_timeline_records_it(browser, people, received_case):
    client = browser(people.judge)

    # when the assigned judge fires 接收案件
    response = client.post(reverse("case-transition", args=[received_case.pk, "accept"]), follow=True)

    # then the case is in progress and the audit timeline shows the act
    html = _html(response)
    assert response.redirect_chain[-1][0] == reverse("case-detail", args=[received_case.pk])
    assert "已完成操作：接收案件" in html
    assert "执行中" in html and "承办法官接收" in html
    assert Case.objects.get(pk=received_case.pk).status == CaseStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(case_id=received_case.pk, action="case.accept", actor=people.judge).exists()


def test_a_judge_not_assigned_is_blocked_with_the_reason_on_the_form(browser, people, received_case):
    events_before = AuditEvent.objects.filter(case_id=received_case.pk).count()

    # when ly_judge2 (not the case judge) tries to accept
    response = browser(people.judge2).post(reverse("case-transition", args=[received_case.pk, "accept"]))

    # then the case page comes back with the guard's Chinese message on the accept form
    html = _html(response)
    assert response.status_code == 422
    form = html[html.index('id="action-accept"') :]
    form = form[: form.index("</form>")]
    assert "只有本案承办法官（陈法官）可以作出该决定" in form
    assert "依据《洛阳市中级人民法院执行突出问题专项整治活动实施方案》" in form and "[001]" not in form
    # and nothing changed
    assert Case.objects.get(pk=received_case.pk).status == CaseStatus.RECEIVED
    assert AuditEvent.objects.filter(case_id=received_case.pk).count() == events_before


def test_missing_parameters_are_shown_on_their_field(browser, people):
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)

    response = browser(people.judge).post(reverse("case-transition", args=[case.pk, "suspend"]), {"suspend-reason": ""})

    html = _html(response)
    assert response.status_code == 400
    form = html[html.index('id="action-suspend"') :]
    form = form[: form.index("</form>")]
    assert "field-invalid" in form and "id_suspend-reason" in form
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_assign_form_offers_only_post_judges_of_the_cases_court(browser, people):
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)

    html = _html(browser(people.bureau).get(reverse("case-detail", args=[case.pk])))

    select = html[html.index('id="id_assign-judge"') :]
    select = select[: select.index("</select>")]
    assert "陈法官" in select and "刘法官" in select
    assert "郑法官" not in select and "赵执行员" not in select


def test_an_act_done_offline_is_entered_with_its_real_time(browser, people):
    # given a case filed 10 days ago, received by the bureau on paper 5 days ago
    case = file_case(people.clerk, filed_at=timezone.now() - timedelta(days=10))
    received = timezone.localtime(timezone.now() - timedelta(days=5)).replace(second=0, microsecond=0)

    # when the bureau clerk enters it through the form's datetime-local field
    response = browser(people.bureau).post(
        reverse("case-transition", args=[case.pk, "receive"]),
        {"receive-occurred_at": received.strftime("%Y-%m-%dT%H:%M")},
    )

    # then the act carries the real time and is flagged as a late entry
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.received_at == received
    assert AuditEvent.objects.get(case_id=case.pk, action="case.receive").late_entry


def test_an_act_the_state_does_not_allow_is_a_form_error(browser, people, received_case):
    response = browser(people.bureau).post(reverse("case-transition", args=[received_case.pk, "receive"]))

    assert response.status_code == 409
    assert "不能移送执行局" in _html(response)


def test_closing_within_three_months_is_blocked_until_the_head_approves(browser, people):
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    url = reverse("case-transition", args=[case.pk, "close"])

    # when the judge closes by 终本 a fresh case
    blocked = browser(people.judge).post(url, {"close-closure": Closure.TERMINATED_ROUND})

    # then termination_too_early is shown with its source
    assert blocked.status_code == 422
    page = _html(blocked)
    assert "立案未满三个月" in page and "《浙江省高级人民法院落实" in page and "[002]" not in page
    assert '<span class="violation-detail">立案未满三个月' in page

    # and the refusal offers the request in place
    assert "申请执行局长审批" in page and 'name="kind" value="override" form="approval-ask"' in page

    # when the judge asks from the refusal and the bureau head approves through his inbox
    asked = browser(people.judge).post(reverse("approval-ask"), {
        "case": case.pk, "kind": "override", "code": "termination_too_early",
        "reason": "被执行人确无财产，申请执行人同意终本"}, follow=True)
    assert "已提交执行局长审批" in _html(asked)
    req = ApprovalRequest.objects.get(case=case, code="termination_too_early")
    inbox = _html(browser(people.head).get(reverse("approval-inbox")))
    assert case.number in inbox and "立案未满三个月以终本方式结案" in inbox and "陈法官" in inbox
    approved = browser(people.head).post(reverse("approval-decide", args=[req.pk, "approve"]), {"note": "同意"},
                                         follow=True)
    assert "已批准" in _html(approved)
    req.refresh_from_db()
    assert req.status == "approved"

    # the close guard no longer blocks (other registered guards may still apply)
    again = browser(people.judge).post(url, {"close-closure": Closure.TERMINATED_ROUND})
    assert '<span class="violation-detail">立案未满三个月' not in _html(again)


def test_judge_records_a_milestone(browser, people, received_case):
    client = browser(people.judge)

    response = client.post(
        reverse("case-milestone", args=[received_case.pk]),
        {"milestone-kind": MilestoneKind.NOTICE_SENT, "milestone-note": "已邮寄送达"},
        follow=True,
    )

    html = _html(response)
    assert "记录节点" in html and "已发送执行通知书、报告财产令" in html and "已邮寄送达" in html
    assert AuditEvent.objects.filter(case_id=received_case.pk, action="case.milestone.notice_sent").exists()


def test_a_milestone_dated_in_the_future_is_refused_on_its_field(browser, people, received_case):
    response = browser(people.judge).post(
        reverse("case-milestone", args=[received_case.pk]),
        {"milestone-kind": MilestoneKind.NOTICE_SENT, "milestone-occurred_at": "2099-01-01T09:00"},
    )

    assert response.status_code == 400
    assert "发生时间不能晚于当前时间" in _html(response)
    assert not AuditEvent.objects.filter(case_id=received_case.pk, action__startswith="case.milestone").exists()


# --- filing ----------------------------------------------------------------------------------


def _filing_post(**overrides) -> dict:
    data = {
        "basis": "（2025）豫0303民初77号民事判决书",
        "basis_kind": "litigation",
        "claim_amount": "86000.50",
        "payee_bank": "中国建设银行洛阳分行",
        "payee_account_no": "6227001234567890",
        "payee_holder": "王芳",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "2",
        "parties-MAX_NUM_FORMS": "50",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "王芳",
        "parties-0-id_number": "11010519491231002X",
        "parties-0-phone": "13912345678",
        "parties-1-role": "respondent",
        "parties-1-kind": "person",
        "parties-1-name": "张伟",
        "parties-1-id_number": PERSON_ID,
        "parties-2-role": "respondent",
        "parties-2-kind": "organization",
        "parties-2-name": "洛阳市宏达建材有限公司",
        "parties-2-id_number": ORG_USCC,
        "parties-2-government_organ": "on",
        "livelihood": "on",
    }
    data.update(overrides)
    return data


def test_filing_clerk_files_a_case_through_the_form(browser, people):
    response = browser(people.clerk).post(reverse("case-file"), _filing_post(), follow=True)

    case = Case.objects.get(basis="（2025）豫0303民初77号民事判决书")
    assert response.redirect_chain[-1][0] == reverse("case-detail", args=[case.pk])
    assert f"立案成功，案号 {case.number}" in _html(response)
    assert case.parties.count() == 3
    assert case.payee_account_no == "6227001234567890"
    assert case.livelihood and case.government_organ_debtor
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.file", actor=people.clerk).exists()


def _wrong_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("1" if id_number[-1] != "1" else "2")


def test_filing_form_rejects_a_bad_id_number(browser, people):
    response = browser(people.clerk).post(
        reverse("case-file"), _filing_post(**{"parties-1-id_number": _wrong_check_digit(PERSON_ID)})
    )

    assert response.status_code == 400
    assert "居民身份证号码无效" in _html(response)
    assert not Case.objects.exists()


def test_filing_form_needs_a_respondent(browser, people):
    response = browser(people.clerk).post(
        reverse("case-file"),
        _filing_post(
            **{
                "parties-1-role": "applicant",
                "parties-2-role": "applicant",
            }
        ),
    )

    assert response.status_code == 400
    assert "至少需要一名被执行人" in _html(response)
    assert not Case.objects.exists()


def test_only_filing_clerks_may_open_the_filing_page(browser, people):
    assert browser(people.judge).get(reverse("case-file")).status_code == 403
    page = browser(people.clerk).get(reverse("case-file"))
    assert page.status_code == 200 and "申请执行人收款账户" in _html(page)
