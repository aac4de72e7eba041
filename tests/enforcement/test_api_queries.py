"""Lists run a constant number of queries whatever their length (STYLE.md "Reads go through
selectors"): 3 cases or 30, 7 events or 70."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import Case, CaseStatus
from tests.factories import advance, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock")


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200, r.content
    return len(ctx.captured_queries)


def file_cases(people, n: int) -> None:
    for i in range(n):
        case = file_case(people.clerk)
        if i % 3 == 1:  # a mix of states, some with a judge
            advance(case, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


@pytest.mark.smoke
@pytest.mark.parametrize("who", ["judge", "ha_supervisor"])
def test_the_case_list_runs_the_same_queries_for_3_and_30_cases(people, api, who):
    # given
    client = api(getattr(people, who))
    file_cases(people, 3)
    client.get("/api/v1/cases/")  # warm per-user caches (roles)
    few = queries_for(client, "/api/v1/cases/")
    # when
    file_cases(people, 27)
    many = queries_for(client, "/api/v1/cases/")
    # then
    assert Case.objects.count() == 30
    assert many == few
    assert few <= 6


def test_the_filtered_case_list_is_constant_too(people, api):
    # given
    client = api(people.judge)
    file_cases(people, 3)
    client.get("/api/v1/cases/")
    path = "/api/v1/cases/?status=in_progress&q=张伟"
    few = queries_for(client, path)
    # when
    file_cases(people, 27)
    many = queries_for(client, path)
    # then
    assert many == few


def test_the_events_list_runs_the_same_queries_for_few_and_many_events(people, api):
    # given
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    client = api(people.judge)
    client.get(f"/api/v1/cases/{case.pk}/events/")
    few = queries_for(client, f"/api/v1/cases/{case.pk}/events/")
    # when
    for _ in range(15):
        case = services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院",
                                     approved_by=people.head)
        case = services.case_resume(case=case, actor=people.judge)
    many = queries_for(client, f"/api/v1/cases/{case.pk}/events/")
    # then
    assert client.get(f"/api/v1/cases/{case.pk}/events/").json()["count"] == 34
    assert many == few


def test_users_and_courts_lists_are_constant(people, api, courts):
    # given
    from enforcement.models import Role
    from tests.factories import UserFactory

    client = api(people.ha_supervisor)
    client.get("/api/v1/users/")
    few_users, few_courts = queries_for(client, "/api/v1/users/"), queries_for(client, "/api/v1/courts/")
    # when
    for i in range(20):
        UserFactory(username=f"ly_extra{i}", court=courts.luoyang, roles=[Role.OFFICER, Role.POST_JUDGE])
    # then
    assert queries_for(client, "/api/v1/users/") == few_users
    assert queries_for(client, "/api/v1/courts/") == few_courts
