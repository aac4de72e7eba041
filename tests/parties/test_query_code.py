"""SPEC §10 query code (查询码): issued at filing, 8 characters without look-alikes, unique per court,
sent in the ``filed`` message, shown to staff, reissued by a bureau head (audited; the old one stops)."""

from __future__ import annotations

import pytest

from cases.models import Case, PartyMessage
from cases.parties import codes
from cases.parties.services import query_code_reissue
from enforcement.errors import PermissionDenied
from enforcement.models import AuditEvent
from tests.factories import case_payload, file_case


@pytest.mark.django_db
def test_filing_issues_an_eight_character_code_without_ambiguous_letters(people, rules, api):
    r = api(people.clerk).post("/api/v1/cases/", case_payload(), format="json")
    assert r.status_code == 201
    code = r.json()["query_code"]
    assert len(code) == 8 and not set(code) & set("0O1IL")
    assert Case.objects.get(pk=r.json()["id"]).query_code == code
    # shown on the case's detail to staff, never on lists
    assert api(people.judge).get(f"/api/v1/cases/{r.json()['id']}/").json()["query_code"] == code
    assert "query_code" not in api(people.judge).get("/api/v1/cases/").json()["results"][0]


def test_the_alphabet_has_no_look_alikes():
    assert not set(codes.ALPHABET) & set("0O1IL") and len(set(codes.ALPHABET)) == 31
    assert all(codes.well_formed(codes.generate()) for _ in range(200))


@pytest.mark.django_db
def test_a_drawn_code_taken_in_the_court_is_drawn_again(people, rules, monkeypatch):
    first = file_case(people.clerk)
    draws = iter([first.query_code, "ABCDEFGH"])
    monkeypatch.setattr(codes, "generate", lambda: next(draws))
    second = file_case(people.clerk)
    assert second.query_code == "ABCDEFGH"


@pytest.mark.django_db
def test_the_bureau_head_reissues_the_code_and_the_old_one_stops_working(people, rules, api):
    case = file_case(people.clerk)
    old = case.query_code
    r = api(people.head).post(f"/api/v1/cases/{case.pk}/query-code/", {"reason": "申请执行人反映查询码泄露"},
                              format="json")
    assert r.status_code == 200
    new = r.json()["query_code"]
    assert new != old
    public = api()
    assert public.post("/api/v1/public/progress/", {"number": case.number, "code": old},
                       format="json").status_code == 404
    assert public.post("/api/v1/public/progress/", {"number": case.number, "code": new},
                       format="json").status_code == 200
    event = AuditEvent.objects.get(action="case.query_code.reissue", case_id=case.pk)
    assert event.actor_id == people.head.pk and old not in str(event.after) and new not in str(event.after)
    told = PartyMessage.objects.get(case=case, event="query_code_reissued")
    assert new in told.text


@pytest.mark.django_db
def test_only_a_bureau_head_reissues_the_code(people, rules, api):
    case = file_case(people.clerk)
    assert api(people.judge).post(f"/api/v1/cases/{case.pk}/query-code/", {}, format="json").status_code == 403
    with pytest.raises(PermissionDenied):
        query_code_reissue(case=case, actor=people.supervisor)
    assert api(people.hz_judge).post(f"/api/v1/cases/{case.pk}/query-code/", {}, format="json").status_code == 404


@pytest.mark.django_db
def test_the_code_is_printed_on_the_execution_notice(people, rules):
    from enforcement.documents.render import render_html
    from enforcement.models import DocumentKind

    case = file_case(people.clerk)
    html = render_html(case, DocumentKind.EXECUTION_NOTICE)
    assert f"案件查询码：<span class=\"strong\">{case.query_code}</span>" in html


@pytest.mark.django_db
def test_the_case_page_shows_the_code_and_the_reissue_form_to_the_bureau_head(people, rules, client):
    case = file_case(people.clerk)
    client.force_login(people.head)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert case.query_code in page and "action-querycode" in page
    r = client.post(f"/cases/{case.pk}/query-code/", {"querycode-reason": "泄露"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.query_code not in page
    client.force_login(people.judge)
    assert "action-querycode" not in client.get(f"/cases/{case.pk}/").content.decode()
