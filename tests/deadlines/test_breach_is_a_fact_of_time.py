"""SPEC §4 "A breach is a fact of time, and nothing hides it" (issue 12).

The five reproductions of the issue are here (the rule-edit one is in test_rule_versions.py), each
giving the SPEC answer: breached, with the original due kept."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services as case_services
from deadlines.models import Alert, AlertStatus, Deadline, DeadlineStatus
from deadlines.scan import scan_deadlines
from deadlines.supervision.metrics import Period, indicators_direct
from enforcement.models import AuditEvent
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=SH)


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def dec_3rd():
    with time_machine.travel(NOW, tick=True):
        yield


def deadline(case, node):
    return Deadline.objects.get(case=case, node=node)


NOV_2 = at(2026, 11, 2, 9)


def received_case(people, *, received=NOV_2, accepted=None):
    """A case received on Mon 2026-11-02: QUERY_START (5 working days) due Mon 11-09 [004 §13]."""
    case = file_case(people.clerk, filed_at=received.replace(hour=8))
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=received)
    case = case_services.case_assign(case=case, actor=people.bureau, judge=people.judge, occurred_at=received)
    if accepted:
        case = case_services.case_accept(case=case, actor=people.judge, occurred_at=accepted)
    return case


# --- 1. reads derive the breach from time ----------------------------------------------------

def test_a_deadline_past_due_reads_breached_on_the_api_before_any_scan(rules, people, api):
    # Reproduction: a deadline whose due has passed read `running` until the next scan.
    case = received_case(people)
    d = deadline(case, "QUERY_START")
    assert d.status == DeadlineStatus.RUNNING  # stored: no scan has run
    # then every read reports it breached
    rows = api(people.judge).get(f"/api/v1/cases/{case.pk}/deadlines/").json()["results"]
    assert next(r for r in rows if r["rule"] == "QUERY_START")["status"] == "breached"
    listed = api(people.judge).get("/api/v1/deadlines/?status=breached").json()["results"]
    assert d.pk in [r["id"] for r in listed]
    running = api(people.judge).get("/api/v1/deadlines/?status=running").json()["results"]
    assert d.pk not in [r["id"] for r in running]
    assert api(people.judge).get(f"/api/v1/deadlines/{d.pk}/explain/").json()["status"] == "breached"


def test_a_deadline_past_due_reads_breached_on_the_pages_before_any_scan(rules, people, client):
    case = received_case(people)
    d = deadline(case, "QUERY_START")
    client.force_login(people.judge)
    page = client.get(f"/deadlines/{d.pk}/").content.decode()
    assert "已超期" in page and "计时中" not in page
    row = client.get(f"/cases/{case.pk}/").content.decode().split("网络查控")[1][:800]
    assert "已超期" in row


def test_the_deadline_list_runs_a_constant_number_of_queries(rules, people, api, django_assert_max_num_queries):
    for _ in range(2):
        received_case(people)
    client = api(people.judge)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/deadlines/")
    for _ in range(4):
        received_case(people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get("/api/v1/deadlines/")
    assert {row["status"] for row in r.json()["results"]} >= {"breached"}


def test_the_breached_list_counts_marked_and_unscanned_breaches_once_each(rules, people, api):
    # The list's count is summed part by part (marked breached; running past its due): each row
    # that reads breached is counted once, and a clock still in time is not counted.
    scanned = received_case(people)
    scan_deadlines(now=NOW)  # scanned's QUERY_START is now marked breached
    received_case(people)  # … this one's is past due, still marked running
    received_case(people, received=NOW)  # … and this one's is in time
    stored = {d.status for d in Deadline.objects.filter(node="QUERY_START")}
    assert stored == {DeadlineStatus.BREACHED, DeadlineStatus.RUNNING}
    reads_breached = [d.pk for d in Deadline.objects.all() if d.current_status == DeadlineStatus.BREACHED]
    body = api(people.judge).get("/api/v1/deadlines/?status=breached&page_size=1").json()
    assert body["count"] == len(reads_breached) >= 2
    body_all = api(people.judge).get("/api/v1/deadlines/?status=breached&page_size=200").json()
    assert sorted(r["id"] for r in body_all["results"]) == sorted(reads_breached)
    assert deadline(scanned, "QUERY_START").pk in reads_breached
    last = api(people.judge).get("/api/v1/deadlines/?status=breached&page_size=1&page=last").json()
    latest = Deadline.objects.filter(pk__in=reads_breached).order_by("due_at", "id").last()
    assert last["results"][0]["id"] == latest.pk


def test_the_scan_still_raises_the_breach_alert(rules, people):
    case = received_case(people)
    scan_deadlines(now=NOW)
    d = deadline(case, "QUERY_START")
    assert d.status == DeadlineStatus.BREACHED
    assert Alert.objects.filter(deadline=d, level="breached").exists()


# --- 2. stops, closures, releases spare a breach ---------------------------------------------

def test_a_suspension_entered_late_does_not_pause_a_deadline_already_overdue_at_its_occurred_at(rules, people):
    # Reproduction: received 11-02, QUERY_START due 11-09; suspended with occurred_at 11-20 and resumed
    # 12-02 moved QUERY_START to 11-19 and it was no longer breached.
    case = received_case(people, accepted=at(2026, 11, 2, 10))
    limit_due = deadline(case, "CASE_LIMIT").due_at
    case = case_services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院",
                                      approved_by=people.head, occurred_at=at(2026, 11, 20, 9))
    query = deadline(case, "QUERY_START")
    assert query.current_status == DeadlineStatus.BREACHED and query.holds == []
    case_services.case_resume(case=case, actor=people.judge, occurred_at=at(2026, 12, 2, 9))
    query.refresh_from_db()
    # then it stays breached with its original due; the case limit, still running on 11-20, was paused and moved
    assert query.due_at == at(2026, 11, 9, 23, 59, 59) and query.current_status == DeadlineStatus.BREACHED
    assert query.shifts == []
    assert deadline(case, "CASE_LIMIT").due_at > limit_due


def test_a_stop_pauses_a_deadline_that_was_running_at_its_occurred_at_even_if_scanned_since(rules, people):
    # SPEC §4: a stop pauses the deadlines still running at its occurred_at — the act's time, not the scan's.
    case = received_case(people, accepted=at(2026, 11, 2, 10))
    scan_deadlines(now=NOW)
    query = deadline(case, "QUERY_START")
    assert query.status == DeadlineStatus.BREACHED
    case = case_services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院",
                                      approved_by=people.head, occurred_at=at(2026, 11, 5, 9))
    query.refresh_from_db()
    assert query.status == DeadlineStatus.PAUSED
    # and the alert the scan raised stays on record
    assert Alert.objects.filter(deadline=query, level="breached").exists()


def test_closing_a_case_keeps_an_overdue_deadline_breached_with_its_due(rules, people):
    # Reproduction: NOTICE_SEND due 10-19 became `cancelled` at a closure on 11-30.
    case = file_case(people.clerk, filed_at=at(2026, 10, 15, 9))
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 10, 15, 10))
    case = case_services.case_assign(case=case, actor=people.bureau, judge=people.judge,
                                     occurred_at=at(2026, 10, 15, 10))
    case = case_services.case_accept(case=case, actor=people.judge, occurred_at=at(2026, 10, 16, 9))
    notice = deadline(case, "NOTICE_SEND")
    assert notice.due_at == at(2026, 10, 19, 23, 59, 59)
    scan_deadlines(now=at(2026, 11, 1, 9))
    case_services.case_close(case=case, actor=people.judge, closure="performed", occurred_at=at(2026, 11, 30, 9))
    notice.refresh_from_db()
    # then NOTICE_SEND stays breached for ever, its due kept, its clock ended with the case
    assert notice.status == DeadlineStatus.BREACHED and notice.current_status == DeadlineStatus.BREACHED
    assert notice.due_at == at(2026, 10, 19, 23, 59, 59) and notice.completed_at == at(2026, 11, 30, 9)
    # its alerts resolve with a note saying why, and nothing is deleted
    alerts = list(Alert.objects.filter(deadline=notice))
    assert alerts and all(a.status == AlertStatus.RESOLVED and "超期记录保留" in a.note for a in alerts)
    assert AuditEvent.objects.filter(action="deadline.end_breached", object_id=str(notice.pk)).exists()
    # and it still counts: the node is finished, not on time
    nodes = indicators_direct(court_ids=[case.court_id], period=Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert nodes["node_on_time"]["NOTICE_SEND"]["met"] == 1
    assert nodes["node_on_time"]["NOTICE_SEND"]["on_time"] == 0
    # and a later scan raises nothing more for it
    assert notice.next_alert_at is None


def test_closing_a_case_cancels_only_deadlines_not_yet_due_at_its_occurred_at(rules, people):
    case = received_case(people, received=at(2026, 11, 30, 9), accepted=at(2026, 11, 30, 10))
    case_services.case_close(case=case, actor=people.judge, closure="performed", occurred_at=at(2026, 12, 1, 9))
    # QUERY_START (due 12-07) was not yet due on 12-01: cancelled
    assert deadline(case, "QUERY_START").status == DeadlineStatus.CANCELLED
    assert deadline(case, "CASE_LIMIT").status == DeadlineStatus.MET


def test_a_breached_deadline_done_later_is_met_late(rules, people):
    case = received_case(people, accepted=at(2026, 11, 2, 10))
    scan_deadlines(now=NOW)
    case_services.case_record_milestone(case=case, actor=people.judge, kind="query_initiated",
                                        occurred_at=at(2026, 11, 20, 9))
    d = deadline(case, "QUERY_START")
    assert d.status == DeadlineStatus.MET and d.completed_late is True
    assert d.due_at == at(2026, 11, 9, 23, 59, 59)
