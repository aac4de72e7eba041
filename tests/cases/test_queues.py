"""Each role's queue (issue 17): the bureau receives and assigns from its queue seeing every judge's
open caseload; a judge accepts several assigned cases at once; finance finds its queues in the
navigation; every case says its next step."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, CaseStatus
from cases.queues import selectors
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from tests.factories import advance, file_case


@pytest.fixture
def rules(courts):
    calendar_seed_national()
    rulesets_seed()
    return courts


@pytest.fixture
def bureau(client, people):
    client.force_login(people.bureau)
    return client


def test_the_bureau_lands_on_its_queue_with_cases_to_receive_and_to_assign(bureau, rules, people):
    filed = file_case(people.clerk)
    received = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    assert bureau.get(reverse("home"))["Location"] == reverse("bureau-queue")
    body = bureau.get(reverse("bureau-queue")).content.decode()
    receive = body[body.index('id="to-receive"'):body.index('id="to-assign"')]
    assign = body[body.index('id="to-assign"'):]
    assert filed.number in receive and received.number not in receive
    assert received.number in assign and filed.number not in assign


def test_the_assign_form_shows_each_judges_open_caseload(bureau, rules, people):
    advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    loads = {j.username: j.open_cases for j in selectors.judges_with_caseload(people.judge.court_id)}
    assert loads["ly_judge"] == 2 and loads["ly_judge2"] == 0
    body = bureau.get(reverse("bureau-queue")).content.decode()
    assert f"{people.judge.display_name}（在办 2 件）" in body
    # the case page's assign form says the same
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    page = bureau.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f"{people.judge2.display_name}（在办 0 件）" in page


def test_receiving_and_assigning_from_the_queue(bureau, rules, people):
    case = file_case(people.clerk)
    bureau.post(reverse("bureau-receive", args=[case.pk]))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED
    r = bureau.post(reverse("bureau-assign", args=[case.pk]), {"judge": people.judge2.pk})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).judge == people.judge2


def test_assigning_to_someone_not_a_judge_of_the_court_is_refused_on_the_page(bureau, rules, people):
    case = services.case_receive(case=file_case(people.clerk), actor=people.bureau)
    r = bureau.post(reverse("bureau-assign", args=[case.pk]), {"judge": people.hz_judge.pk}, follow=True)
    assert "请选择本院在职员额法官" in r.content.decode()
    assert Case.objects.get(pk=case.pk).judge_id is None


def test_a_judge_accepts_several_assigned_cases_at_once(client, rules, people):
    a = services.case_assign(case=services.case_receive(case=file_case(people.clerk), actor=people.bureau),
                             actor=people.bureau, judge=people.judge)
    b = services.case_assign(case=services.case_receive(case=file_case(people.clerk), actor=people.bureau),
                             actor=people.bureau, judge=people.judge)
    client.force_login(people.judge)
    body = client.get(reverse("home")).content.decode()
    assert "待接收案件" in body and a.number in body and "接收所选案件" in body
    client.post(reverse("batch-accept"), {"cases": [a.pk, b.pk]})
    assert set(Case.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {CaseStatus.IN_PROGRESS}


def test_a_batch_with_a_case_of_another_judge_accepts_none(client, rules, people):
    mine = services.case_assign(case=services.case_receive(case=file_case(people.clerk), actor=people.bureau),
                                actor=people.bureau, judge=people.judge)
    theirs = services.case_assign(case=services.case_receive(case=file_case(people.clerk), actor=people.bureau),
                                  actor=people.bureau, judge=people.judge2)
    client.force_login(people.judge)
    r = client.post(reverse("batch-accept"), {"cases": [mine.pk, theirs.pk]}, follow=True)
    assert "未接收任何案件" in r.content.decode() and theirs.number in r.content.decode()
    assert Case.objects.get(pk=mine.pk).status == CaseStatus.RECEIVED


def test_finance_finds_its_payment_queue_and_unidentified_receipts_in_the_navigation(client, people):
    client.force_login(people.finance)
    body = client.get(reverse("case-list")).content.decode()
    assert f'href="{reverse("funds-queue")}"' in body and "待发放案款" in body
    assert f'href="{reverse("funds-unidentified")}"' in body and "不明款认领" in body


def test_a_new_case_tells_the_filing_clerk_its_next_step(client, rules, people):
    case = file_case(people.clerk)
    client.force_login(people.clerk)
    body = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "已立案，待执行局收案（执行局内勤办理）" in body and "没有可办理的操作" not in body
