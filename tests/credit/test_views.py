"""Browser: the case page's credit section, the propose action and the court-wide list."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from credit import services
from credit.models import Sanction
from credit.web import case_section

from .conftest import at, debtor

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_case_section_offers_the_judges_transitions_as_forms_to_the_generic_endpoint(enforced_case, people, rf):
    # given: a listing in its grace period
    case = enforced_case()
    s = services.sanction_propose(case=case, party=debtor(case), kind="dishonest_list", ground="able_but_refuses",
                                  actor=people.judge, occurred_at=at(2026, 8, 3))
    services.sanction_decide(sanction=s, actor=people.judge, occurred_at=at(2026, 8, 4), served_at=at(2026, 8, 4, 10))
    services.sanction_grant_grace(sanction=s, actor=people.judge, months=2, occurred_at=at(2026, 8, 5))
    # when
    ctx = case_section(people.judge, case)
    request = rf.get("/")
    request.user = people.judge
    html = render_to_string("credit/_case_section.html", ctx, request=request)
    # then: the listing and its companion restriction, the grace end, and forms posting to /objects/…
    assert [x.kind for x in ctx["credit_sanctions"]] == ["dishonest_list", "consumption_restriction"]
    assert "宽限期至" in html and "2026-10-05" in html
    assert f'action="/objects/sanctions/{s.pk}/transitions/publish/"' in html
    assert f'id="id_sanction{s.pk}_lift-reason"' in html
    assert ctx["credit_propose_form"] is not None
    # and a filing clerk sees the section without any action
    clerk_ctx = case_section(people.clerk, case)
    assert all(not x.transition_forms for x in clerk_ctx["credit_sanctions"])
    assert clerk_ctx["credit_propose_form"] is None


def test_propose_view_creates_and_redirects_to_the_credit_section(enforced_case, people):
    case = enforced_case()
    r = _client(people.judge).post(f"/credit/cases/{case.pk}/sanctions/", {
        "sanction-party": debtor(case).pk, "sanction-kind": "dishonest_list", "sanction-ground": "settlement_breach",
    })
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{case.pk}/#credit"
    assert sorted(Sanction.objects.values_list("kind", flat=True)) == ["consumption_restriction", "dishonest_list"]


def test_propose_view_shows_the_refusal_with_its_reason_and_source_not_its_code(enforced_case, people):
    case = enforced_case()
    r = _client(people.judge).post(f"/credit/cases/{case.pk}/sanctions/", {
        "sanction-party": debtor(case).pk, "sanction-kind": "dishonest_list",
    }, follow=False)
    assert r.status_code == 302
    messages = [str(m) for m in r.wsgi_request._messages]
    assert any("操作被拦截" in m and "依据《" in m for m in messages)
    assert not any("dishonest_without_ground" in m for m in messages)
    assert not Sanction.objects.exists()


def test_propose_view_for_another_courts_case_is_404(enforced_case, people):
    case = enforced_case()
    r = _client(people.hz_judge).post(f"/credit/cases/{case.pk}/sanctions/", {
        "sanction-party": debtor(case).pk, "sanction-kind": "exit_ban",
    })
    assert r.status_code == 404
    assert not Sanction.objects.exists()


def _published(enforced_case, judge, ground):
    case = enforced_case()
    s = services.sanction_propose(case=case, party=debtor(case), kind="dishonest_list", ground=ground, actor=judge,
                                  occurred_at=at(2026, 8, 3))
    services.sanction_decide(sanction=s, actor=judge, occurred_at=at(2026, 8, 4), served_at=at(2026, 8, 4, 10))
    services.sanction_publish(sanction=s, actor=judge, occurred_at=at(2026, 8, 6))


def test_sanction_list_page_shows_active_sanctions_with_grounds_in_constant_queries(
    enforced_case, people, django_assert_max_num_queries
):
    client = _client(people.judge)
    _published(enforced_case, people.judge, "able_but_refuses")
    with django_assert_max_num_queries(30) as small:
        r = client.get("/credit/sanctions/")
    assert r.status_code == 200
    for _ in range(3):
        _published(enforced_case, people.judge, "property_report_breach")
    with django_assert_max_num_queries(30) as large:
        r = client.get("/credit/sanctions/?kind=dishonest_list")
    html = r.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert html.count("违反财产报告制度") == 3 + 1  # three rows plus the filter's option
    assert r.context["page"].paginator.count == 4


def test_sanction_list_page_is_court_scoped(enforced_case, people):
    _published(enforced_case, people.judge, "able_but_refuses")
    r = _client(people.hz_judge).get("/credit/sanctions/")
    assert r.status_code == 200
    assert r.context["page"].paginator.count == 0
    r = _client(people.ha_supervisor).get("/credit/sanctions/?status=all")
    assert r.context["page"].paginator.count == 2
