"""Deadline instances wired to the case lifecycle (SPEC §4, §6.1; issue: the legal clock)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services as case_services
from deadlines.models import Deadline, DeadlineStatus
from enforcement.models import AuditEvent
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


def deadline(case, node):
    return Deadline.objects.get(case=case, node=node)


def walk(case, people, *, received, accepted=None):
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=received)
    case = case_services.case_assign(case=case, actor=people.bureau, judge=people.judge, occurred_at=received)
    if accepted:
        case = case_services.case_accept(case=case, actor=people.judge, occurred_at=accepted)
    return case


@pytest.mark.smoke
def test_query_start_received_2026_09_29_due_2026_10_12_bound_by_national_rule(rules, people):
    # given a case received by the bureau on 2026-09-29 (National Day holiday follows)
    case = file_case(people.clerk, filed_at=at(2026, 9, 28, 9))
    # when
    walk(case, people, received=at(2026, 9, 29, 10))
    # then [004 §13]: 5 working days; Oct 1–7 are holidays and Sat Oct 10 a make-up working day
    d = deadline(case, "QUERY_START")
    assert d.due_at == at(2026, 10, 12, 23, 59, 59)
    assert d.bound_rule.rule_set.code == "national"
    assert d.bound_rule.source == "[004 §13]"
    assert d.status == DeadlineStatus.RUNNING and not d.provisional


def test_luoyang_2021_query_start_binds_to_luoyang_rule_after_acceptance(rules, people):
    # given a Luoyang intermediate court case in 2021 (Luoyang set in force 2021-03-20 … 2021-12-31)
    case = file_case(people.clerk, filed_at=at(2021, 6, 1, 9))
    # when received on Tue 2021-06-01 and accepted the next day
    walk(case, people, received=at(2021, 6, 1, 10), accepted=at(2021, 6, 2, 9))
    # then the national 5 working days (→ 06-08) lose to Luoyang's 3 days after acceptance [001]:
    # 06-05 is a Saturday, so the period ends on Monday 06-07.
    d = deadline(case, "QUERY_START")
    assert d.bound_rule.rule_set.code == "luoyang-2021"
    assert d.due_at == at(2021, 6, 7, 23, 59, 59)
    assert len(d.candidates) == 2


def test_luoyang_rules_do_not_apply_outside_their_effective_dates(rules, people):
    case = file_case(people.clerk, filed_at=at(2026, 6, 1, 9))
    walk(case, people, received=at(2026, 6, 1, 10), accepted=at(2026, 6, 2, 9))
    assert deadline(case, "QUERY_START").bound_rule.rule_set.code == "national"
    assert deadline(case, "CASE_ACCEPT").bound_rule.rule_set.code == "national"


def test_luoyang_rules_do_not_apply_to_hangzhou(rules, people):
    from enforcement.models import Role
    from tests.factories import UserFactory

    clerk = UserFactory(username="hz_clerk", court=rules.hangzhou, roles=[Role.FILING_CLERK])
    case = file_case(clerk, filed_at=at(2021, 6, 1, 9))
    assert deadline(case, "CASE_ACCEPT").bound_rule.rule_set.code == "national"


@pytest.mark.smoke
def test_filing_starts_case_accept_and_case_limit_six_months(rules, people):
    case = file_case(people.clerk, filed_at=at(2026, 3, 2, 9))
    assert deadline(case, "CASE_ACCEPT").due_at == at(2026, 3, 9, 23, 59, 59)  # [SPC2006 §2] 7 days
    limit = deadline(case, "CASE_LIMIT")
    assert limit.due_at == at(2026, 9, 2, 23, 59, 59)  # [SPC2006 §1] 6 months
    assert not Deadline.objects.filter(case=case, node="NOTICE_SEND").exists()  # national: from acceptance


def test_case_limit_is_three_months_when_a_debtor_is_a_government_organ(rules, people):
    from cases.services import PartyData
    from tests.factories import ORG_USCC

    parties = [
        PartyData(role="applicant", name="洛阳市宏达建材有限公司", kind="organization", id_number=ORG_USCC),
        PartyData(role="respondent", name="某县人民政府", kind="organization", government_organ=True),
    ]
    case = file_case(people.clerk, filed_at=at(2026, 3, 2, 9), parties=parties)
    limit = deadline(case, "CASE_LIMIT")
    # [002]: government-organ debtor → 3 months; 2026-06-02 is a Tuesday
    assert limit.due_at == at(2026, 6, 2, 23, 59, 59)
    assert limit.bound_rule.source == "[002]"
    assert len(limit.candidates) == 2


def test_accept_meets_case_accept_and_starts_notice_send(rules, people):
    case = file_case(people.clerk, filed_at=at(2026, 3, 2, 9))
    walk(case, people, received=at(2026, 3, 3, 9), accepted=at(2026, 3, 4, 9))
    accept = deadline(case, "CASE_ACCEPT")
    assert accept.status == DeadlineStatus.MET and not accept.completed_late
    notice = deadline(case, "NOTICE_SEND")
    assert notice.due_at == at(2026, 3, 7 + 2, 23, 59, 59)  # 3 days → Sat 03-07 rolls to Mon 03-09
    assert notice.status == DeadlineStatus.RUNNING


def test_a_node_done_after_its_due_is_recorded_as_met_late(rules, people):
    case = file_case(people.clerk, filed_at=at(2026, 3, 2, 9))
    walk(case, people, received=at(2026, 3, 3, 9), accepted=at(2026, 3, 16, 9))
    accept = deadline(case, "CASE_ACCEPT")
    assert accept.status == DeadlineStatus.MET and accept.completed_late is True


def test_milestones_notice_sent_and_query_initiated_meet_their_deadlines_via_api(rules, people, api):
    case = file_case(people.clerk, filed_at=at(2026, 3, 2, 9))
    walk(case, people, received=at(2026, 3, 3, 9), accepted=at(2026, 3, 4, 9))
    client = api(people.judge)
    for kind, node in (("notice_sent", "NOTICE_SEND"), ("query_initiated", "QUERY_START")):
        r = client.post(f"/api/v1/cases/{case.pk}/milestones/",
                        {"kind": kind, "occurred_at": "2026-03-05T10:00:00+08:00"},
                        format="json")
        assert r.status_code == 201, r.content
        d = deadline(case, node)
        assert d.status == DeadlineStatus.MET
        assert d.completed_at == at(2026, 3, 5, 10)
    assert AuditEvent.objects.filter(case_id=case.pk, action="deadline.meet").count() == 3


def test_suspending_for_10_working_days_moves_working_day_deadlines_by_10_working_days(rules, people):
    # given QUERY_START running (received Mon 2026-11-02 → due Mon 11-09)
    case = file_case(people.clerk, filed_at=at(2026, 11, 2, 8))
    case = walk(case, people, received=at(2026, 11, 2, 9), accepted=at(2026, 11, 2, 10))
    assert deadline(case, "QUERY_START").due_at == at(2026, 11, 9, 23, 59, 59)
    # when suspended Mon 11-02 and resumed Mon 11-16 (working days lost: 11-03…11-16 = 10)
    case = case_services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院", approved_by=people.head,
                                      occurred_at=at(2026, 11, 2, 11))
    assert deadline(case, "QUERY_START").status == DeadlineStatus.PAUSED
    case = case_services.case_resume(case=case, actor=people.judge, occurred_at=at(2026, 11, 16, 9))
    # then the due moves by 10 working days: 11-09 → 11-23
    d = deadline(case, "QUERY_START")
    assert d.status == DeadlineStatus.RUNNING
    assert d.due_at == at(2026, 11, 23, 23, 59, 59)
    assert d.shifts and d.shifts[0]["old_due"].startswith("2026-11-09")


def test_closing_meets_case_limit_and_cancels_the_rest(rules, people):
    case = file_case(people.clerk, filed_at=at(2026, 3, 2, 9))
    case = walk(case, people, received=at(2026, 3, 3, 9), accepted=at(2026, 3, 4, 9))
    case_services.case_close(case=case, actor=people.judge, closure="performed", occurred_at=at(2026, 3, 6, 9))
    assert deadline(case, "CASE_LIMIT").status == DeadlineStatus.MET
    assert deadline(case, "NOTICE_SEND").status == DeadlineStatus.CANCELLED
    assert deadline(case, "QUERY_START").status == DeadlineStatus.CANCELLED


def test_correcting_a_start_event_time_recomputes_the_due_and_audits(rules, people, api):
    case = file_case(people.clerk, filed_at=at(2026, 9, 28, 9))
    walk(case, people, received=at(2026, 9, 30, 10))
    d = deadline(case, "QUERY_START")
    before_due = d.due_at
    r = api(people.head).post(f"/api/v1/deadlines/{d.pk}/correct_start/",
                              {"started_at": "2026-09-29T10:00:00+08:00", "reason": "收案日期录入错误"}, format="json")
    assert r.status_code == 200, r.content
    d.refresh_from_db()
    assert d.due_at == at(2026, 10, 12, 23, 59, 59) and before_due == at(2026, 10, 13, 23, 59, 59)
    assert AuditEvent.objects.filter(action="deadline.correct_start", object_id=str(d.pk)).exists()


def test_explain_names_rule_source_start_event_holidays_and_makeup_days(rules, people, api):
    case = file_case(people.clerk, filed_at=at(2026, 9, 28, 9))
    walk(case, people, received=at(2026, 9, 29, 10))
    d = deadline(case, "QUERY_START")
    r = api(people.judge).get(f"/api/v1/deadlines/{d.pk}/explain/")
    assert r.status_code == 200
    body = r.json()
    assert body["bound_by"] == "national" and body["bound_rule"]["source"] == "[004 §13]"
    assert "2026-10-10" in [m["date"] for m in body["makeup_days"]]
    assert "2026-10-01" in [h["date"] for h in body["skipped_holidays"]]
    assert "执行局收案" in body["explanation"] and "[004 §13]" in body["explanation"]


def test_deadline_lists_are_court_scoped_and_shaped_per_spec(rules, people, api):
    case = file_case(people.clerk, filed_at=at(2026, 9, 28, 9))
    r = api(people.judge).get(f"/api/v1/cases/{case.pk}/deadlines/")
    assert r.status_code == 200
    row = r.json()["results"][0]
    for key in ("id", "rule", "subject_type", "subject_id", "case", "started_at", "due_at", "status",
                "provisional", "completed_at", "bound_by"):
        assert key in row
    assert api(people.hz_judge).get(f"/api/v1/cases/{case.pk}/deadlines/").status_code == 404
    assert api(people.hz_judge).get("/api/v1/deadlines/").json()["count"] == 0
    assert api(people.judge).get("/api/v1/deadlines/?status=bogus").status_code == 400


def test_a_due_date_in_an_unconfirmed_year_is_provisional_and_recomputed_when_the_year_is_loaded(rules, people):
    from datetime import date

    from deadlines.calendar_services import calendar_load_year
    from deadlines.models import Calendar

    # given a case filed now (2026-11-25 or later): CASE_LIMIT (6 months) runs into 2027, not yet loaded
    case = file_case(people.clerk)
    limit = deadline(case, "CASE_LIMIT")
    assert limit.provisional is True
    # when the 2027 schedule is loaded (here: a holiday on the nominal last day)
    nominal = limit.due_at.astimezone(SH).date()
    national = Calendar.objects.get(court__isnull=True)
    calendar_load_year(calendar=national, year=2027, days=[(nominal, "holiday", "测试假日")],
                       source="国办发明电〔2026〕", actor=None)
    # then the deadline is recomputed, no longer provisional, rolled past the holiday, and audited
    limit.refresh_from_db()
    assert limit.provisional is False
    assert limit.due_at.astimezone(SH).date() > nominal
    assert AuditEvent.objects.filter(action="deadline.recompute", object_id=str(limit.pk)).exists()
    assert date(2027, 1, 1) <= nominal
