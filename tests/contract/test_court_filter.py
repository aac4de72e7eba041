"""Issue 13, item 7: ``?court=`` is honoured on every list of the API — the rows of that court
within the user's scope — and a value that is not a court's integer id is a 400 ``invalid``.

The lists are read from the published schema (every GET answering a page), so a new list is
tested the day it is added."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from cases.models import CaseStatus
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from tests.factories import advance, file_case


def _list_paths() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    out = []
    for path, ops in schema["paths"].items():
        get = ops.get("get")
        if get is None:
            continue
        ref = get["responses"]["200"].get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if ref.split("/")[-1].startswith("Paginated"):
            out.append(path)
    return out


LISTS = _list_paths()


@pytest.fixture
def case(people):
    calendar_seed_national()
    rulesets_seed()
    return advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


def _url(path: str, case) -> str:
    return path.replace("{id}", str(case.pk))


def test_the_schema_lists_every_list_endpoint():
    # the issue names these four as ignoring ?court=; they are among the lists tested below
    for path in ("/api/v1/properties/", "/api/v1/disbursements/", "/api/v1/leads/", "/api/v1/queries/"):
        assert path in LISTS
    assert len(LISTS) >= 20


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("value", ["abc", "1.5", "999999"])
def test_a_court_that_is_not_a_court_id_is_a_400(api, people, case, path, value):
    # when a list is asked for a court that is no integer id, or no court
    r = api(people.supervisor).get(_url(path, case), {"court": value})
    # then it is refused with the field named
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"
    assert "court" in r.json()["errors"]


@pytest.mark.parametrize("path", LISTS)
def test_a_court_filter_is_honoured_on_every_list(api, people, courts, case, path):
    # given the Luoyang supervisor, who sees Luoyang's rows
    client = api(people.supervisor)
    url = _url(path, case)
    # when he lists the rows of his own court, and of a court outside his scope
    own = client.get(url, {"court": courts.luoyang.pk})
    other = client.get(url, {"court": courts.hangzhou.pk})
    everything = client.get(url)
    # then his court's rows are among his rows, and a court outside his scope has none for him
    assert own.status_code == other.status_code == everything.status_code == 200, (own.content, other.content)
    assert own.json()["count"] <= everything.json()["count"]
    assert other.json()["count"] == 0


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/cases/{id}/events/", "/api/v1/cases/{id}/deadlines/",
                                  "/api/v1/courts/", "/api/v1/users/"])
def test_the_court_filter_keeps_rows_of_that_court(api, people, courts, case, path):
    # given lists that hold Luoyang rows, then filtering by Luoyang keeps some and by Hangzhou none
    client = api(people.supervisor)
    assert client.get(_url(path, case), {"court": courts.luoyang.pk}).json()["count"] > 0
    assert client.get(_url(path, case), {"court": courts.hangzhou.pk}).json()["count"] == 0
