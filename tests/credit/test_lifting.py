"""Lifting clocks, correction requests, listing terms (SPEC §6.4, [004 §23])."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import services as case_services
from credit import services
from credit.delivery import deliver
from credit.models import CreditPlatformMessage, Sanction
from deadlines.models import Deadline
from enforcement.errors import Conflict, InvalidInput
from tests.factories import ORG_USCC, PERSON_ID

from .conftest import at, debtor

pytestmark = pytest.mark.django_db


def _active(case, actor, kind="consumption_restriction", ground="", when=(2026, 8, 6)):
    s = services.sanction_propose(case=case, party=debtor(case), kind=kind, ground=ground, actor=actor,
                                  occurred_at=at(2026, 8, 3))
    services.sanction_decide(sanction=s, actor=actor, occurred_at=at(2026, 8, 4), served_at=at(2026, 8, 4, 10))
    return services.sanction_publish(sanction=s, actor=actor, occurred_at=at(*when))


def _clock(s):
    return Deadline.objects.get(node="RESTRICTION_LIFT", subject_type="sanction", subject_id=s.pk)


def test_urgent_request_after_full_performance_is_due_the_same_day(enforced_case, people, api):
    # given
    case = enforced_case()
    s = _active(case, people.judge)
    # when: full performance with an urgent request, recorded by the officer
    r = api(people.officer).post(f"/api/v1/sanctions/{s.pk}/transitions/lift_ground/",
                                 {"reason": "performed", "urgent": True,
                                  "occurred_at": at(2026, 9, 30, 16).isoformat()}, format="json")
    # then: due at the end of the same day [004 §23] 立即解除
    assert r.status_code == 200, r.json()
    due = timezone.localtime(_clock(s).due_at)
    assert (due.date().isoformat(), due.hour) == ("2026-09-30", 23)


def test_guarantee_starts_three_working_days_and_a_late_lift_is_recorded_late(enforced_case, people):
    # given: a valid guarantee on Friday 2026-09-18 (Sunday 09-20 is a make-up working day)
    case = enforced_case()
    s = _active(case, people.judge)
    services.sanction_lift_ground(sanction=s, actor=people.judge, reason="guarantee", occurred_at=at(2026, 9, 18))
    assert _clock(s).due_at.date().isoformat() == "2026-09-22"
    # when: lifted on 2026-09-24
    services.sanction_lift(sanction=s, actor=people.judge, reason="guarantee", occurred_at=at(2026, 9, 24))
    # then
    clock = _clock(s)
    assert (clock.status, clock.completed_late) == ("met", True)


def test_urgent_lifting_is_only_for_full_performance(enforced_case, people):
    case = enforced_case()
    s = _active(case, people.judge)
    with pytest.raises(InvalidInput) as exc:
        services.sanction_lift_ground(sanction=s, actor=people.judge, reason="consent", urgent=True)
    assert "urgent" in exc.value.errors
    assert not Deadline.objects.filter(node="RESTRICTION_LIFT").exists()


def test_representative_change_lifts_only_an_organisations_restriction(rules, people, pinned_clock, enforced_case):
    # given: a person debtor
    case = enforced_case()
    s = _active(case, people.judge)
    # when / then
    with pytest.raises(InvalidInput):
        services.sanction_lift(sanction=s, actor=people.judge, reason="representative_change")
    # given: an organisation debtor, its restriction naming the legal representative
    org_case = enforced_case(parties=[
        case_services.PartyData(role="applicant", name="张伟", kind="person", id_number=PERSON_ID),
        case_services.PartyData(role="respondent", name="洛阳市宏达建材有限公司", kind="organization",
                                id_number=ORG_USCC, legal_representative="李明"),
    ])
    org = _active(org_case, people.judge)
    assert org.persons == [{"name": "李明", "role": "法定代表人", "id_number": ""}]
    # when: the representative changed and the former one applies
    services.sanction_lift_ground(sanction=org, actor=people.judge, reason="representative_change",
                                  occurred_at=at(2026, 9, 1))
    services.sanction_lift(sanction=org, actor=people.judge, reason="representative_change",
                           occurred_at=at(2026, 9, 2))
    org.refresh_from_db()
    assert (org.status, org.lift_reason) == ("lifted", "representative_change")
    assert _clock(org).status == "met"


def test_correction_request_runs_a_fifteen_day_clock_and_a_correction_lifts_the_listing(enforced_case, people, api):
    # given: a published listing
    case = enforced_case()
    listing = _active(case, people.judge, kind="dishonest_list", ground="able_but_refuses")
    client = api(people.judge)
    # when: the debtor applies for correction on 2026-09-10
    r = client.post(f"/api/v1/sanctions/{listing.pk}/corrections/",
                    {"content": "已于立案前履行部分义务，不应纳入失信名单", "received_at": at(2026, 9, 10).isoformat()},
                    format="json")
    assert r.status_code == 201, r.json()
    correction_id = r.json()["id"]
    # then: CORRECTION_REPLY runs 15 days: 2026-09-25 is Mid-Autumn Festival, so it ends Monday 09-28
    clock = Deadline.objects.get(node="CORRECTION_REPLY", subject_type="sanction_correction", subject_id=correction_id)
    assert timezone.localtime(clock.due_at).date().isoformat() == "2026-09-28"
    # when: the judge corrects it
    r = client.post(f"/api/v1/sanction-corrections/{correction_id}/decide/",
                    {"outcome": "corrected", "note": "经审查，纳入失信名单依据不足，予以纠正",
                     "occurred_at": at(2026, 9, 15).isoformat()}, format="json")
    # then: answered in time, the listing lifted and the platform told
    assert r.status_code == 200, r.json()
    assert r.json()["outcome"] == "corrected"
    clock.refresh_from_db()
    assert (clock.status, clock.completed_late) == ("met", False)
    listing.refresh_from_db()
    assert (listing.status, listing.lift_reason) == ("lifted", "corrected")
    assert list(listing.platform_messages.values_list("action", flat=True)) == ["publish", "lift"]
    # and a second answer is a conflict
    r = client.post(f"/api/v1/sanction-corrections/{correction_id}/decide/",
                    {"outcome": "rejected", "note": "重复"}, format="json")
    assert r.status_code == 409


def test_listing_term_is_two_years_extendable_once_and_expiry_lifts_it_once(enforced_case, people):
    # given: a ground-2 listing published on 2026-08-06
    case = enforced_case()
    listing = _active(case, people.judge, kind="dishonest_list", ground="obstructs_by_fraud_violence")
    assert listing.term_until.isoformat() == "2028-08-06"
    # when: extended by one year
    services.sanction_extend(sanction=listing, actor=people.judge, years=1, reason="暴力抗拒执行，情节严重")
    listing.refresh_from_db()
    assert (listing.term_until.isoformat(), listing.extended_years) == ("2029-08-06", 1)
    with pytest.raises(Conflict):
        services.sanction_extend(sanction=listing, actor=people.judge, years=1, reason="再次延长")
    # when: the daily job runs on the last day, then after it
    assert services.sanctions_expire(now=at(2029, 8, 6, 12)) == []
    assert services.sanctions_expire(now=at(2029, 8, 7, 0, 10)) == [listing.pk]
    # then: lifted as expired, platform told; a second run changes nothing
    listing.refresh_from_db()
    assert (listing.status, listing.lift_reason) == ("lifted", "expired")
    assert services.sanctions_expire(now=at(2029, 8, 8)) == []
    assert CreditPlatformMessage.objects.filter(sanction=listing, action="lift").count() == 1


def test_expire_sanctions_command_prints_what_it_lifted(enforced_case, people, capsys):
    case = enforced_case()
    _active(case, people.judge, kind="dishonest_list", ground="restriction_breach")
    call_command("expire_sanctions", "--now", "2028-08-07T01:00:00+08:00")
    assert "移出失信名单 1 项" in capsys.readouterr().out
    assert Sanction.objects.get(kind="dishonest_list").status == "lifted"


def test_platform_delivery_is_idempotent_and_keeps_failed_messages_queued(enforced_case, people, settings):
    # given: a published restriction, its message queued
    case = enforced_case()
    s = _active(case, people.judge)
    message = CreditPlatformMessage.objects.get(sanction=s)
    assert message.status == "queued"
    assert message.payload["case_number"] == case.number
    assert message.payload["party"]["id_number"] == PERSON_ID
    # when: the platform is down
    settings.CREDIT_PLATFORM_ADAPTER = "tests.credit.test_lifting.FailingPlatform"
    assert deliver([message.pk]) == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    # when: it is back, delivered twice
    settings.CREDIT_PLATFORM_ADAPTER = "credit.adapters.ConsoleCreditPlatform"
    assert deliver([message.pk]) == 1
    assert deliver([message.pk]) == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


def test_publication_delivers_to_the_platform_after_commit(enforced_case, people, django_capture_on_commit_callbacks,
                                                          settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from enforcement.celery import app

    app.conf.task_always_eager = True
    try:
        case = enforced_case()
        with django_capture_on_commit_callbacks(execute=True):
            s = _active(case, people.judge)
    finally:
        app.conf.task_always_eager = False
    assert CreditPlatformMessage.objects.get(sanction=s).status == "sent"


class FailingPlatform:
    def push(self, message):
        raise ConnectionError("征信平台不可用")


def test_old_queued_messages_are_delivered_by_the_daily_sweep(enforced_case, people):
    from credit.delivery import deliver_pending

    case = enforced_case()
    s = _active(case, people.judge)
    CreditPlatformMessage.objects.filter(sanction=s).update(created_at=timezone.now() - timedelta(hours=1))
    assert deliver_pending() == 1
