"""The sanction guards of SPEC §7: each refuses with its code (422) and changes nothing."""

import pytest

from cases import services as case_services
from cases.models import Party
from credit import services
from credit.models import CreditPlatformMessage, Sanction
from enforcement.errors import GuardFailed, InvalidInput
from enforcement.models import AuditEvent
from tests.factories import ORG_USCC, PERSON_ID, filing_data

from .conftest import at, debtor

pytestmark = pytest.mark.django_db


def _propose(case, party, actor, kind="dishonest_list", ground="able_but_refuses", when=(2026, 8, 3)):
    return services.sanction_propose(case=case, party=party, kind=kind, ground=ground, actor=actor,
                                     occurred_at=at(*when))


@pytest.mark.smoke
def test_dishonest_without_ground_refuses_a_listing_proposed_without_a_statutory_ground(enforced_case, people, api):
    # given
    case = enforced_case()
    events_before = AuditEvent.objects.count()
    # when
    r = api(people.judge).post("/api/v1/sanctions/", {"case": case.pk, "party": debtor(case).pk,
                                                      "kind": "dishonest_list"}, format="json")
    # then
    assert r.status_code == 422
    assert r.json()["code"] == "dishonest_without_ground"
    assert not Sanction.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_dishonest_without_ground_refuses_publishing_a_listing_whose_decision_was_not_served(
    enforced_case, people, api
):
    # given: a listing decided, its decision not yet served
    case = enforced_case()
    listing = _propose(case, debtor(case), people.judge)
    services.sanction_decide(sanction=listing, actor=people.judge, occurred_at=at(2026, 8, 4))
    client = api(people.judge)
    # when
    r = client.post(f"/api/v1/sanctions/{listing.pk}/transitions/publish/", {}, format="json")
    # then: refused, still decided, nothing pushed
    assert r.status_code == 422
    assert r.json()["code"] == "dishonest_without_ground"
    listing.refresh_from_db()
    assert (listing.status, listing.published_at) == ("decided", None)
    assert not CreditPlatformMessage.objects.exists()
    # and when the service is recorded, it may be published
    assert client.post(f"/api/v1/sanctions/{listing.pk}/transitions/serve/",
                       {"served_at": at(2026, 8, 5).isoformat()}, format="json").status_code == 200
    r = client.post(f"/api/v1/sanctions/{listing.pk}/transitions/publish/", {}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "active"
    # ground 1 (able but refuses) has no fixed term
    assert r.json()["term_until"] is None


@pytest.mark.smoke
def test_protected_party_cannot_be_sanctioned(rules, people, pinned_clock, api):
    # given: the debtor is an epidemic-control entity [000 §8]
    parties = [
        case_services.PartyData(role="applicant", name="张伟", kind="person", id_number=PERSON_ID),
        case_services.PartyData(role="respondent", name="洛阳市防疫物资有限公司", kind="organization",
                                id_number=ORG_USCC, legal_representative="王强", protected=True),
    ]
    case = case_services.case_file(actor=people.clerk, data=filing_data(parties=parties), filed_at=at(2026, 6, 1))
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 6, 1, 10))
    case = case_services.case_assign(case=case, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 6, 1, 11))
    case = case_services.case_accept(case=case, actor=people.judge, occurred_at=at(2026, 6, 2))
    party = debtor(case)
    # when: a restriction is proposed
    r = api(people.judge).post("/api/v1/sanctions/", {"case": case.pk, "party": party.pk,
                                                      "kind": "consumption_restriction"}, format="json")
    # then
    assert r.status_code == 422
    assert r.json()["code"] == "protected_party"
    assert not Sanction.objects.exists()


def test_every_failing_guard_is_reported_at_once(enforced_case, people):
    # given: a protected debtor and a listing with no ground
    case = enforced_case()
    party = debtor(case)
    Party.objects.filter(pk=party.pk).update(protected=True)
    party.refresh_from_db()
    # when / then
    with pytest.raises(GuardFailed) as exc:
        _propose(case, party, people.judge, ground="")
    assert [v.code for v in exc.value.violations] == ["protected_party", "dishonest_without_ground"]


def test_party_becoming_protected_blocks_publication_and_its_sanction_may_be_suspended(enforced_case, people):
    # given: a decided, served restriction; then the debtor becomes an epidemic-control entity
    case = enforced_case()
    party = debtor(case)
    s = _propose(case, party, people.judge, kind="consumption_restriction", ground="")
    services.sanction_decide(sanction=s, actor=people.judge, occurred_at=at(2026, 8, 4), served_at=at(2026, 8, 4, 10))
    Party.objects.filter(pk=party.pk).update(protected=True)
    # when: publishing
    with pytest.raises(GuardFailed) as exc:
        services.sanction_publish(sanction=s, actor=people.judge, occurred_at=at(2026, 8, 5))
    # then: refused; the judge suspends it by lifting with reason "protected" [000 §8] 可暂时解除
    assert exc.value.code == "protected_party"
    s.refresh_from_db()
    assert s.status == "decided"
    services.sanction_lift(sanction=s, actor=people.judge, reason="protected", occurred_at=at(2026, 8, 6))
    s.refresh_from_db()
    assert (s.status, s.lift_reason) == ("lifted", "protected")


def test_lifting_for_protection_needs_a_protected_party(enforced_case, people):
    case = enforced_case()
    s = _propose(case, debtor(case), people.judge, kind="exit_ban", ground="")
    services.sanction_decide(sanction=s, actor=people.judge, occurred_at=at(2026, 8, 4))
    with pytest.raises(InvalidInput) as exc:
        services.sanction_lift(sanction=s, actor=people.judge, reason="protected")
    assert "reason" in exc.value.errors
    s.refresh_from_db()
    assert s.status == "decided"


def test_listing_also_restricts_consumption_but_a_restriction_never_lists(enforced_case, people):
    # given
    case = enforced_case()
    party = debtor(case)
    # when: a restriction alone
    _propose(case, party, people.judge, kind="consumption_restriction", ground="")
    # then: no listing
    assert list(Sanction.objects.values_list("kind", flat=True)) == ["consumption_restriction"]
    # when: a listing while the restriction is open
    _propose(case, party, people.judge, kind="dishonest_list", ground="settlement_breach")
    # then: no second restriction
    assert sorted(Sanction.objects.values_list("kind", flat=True)) == ["consumption_restriction", "dishonest_list"]


def test_only_the_case_judge_decides(enforced_case, people, api):
    case = enforced_case()
    s = _propose(case, debtor(case), people.officer, kind="consumption_restriction", ground="")
    r = api(people.judge2).post(f"/api/v1/sanctions/{s.pk}/transitions/decide/", {}, format="json")
    assert r.status_code == 422
    assert r.json()["code"] == "not_case_judge"
    s.refresh_from_db()
    assert s.status == "proposed"


@pytest.mark.parametrize("months", [0, 4, "x"])
def test_grace_period_is_one_to_three_months(enforced_case, people, api, months):
    case = enforced_case()
    s = _propose(case, debtor(case), people.judge, kind="consumption_restriction", ground="")
    services.sanction_decide(sanction=s, actor=people.judge, occurred_at=at(2026, 8, 4))
    r = api(people.judge).post(f"/api/v1/sanctions/{s.pk}/transitions/grant_grace/", {"months": months}, format="json")
    assert r.status_code == 400
    assert "months" in r.json()["errors"]
    s.refresh_from_db()
    assert (s.status, s.grace_until) == ("decided", None)


def test_publishing_twice_is_a_conflict(enforced_case, people, api):
    case = enforced_case()
    s = _propose(case, debtor(case), people.judge, kind="consumption_restriction", ground="")
    services.sanction_decide(sanction=s, actor=people.judge, occurred_at=at(2026, 8, 4))
    client = api(people.judge)
    assert client.post(f"/api/v1/sanctions/{s.pk}/transitions/publish/", {}, format="json").status_code == 200
    r = client.post(f"/api/v1/sanctions/{s.pk}/transitions/publish/", {}, format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "transition_not_allowed"
    assert CreditPlatformMessage.objects.filter(sanction=s, action="publish").count() == 1
