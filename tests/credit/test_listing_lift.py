"""Lifting a dishonest listing runs on the same 3-working-day clock as a restriction, immediately on
an urgent request after full performance (SPEC §6.4 "Lifting", [004 §23])."""

import pytest
from django.utils import timezone

from credit import services
from deadlines.models import Deadline, DeadlineStatus

from .conftest import at, debtor

pytestmark = pytest.mark.django_db


def _listing(case, actor):
    s = services.sanction_propose(case=case, party=debtor(case), kind="dishonest_list", ground="able_but_refuses",
                                  actor=actor, occurred_at=at(2026, 8, 3))
    services.sanction_decide(sanction=s, actor=actor, occurred_at=at(2026, 8, 4), served_at=at(2026, 8, 4, 10))
    return services.sanction_publish(sanction=s, actor=actor, occurred_at=at(2026, 8, 6))


def _clock(s):
    return Deadline.objects.get(node="RESTRICTION_LIFT", subject_type="sanction", subject_id=s.pk)


def test_lifting_a_listing_on_a_guarantee_runs_three_working_days_like_a_restriction(enforced_case, people):
    # given a published listing, and a valid guarantee on Friday 2026-09-18 (Sunday 09-20 is a make-up day)
    listing = _listing(enforced_case(), people.judge)
    services.sanction_lift_ground(sanction=listing, actor=people.judge, reason="guarantee",
                                  occurred_at=at(2026, 9, 18))
    # then the same clock as a restriction: 09-20, 09-21, 09-22 → due 2026-09-22 [004 §23]
    clock = _clock(listing)
    assert clock.status == DeadlineStatus.RUNNING and clock.due_at.date().isoformat() == "2026-09-22"
    # when lifted on 09-21, it is met on time
    services.sanction_lift(sanction=listing, actor=people.judge, reason="guarantee", occurred_at=at(2026, 9, 21))
    clock.refresh_from_db()
    assert (clock.status, clock.completed_late) == ("met", False)


def test_lifting_a_listing_is_immediate_on_an_urgent_request_after_full_performance(enforced_case, people):
    listing = _listing(enforced_case(), people.judge)
    services.sanction_lift_ground(sanction=listing, actor=people.judge, reason="performed", urgent=True,
                                  occurred_at=at(2026, 9, 30, 16))
    due = timezone.localtime(_clock(listing).due_at)
    assert (due.date().isoformat(), due.hour, due.minute) == ("2026-09-30", 23, 59)


def test_shielding_a_listing_meets_its_lifting_clock(enforced_case, people):
    listing = _listing(enforced_case(), people.judge)
    services.sanction_lift_ground(sanction=listing, actor=people.judge, reason="consent", occurred_at=at(2026, 9, 18))
    services.sanction_shield(sanction=listing, actor=people.judge, occurred_at=at(2026, 9, 21))
    assert _clock(listing).status == DeadlineStatus.MET
