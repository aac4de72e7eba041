"""Sanctions and the case: 终本 needs every debtor under restriction [002]; a performed case lifts
restrictions and shields listings [004 §23]."""

import pytest

from cases import services as case_services
from cases.models import Case
from credit import rules as credit_rules
from credit import services
from credit.models import Sanction
from deadlines.models import Deadline
from enforcement.errors import GuardFailed

from .conftest import at, debtor

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_restriction_guard(monkeypatch):
    """Isolate from the other modules' 终本 guards (query, leads, property …): one rule at a time."""
    from cases import rules

    monkeypatch.setattr(rules, "_close_guards", [credit_rules.termination_no_restriction])


def _restriction(case, actor, *, publish=True, grace=False):
    s = services.sanction_propose(case=case, party=debtor(case), kind="consumption_restriction", actor=actor,
                                  occurred_at=at(2026, 8, 3))
    services.sanction_decide(sanction=s, actor=actor, occurred_at=at(2026, 8, 4), served_at=at(2026, 8, 4, 10))
    if grace:
        services.sanction_grant_grace(sanction=s, actor=actor, months=3, occurred_at=at(2026, 8, 5))
    if publish:
        services.sanction_publish(sanction=s, actor=actor, occurred_at=at(2026, 8, 6))
    return s


def test_termination_no_restriction_is_registered_as_a_close_guard():
    from cases import rules

    assert credit_rules.termination_no_restriction in rules.close_guards()


@pytest.mark.smoke
def test_termination_no_restriction_refuses_terminating_the_round_while_the_debtor_is_unrestricted(
    enforced_case, people, api
):
    # given: a case over three months old whose debtor is not restricted
    case = enforced_case()
    # when: closing by 终本 through the API, all registered guards running
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/transitions/close/",
                               {"closure": "terminated_round", "occurred_at": at(2026, 10, 20).isoformat()},
                               format="json")
    # then: 422 with termination_no_restriction among the violations; the case is unchanged
    assert r.status_code == 422
    assert "termination_no_restriction" in [v["code"] for v in r.json()["violations"]]
    case.refresh_from_db()
    assert (case.status, case.closure) == ("in_progress", "")


def test_a_restriction_still_in_grace_does_not_satisfy_termination(enforced_case, people, only_restriction_guard):
    # given: the restriction is decided but in its grace period ("暂不执行", [003 §8])
    case = enforced_case()
    _restriction(case, people.judge, publish=False, grace=True)
    # when / then
    with pytest.raises(GuardFailed) as exc:
        case_services.case_close(case=case, actor=people.judge, closure="terminated_round",
                                 occurred_at=at(2026, 10, 20))
    assert exc.value.code == "termination_no_restriction"


def test_termination_passes_when_every_debtor_is_under_an_active_restriction(enforced_case, people,
                                                                            only_restriction_guard):
    # given
    case = enforced_case()
    s = _restriction(case, people.judge)
    # when
    case = case_services.case_close(case=case, actor=people.judge, closure="terminated_round",
                                    occurred_at=at(2026, 10, 20))
    # then: closed; the restriction stays in force after 终本 [002]
    assert (case.status, case.closure) == ("closed", "terminated_round")
    s.refresh_from_db()
    assert s.status == "active"


def test_termination_ignores_a_protected_debtor(enforced_case, people, only_restriction_guard):
    case = enforced_case()
    debtor(case).__class__.objects.filter(pk=debtor(case).pk).update(protected=True)
    case = case_services.case_close(case=case, actor=people.judge, closure="terminated_round",
                                    occurred_at=at(2026, 10, 20))
    assert case.closure == "terminated_round"


def test_a_lift_clock_started_before_closure_keeps_running_after_it(enforced_case, people, only_restriction_guard):
    # given: a guarantee was given on 2026-10-12 (3 working days → 2026-10-15)
    case = enforced_case()
    s = _restriction(case, people.judge)
    services.sanction_lift_ground(sanction=s, actor=people.judge, reason="guarantee", occurred_at=at(2026, 10, 12))
    # when: the case is closed by 终本 (closing cancels the case's own clocks)
    case_services.case_close(case=case, actor=people.judge, closure="terminated_round", occurred_at=at(2026, 10, 20))
    # then: the restriction's lift clock still runs, with its original due
    running = Deadline.objects.get(node="RESTRICTION_LIFT", subject_type="sanction", subject_id=s.pk,
                                   status="running")
    assert running.due_at.date().isoformat() == "2026-10-15"


def test_performed_case_withdraws_an_unpublished_listing_without_telling_the_platform(enforced_case, people):
    # given: a listing decided, not published
    case = enforced_case()
    listing = services.sanction_propose(case=case, party=debtor(case), kind="dishonest_list",
                                        ground="able_but_refuses", actor=people.judge, occurred_at=at(2026, 8, 3))
    services.sanction_decide(sanction=listing, actor=people.judge, occurred_at=at(2026, 8, 4))
    # when
    case_services.case_close(case=Case.objects.get(pk=case.pk), actor=people.judge, closure="performed",
                             occurred_at=at(2026, 9, 29))
    # then
    listing.refresh_from_db()
    assert (listing.status, listing.lift_reason) == ("lifted", "performed")
    assert not listing.platform_messages.exists()
    companion = Sanction.objects.get(companion_of=listing)
    assert (companion.status, companion.lift_ground) == ("decided", "performed")
