"""End to end through the REST API (SPEC §6.4, §13 Sanctions): propose → decide (served) → grace →
publish refused in grace → published after grace → case performed → RESTRICTION_LIFT → lifted, the
listing shielded and the platform told."""

import pytest
from django.utils import timezone

from cases import services as case_services
from credit.models import CreditPlatformMessage, Sanction, SanctionKind
from deadlines.models import Deadline

from .conftest import at, debtor


@pytest.mark.smoke
@pytest.mark.django_db
def test_listing_lifecycle_through_the_api_ends_with_lift_due_three_working_days_after_performance(
    enforced_case, people, api
):
    # given: a case in progress and its judge's API client
    case = enforced_case()
    party = debtor(case)
    client = api(people.judge)

    # when: a dishonest listing on ground 4 (property-report breach) is proposed
    r = client.post("/api/v1/sanctions/", {
        "case": case.pk, "party": party.pk, "kind": "dishonest_list", "ground": "property_report_breach",
        "occurred_at": at(2026, 8, 3).isoformat(),
    }, format="json")
    # then: the listing is proposed, with a consumption restriction alongside it [004 §23]
    assert r.status_code == 201, r.json()
    listing_id = r.json()["id"]
    assert r.json()["status"] == "proposed"
    restriction = Sanction.objects.get(case=case, kind=SanctionKind.CONSUMPTION_RESTRICTION)
    assert restriction.companion_of_id == listing_id

    # when: decided and served, then a one-month grace period
    base = f"/api/v1/sanctions/{listing_id}/transitions"
    r = client.post(f"{base}/decide/", {"occurred_at": at(2026, 8, 4).isoformat(),
                                        "served_at": at(2026, 8, 4, 15).isoformat()}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "decided"
    r = client.post(f"{base}/grant_grace/", {"months": 1, "occurred_at": at(2026, 8, 5).isoformat()}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "grace"
    assert r.json()["grace_until"] == "2026-09-05"

    # when: publishing inside the grace period
    r = client.post(f"{base}/publish/", {"occurred_at": at(2026, 9, 1).isoformat()}, format="json")
    # then: refused with publish_in_grace, nothing changed, nothing pushed [003 §8]
    assert r.status_code == 422
    assert r.json()["code"] == "publish_in_grace"
    assert Sanction.objects.get(pk=listing_id).status == "grace"
    assert not CreditPlatformMessage.objects.exists()

    # when: publishing after the grace period has run out
    r = client.post(f"{base}/publish/", {"occurred_at": at(2026, 9, 7).isoformat()}, format="json")
    # then: the listing is active for two years (ground 4) and so is its restriction; both are pushed
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "active"
    assert r.json()["term_until"] == "2028-09-07"
    restriction.refresh_from_db()
    assert restriction.status == "active"
    assert sorted(CreditPlatformMessage.objects.values_list("sanction_id", "action")) == sorted(
        [(listing_id, "publish"), (restriction.pk, "publish")]
    )

    # when: the case is closed as performed on Tuesday 2026-09-29
    case_services.case_close(case=case, actor=people.judge, closure="performed", occurred_at=at(2026, 9, 29, 10))

    # then: the listing is shielded and the platform told; the restriction's lift clock runs
    # 3 working days on the 2026 calendar: 09-30, (10-01…07 National Day), 10-08, 10-09
    listing = Sanction.objects.get(pk=listing_id)
    assert listing.status == "shielded"
    assert CreditPlatformMessage.objects.filter(sanction=listing, action="shield").count() == 1
    clock = Deadline.objects.get(node="RESTRICTION_LIFT", subject_type="sanction", subject_id=restriction.pk)
    assert clock.status == "running"
    due = timezone.localtime(clock.due_at)
    assert (due.date().isoformat(), due.hour, due.minute) == ("2026-10-09", 23, 59)

    # when: the judge lifts the restriction on 2026-10-09
    r = client.post(f"/api/v1/sanctions/{restriction.pk}/transitions/lift/",
                    {"reason": "performed", "occurred_at": at(2026, 10, 9, 15).isoformat()}, format="json")
    # then: lifted in time, the clock met, the platform told
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "lifted"
    assert r.json()["lift_reason"] == "performed"
    clock.refresh_from_db()
    assert (clock.status, clock.completed_late) == ("met", False)
    assert [m["action"] for m in r.json()["platform_messages"]] == ["publish", "lift"]
