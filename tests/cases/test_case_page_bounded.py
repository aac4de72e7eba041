"""Issue 13, item 6: the case page is bounded. Each section shows its latest rows and links to a
paged full list; the page runs as many queries for a case with 1,000 receipts as for a case with
one, and stays under 300 KB."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.lists import LIST_PAGE_SIZE, SECTION_LIMIT
from cases.management.commands.bench_case_page import add_receipts
from cases.models import CaseStatus
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from tests.factories import advance, file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people):
    calendar_seed_national()
    rulesets_seed()
    return advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


def _get(client, url):
    client.get(url)  # the calendar and rule caches are warm for the measured request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_case_page_runs_as_many_queries_with_1000_receipts_as_with_one_and_stays_under_300_kb(client, people, case):
    # given a case with one receipt (and its disbursement)
    client.force_login(people.judge)
    add_receipts(case, 1)
    _, small_queries = _get(client, f"/cases/{case.pk}/")
    # when it holds 1,000
    add_receipts(case, 999)
    response, big_queries = _get(client, f"/cases/{case.pk}/")
    # then the page runs the same queries, shows the latest ten of each and links to all of them
    assert big_queries == small_queries
    assert len(response.content) < 300 * 1024
    html = response.content.decode()
    assert html.count('id="receipt-') == SECTION_LIMIT
    assert html.count('class="disbursement" id="disbursement-') == SECTION_LIMIT
    assert "全部 1000 条" in html
    assert f"/cases/{case.pk}/lists/receipts/" in html
    assert f"/cases/{case.pk}/lists/disbursements/" in html


@pytest.mark.parametrize("name", ["receipts", "disbursements", "deadlines", "timeline", "properties", "leads",
                                  "queries", "documents"])
def test_every_full_list_is_paged_and_runs_a_constant_number_of_queries(client, people, case, name):
    # given a case with a few receipts, then with many
    client.force_login(people.judge)
    add_receipts(case, 3)
    url = f"/cases/{case.pk}/lists/{name}/"
    _, few = _get(client, url)
    add_receipts(case, LIST_PAGE_SIZE * 2)
    # when its full list is read, then it runs as many queries and shows one page
    response, many = _get(client, url)
    assert many == few
    assert "案件列表" in response.content.decode()


def test_the_full_receipt_list_pages_through_every_receipt(client, people, case):
    # given 120 receipts
    client.force_login(people.judge)
    add_receipts(case, 120)
    url = f"/cases/{case.pk}/lists/receipts/"
    # when the last page is read, then it holds the remainder and says where it is
    first = client.get(url).content.decode()
    last = client.get(url + "?page=3").content.decode()
    assert first.count('id="receipt-') == LIST_PAGE_SIZE
    assert last.count('id="receipt-') == 120 - 2 * LIST_PAGE_SIZE
    assert "第 3 / 3 页" in last


def test_the_timeline_shows_the_latest_events_and_links_to_the_full_record(client, people, case):
    # given a case whose record holds more events than the section shows
    from cases import services
    from cases.models import MilestoneKind

    for i in range(SECTION_LIMIT + 2):
        services.case_record_milestone(case=case, actor=people.judge, kind=MilestoneKind.values[0],
                                       occurred_at=None, note=f"第{i + 1}次")
    client.force_login(people.judge)
    # when the case page is read
    html = client.get(f"/cases/{case.pk}/").content.decode()
    # then it shows the latest ten, the newest included, and links to the full record
    assert html.count('class="timeline__item') == SECTION_LIMIT
    assert f"第{SECTION_LIMIT + 2}次" in html
    assert f"/cases/{case.pk}/lists/timeline/" in html
    full = client.get(f"/cases/{case.pk}/lists/timeline/").content.decode()
    assert "第1次" in full


def test_another_courts_judge_does_not_find_the_case_lists(client, people, case):
    # given a judge of Hangzhou, when he asks for a Luoyang case's list, then it is not found
    client.force_login(people.hz_judge)
    assert client.get(f"/cases/{case.pk}/lists/receipts/").status_code == 404


def test_an_unknown_list_is_not_found(client, people, case):
    client.force_login(people.judge)
    assert client.get(f"/cases/{case.pk}/lists/nothing/").status_code == 404
