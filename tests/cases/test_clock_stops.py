"""Service by public notice (公告送达), requests for instructions (请示) and inter-court dispute
coordination (执行争议协调) stop CASE_LIMIT [SPC2006 §13] (SPEC §4), each a recorded stop with reason,
the bureau head's approval (like a suspension, never the judge's own — SPEC §12) and start and end;
on its end CASE_LIMIT moves by the stopped time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import services
from cases.clockstops import services as stops
from cases.models import CaseLimitStop, CaseStatus
from deadlines.models import Deadline, DeadlineStatus
from enforcement.errors import Conflict, GuardFailed
from enforcement.models import AuditEvent, Role
from tests.factories import UserFactory, file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def rules(courts):
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed

    calendar_seed_national()
    rulesets_seed()


@pytest.fixture
def case(rules, people):
    """Filed 2026-02-02: CASE_LIMIT 6 months → 2026-08-02, a Sunday → 2026-08-03 [SPC2006 §1]."""
    c = file_case(people.clerk, filed_at=at(2026, 2, 2, 9))
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=at(2026, 2, 3, 9))
    c = services.case_assign(case=c, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 2, 3, 10))
    return services.case_accept(case=c, actor=people.judge, occurred_at=at(2026, 2, 4, 9))


def limit(case) -> Deadline:
    return Deadline.objects.get(node="CASE_LIMIT", case=case, subject_type="case")


MARCH_2 = at(2026, 3, 2, 9)


def start(case, people, kind="public_notice", when=MARCH_2, approver=None):
    return stops.case_limit_stop_start(case=case, actor=people.judge, kind=kind,
                                       reason="被执行人下落不明，公告送达执行通知书",
                                       approved_by=approver or people.head, occurred_at=when)


@pytest.mark.parametrize("kind", ["public_notice", "instruction_request", "dispute_coordination"])
def test_each_special_stop_pauses_case_limit_only_and_its_end_shifts_it_by_the_stopped_time(case, people, kind):
    assert limit(case).due_at == at(2026, 8, 3, 23, 59, 59)
    notice = Deadline.objects.get(node="NOTICE_SEND", case=case)
    # when the stop runs 03-02 → 04-01 (30 days)
    stop = start(case, people, kind=kind)
    # then CASE_LIMIT alone is paused; the case's other clocks run on
    assert limit(case).status == DeadlineStatus.PAUSED and limit(case).holds == [stop.hold]
    notice.refresh_from_db()
    assert notice.status != DeadlineStatus.PAUSED
    stops.case_limit_stop_end(stop=stop, actor=people.judge, reason="公告期满", occurred_at=at(2026, 4, 1, 9))
    # then the nominal last day 08-02 moves by 30 days: 09-01, a Tuesday
    d = limit(case)
    assert d.status == DeadlineStatus.RUNNING and d.due_at == at(2026, 9, 1, 23, 59, 59)
    assert d.shifts[-1]["hold"] == stop.hold
    stop.refresh_from_db()
    assert (stop.started_at, stop.ended_at, stop.approved_by, stop.started_by) == (
        at(2026, 3, 2, 9), at(2026, 4, 1, 9), people.head, people.judge)


def test_a_special_stop_needs_the_bureau_heads_approval(case, people, api):
    before = (CaseLimitStop.objects.count(), AuditEvent.objects.count())
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/clock-stops/",
                               {"kind": "instruction_request", "reason": "就执行异议请示河南高院"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "approval_required"
    assert (CaseLimitStop.objects.count(), AuditEvent.objects.count()) == before
    assert limit(case).status == DeadlineStatus.RUNNING


def test_a_judge_who_is_bureau_head_cannot_approve_his_own_stop(rules, people, courts):
    dual = UserFactory(username="ly_dual", name="马局长", court=courts.luoyang,
                       roles=[Role.POST_JUDGE, Role.BUREAU_HEAD])
    c = file_case(people.clerk, filed_at=at(2026, 2, 2, 9))
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=at(2026, 2, 3, 9))
    c = services.case_assign(case=c, actor=people.bureau, judge=dual, occurred_at=at(2026, 2, 3, 10))
    c = services.case_accept(case=c, actor=dual, occurred_at=at(2026, 2, 4, 9))
    with pytest.raises(GuardFailed) as exc:
        stops.case_limit_stop_start(case=c, actor=dual, kind="public_notice", reason="公告送达", approved_by=dual)
    assert exc.value.code == "self_approval" and not CaseLimitStop.objects.exists()


def test_only_the_case_judge_records_a_stop(case, people):
    with pytest.raises(GuardFailed) as exc:
        stops.case_limit_stop_start(case=case, actor=people.judge2, kind="public_notice", reason="公告送达",
                                    approved_by=people.head)
    assert exc.value.code == "not_case_judge"


def test_a_stop_entered_late_does_not_pause_a_case_limit_already_due(case, people):
    # given CASE_LIMIT was due 2026-08-03; a public notice said to have started 2026-09-01
    start(case, people, when=at(2026, 9, 1, 9))
    # then the overdue limit keeps its original due and is not paused (SPEC §4)
    d = limit(case)
    assert d.status != DeadlineStatus.PAUSED and d.due_at == at(2026, 8, 3, 23, 59, 59)


def test_overlapping_stop_and_suspension_move_case_limit_by_their_union_once(case, people):
    # public notice 03-02 → 04-01, suspension 03-20 → 04-11: stopped 03-02 → 04-11 = 40 days
    stop = start(case, people)
    services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院", approved_by=people.head,
                          occurred_at=at(2026, 3, 20, 9))
    stops.case_limit_stop_end(stop=stop, actor=people.judge, occurred_at=at(2026, 4, 1, 9))
    assert limit(case).status == DeadlineStatus.PAUSED and limit(case).holds == ["suspension"]
    services.case_resume(case=case, actor=people.judge, occurred_at=at(2026, 4, 11, 9))
    d = limit(case)
    # 08-02 + 40 days = 09-11, a Friday
    assert d.status == DeadlineStatus.RUNNING and d.due_at == at(2026, 9, 11, 23, 59, 59)


def test_one_open_stop_of_a_kind_at_a_time(case, people):
    start(case, people)
    with pytest.raises(Conflict) as exc:
        start(case, people, when=at(2026, 3, 3, 9))
    assert exc.value.code == "limit_stop_open"
    start(case, people, kind="instruction_request", when=at(2026, 3, 3, 9))
    assert CaseLimitStop.objects.filter(ended_at__isnull=True).count() == 2


def test_closing_a_case_ends_its_open_stops(case, people, core_close_guards):
    stop = start(case, people)
    services.case_close(case=case, actor=people.judge, closure="withdrawn", occurred_at=at(2026, 3, 10, 9))
    stop.refresh_from_db()
    assert stop.ended_at == at(2026, 3, 10, 9)
    assert limit(case).status == DeadlineStatus.MET


def test_the_api_records_lists_and_ends_a_stop_and_other_courts_see_nothing(case, people, api):
    judge = api(people.judge)
    r = judge.post(f"/api/v1/cases/{case.pk}/clock-stops/", {
        "kind": "dispute_coordination", "reason": "与西工区法院就查封顺位发生争议，报请协调",
        "approved_by": people.head.pk,
        "occurred_at": at(2026, 3, 2, 9).isoformat()}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["kind"], body["approved_by"], body["ended_at"]) == ("dispute_coordination", people.head.pk, None)
    assert [s["id"] for s in judge.get(f"/api/v1/cases/{case.pk}/clock-stops/").json()] == [body["id"]]
    assert judge.get(f"/api/v1/clock-stops/{body['id']}/transitions/").json() == ["end"]
    r = judge.post(f"/api/v1/clock-stops/{body['id']}/transitions/end/",
                   {"reason": "上级法院已协调", "occurred_at": at(2026, 3, 12, 9).isoformat()}, format="json")
    assert r.status_code == 200 and r.json()["ended_at"] is not None
    r = judge.post(f"/api/v1/clock-stops/{body['id']}/transitions/end/", {}, format="json")
    assert r.status_code == 409
    for outsider in (people.hz_judge, people.xg_judge):
        assert api(outsider).get(f"/api/v1/clock-stops/{body['id']}/").status_code == 404
        assert api(outsider).get(f"/api/v1/cases/{case.pk}/clock-stops/").status_code == 404


def test_an_invalid_stop_is_400_with_the_field(case, people, api):
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/clock-stops/",
                               {"kind": "holiday", "reason": "", "approved_by": people.head.pk}, format="json")
    assert r.status_code == 400 and {"kind", "reason"} <= set(r.json()["errors"])


def test_the_case_page_records_a_stop_with_an_approver_and_shows_a_refusal_on_the_form(case, people, client):
    client.force_login(people.judge)
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    section = html[html.index('id="clock-stops"'):]
    assert 'name="clockstop-approved_by"' in section and f'value="{people.head.pk}"' in section
    url = reverse("case-clock-stop", args=[case.pk])
    # without an approver: refused, on the form, nothing recorded
    r = client.post(url, {"clockstop-kind": "public_notice", "clockstop-reason": "公告送达执行通知书"})
    assert r.status_code == 422 and "须经本院执行局长批准" in r.content.decode()
    assert not CaseLimitStop.objects.exists()
    # with one: recorded and listed, with an end form
    r = client.post(url, {"clockstop-kind": "public_notice", "clockstop-reason": "公告送达执行通知书",
                          "clockstop-approved_by": str(people.head.pk)})
    assert r.status_code == 302
    stop = CaseLimitStop.objects.get()
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "公告送达" in html and "扣除中" in html and "审批人 吴局长" in html
    r = client.post(reverse("object-transition", args=["clock-stops", stop.pk, "end"]),
                    {f"clock-stops-{stop.pk}-end-reason": "公告期满"})
    assert r.status_code == 302
    stop.refresh_from_db()
    assert stop.ended_at is not None and stop.end_note == "公告期满"
    assert case.status == CaseStatus.IN_PROGRESS
