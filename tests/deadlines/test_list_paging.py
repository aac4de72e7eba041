"""``GET /api/v1/deadlines/`` and ``/api/v1/alerts/`` page by index order from either end (issue 16):
the same rows and order as one long page, the same queries for the first and the last page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deadlines.models import Alert, Deadline
from deadlines.scan import scan_deadlines
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def listed(rules, people):
    for day in (2, 3, 4, 5):
        file_case(people.clerk, filed_at=datetime(2026, 3, day, 9, tzinfo=SH))
    scan_deadlines(now=datetime(2026, 3, 20, 9, tzinfo=SH))


def _walk(client, path, size):
    first = client.get(f"{path}?page_size={size}").json()
    pages = -(-first["count"] // size)
    ids = []
    for n in range(1, pages + 1):
        body = client.get(f"{path}?page_size={size}&page={n}").json()
        assert body["count"] == first["count"]
        assert (body["previous"] is None) == (n == 1) and (body["next"] is None) == (n == pages)
        ids += [r["id"] for r in body["results"]]
    return first["count"], ids


@pytest.mark.parametrize("path, model, order", [
    ("/api/v1/deadlines/", Deadline, ("due_at", "id")),
    ("/api/v1/alerts/", Alert, ("-raised_at", "-id")),
])
def test_every_page_holds_the_rows_of_the_list_in_its_order(listed, people, api, path, model, order):
    client = api(people.supervisor)
    expected = list(model.objects.filter(court_id=people.supervisor.court_id).order_by(*order)
                    .values_list("pk", flat=True))
    assert len(expected) >= 4
    count, ids = _walk(client, path, 3)
    assert count == len(expected) and ids == expected
    # the last page, asked for by name, is the tail of the list
    last = client.get(f"{path}?page_size=3&page=last").json()
    assert [r["id"] for r in last["results"]] == expected[(len(expected) - 1) // 3 * 3:]


@pytest.mark.parametrize("path", ["/api/v1/deadlines/", "/api/v1/alerts/"])
def test_the_last_page_costs_the_queries_of_the_first(listed, people, api, path):
    client = api(people.supervisor)
    pages = -(-client.get(f"{path}?page_size=2").json()["count"] // 2)
    with CaptureQueriesContext(connection) as first:
        client.get(f"{path}?page_size=2&page=1")
    with CaptureQueriesContext(connection) as last:
        client.get(f"{path}?page_size=2&page={pages}")
    assert len(last.captured_queries) == len(first.captured_queries)
    # no page query joins before its LIMIT: the ids come from the list's own table
    limited = [q["sql"] for q in last.captured_queries if "LIMIT" in q["sql"]]
    assert limited and all(" JOIN " not in sql for sql in limited)


def test_a_page_past_the_end_is_a_not_found_error(listed, people, api):
    r = api(people.supervisor).get("/api/v1/deadlines/?page=999")
    assert r.status_code == 404 and r.json()["code"]
