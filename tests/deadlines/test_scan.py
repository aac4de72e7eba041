"""The breach scan (SPEC §5): due soon, breached, escalated; one alert per (deadline, level)."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services as case_services
from deadlines import calendar as cal_mod
from deadlines.models import Alert, AlertLevel, AlertStatus, Deadline, DeadlineStatus, RuleSet
from deadlines.scan import scan_deadlines
from deadlines.services import due_soon_from
from enforcement.models import Notification
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def received_case(rules, people):
    """QUERY_START running: received 2026-09-29 → due 2026-10-12 23:59:59 (national, [004 §13])."""
    case = file_case(people.clerk, filed_at=at(2026, 9, 28, 9))
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 9, 29, 10))
    case = case_services.case_assign(case=case, actor=people.bureau, judge=people.judge,
                                     occurred_at=at(2026, 9, 29, 11))
    return case


def query_start(case):
    return Deadline.objects.get(case=case, node="QUERY_START")


@pytest.mark.smoke
def test_scan_just_past_a_due_time_raises_exactly_one_breached_alert_and_rerun_raises_nothing(received_case, people):
    # given: leave only QUERY_START in play to make the count exact
    Deadline.objects.filter(case=received_case).exclude(node="QUERY_START").update(next_alert_at=None)
    # when the scan runs one second past the due
    result = scan_deadlines(now=at(2026, 10, 13, 0, 0, 0))
    # then exactly one breached alert (the due-soon moment had passed unseen, so none is raised late)
    alerts = Alert.objects.filter(deadline=query_start(received_case))
    assert [(a.level, a.status) for a in alerts] == [(AlertLevel.BREACHED, AlertStatus.OPEN)]
    assert result.raised == {AlertLevel.BREACHED: 1}
    assert query_start(received_case).status == DeadlineStatus.BREACHED
    # and running it again changes nothing
    again = scan_deadlines(now=at(2026, 10, 13, 0, 0, 30))
    assert again.examined == 0 and Alert.objects.count() == 1


def test_due_soon_is_raised_when_three_working_days_remain_before_the_due(received_case):
    Deadline.objects.filter(case=received_case).exclude(node="QUERY_START").update(next_alert_at=None)
    d = query_start(received_case)
    # due Mon 10-12 end of day; the three working days before it are Sat 10-10 (make-up day), Fri 10-9
    # and Thu 10-8: from the start of 10-8 no more than 3 working days remain (10-9, 10-10, 10-12)
    assert scan_deadlines(now=at(2026, 10, 7, 23, 59)).raised == {}
    scan_deadlines(now=at(2026, 10, 8, 0, 0, 1))
    assert list(Alert.objects.filter(deadline=d).values_list("level", flat=True)) == [AlertLevel.DUE_SOON]
    # the handler (the case judge) is told
    assert Notification.objects.filter(recipient=received_case.judge, kind="alert.due_soon").exists()


def test_a_rule_set_may_set_its_own_due_soon_window(received_case):

    rs = RuleSet.objects.get(code="national")
    rs.settings = {**rs.settings, "due_soon_working_days": 1}
    rs.save(update_fields=["settings"])
    d = query_start(received_case)

    assert due_soon_from(d, cal_mod.calendar_for(d.court_id)) == at(2026, 10, 10, 0, 0)


def test_breach_notifies_handler_and_supervisor_escalation_the_bureau_head(received_case, people):
    Deadline.objects.filter(case=received_case).exclude(node="QUERY_START").update(next_alert_at=None)
    scan_deadlines(now=at(2026, 10, 13, 9))
    assert set(Notification.objects.filter(kind="alert.breached").values_list("recipient__username", flat=True)) == {
        "ly_judge", "ly_supervisor"}
    # escalation: breached and not done for 2 working days (10-14 end of day)
    assert scan_deadlines(now=at(2026, 10, 14, 12)).raised == {}
    result = scan_deadlines(now=at(2026, 10, 15, 0, 0, 1))
    assert result.raised == {AlertLevel.ESCALATED: 1}
    assert list(Notification.objects.filter(kind="alert.escalated").values_list("recipient__username", flat=True)) == [
        "ly_head"]
    assert query_start(received_case).next_alert_at is None


def test_meeting_the_node_resolves_its_alerts(received_case, people):
    scan_deadlines(now=at(2026, 10, 13, 9))
    case = case_services.case_accept(case=received_case, actor=people.judge, occurred_at=at(2026, 10, 13, 10))
    case_services.case_record_milestone(case=case, actor=people.judge, kind="query_initiated",
                                        occurred_at=at(2026, 10, 13, 11))
    d = query_start(case)
    assert d.status == DeadlineStatus.MET and d.completed_late
    assert set(Alert.objects.filter(deadline=d).values_list("status", flat=True)) == {AlertStatus.RESOLVED}


def test_scan_reads_only_due_deadlines_with_constant_queries_per_batch(rules, people):
    # given 30 cases whose deadlines are not due, and 4 breached ones
    for _ in range(30):
        file_case(people.clerk, filed_at=at(2026, 11, 20, 9))
    due = [file_case(people.clerk, filed_at=at(2026, 3, 2, 9)) for _ in range(4)]
    now = at(2026, 3, 10, 9)  # CASE_ACCEPT (7 days → 03-09) breached; CASE_LIMIT not due
    # when
    with CaptureQueriesContext(connection) as small:
        result = scan_deadlines(now=now, batch_size=2)
    # then only the 4 breached deadlines were read, in 2 batches + 1 empty probe
    assert result.examined == 4 and result.batches == 2
    assert set(Alert.objects.values_list("deadline__case", flat=True)) == {c.pk for c in due}
    per_batch = len(small.captured_queries)
    # and the same scan over 8 due rows runs the same queries per batch
    more = [file_case(people.clerk, filed_at=at(2026, 3, 2, 9)) for _ in range(4)]
    with CaptureQueriesContext(connection) as big:
        result = scan_deadlines(now=now, batch_size=4)
    assert result.examined == 4 and {a.deadline.case_id for a in Alert.objects.filter(case__in=more)} == {
        c.pk for c in more}
    assert len(big.captured_queries) <= per_batch


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_on_postgresql_raise_each_alert_once(rules, people):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED concurrency is a PostgreSQL property")
    cases = [file_case(people.clerk, filed_at=at(2026, 3, 2, 9)) for _ in range(12)]
    now = at(2026, 3, 10, 9)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            scan_deadlines(now=now, batch_size=3)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Alert.objects.filter(level=AlertLevel.BREACHED).count() == len(cases)
    assert Alert.objects.filter(level=AlertLevel.BREACHED).values("deadline").distinct().count() == len(cases)


def test_scan_deadlines_command_prints_what_it_raised(received_case, capsys):
    Deadline.objects.filter(case=received_case).exclude(node="QUERY_START").update(next_alert_at=None)
    call_command("scan_deadlines", "--now", "2026-10-13T00:00:01+08:00")
    out = capsys.readouterr().out
    assert "已超期\tQUERY_START" in out
    call_command("scan_deadlines", "--now", "2026-10-13T00:00:02+08:00")
    assert "新增预警：无" in capsys.readouterr().out


def test_paused_deadlines_are_not_scanned(received_case, people):
    case = case_services.case_accept(case=received_case, actor=people.judge, occurred_at=at(2026, 9, 30, 9))
    case_services.case_suspend(case=case, actor=people.judge, reason="中止", approved_by=people.head,
                               occurred_at=at(2026, 9, 30, 10))
    assert scan_deadlines(now=at(2026, 10, 20)).examined == 0


def test_alerts_api_lists_and_acknowledges(received_case, people, api):
    Deadline.objects.filter(case=received_case).exclude(node="QUERY_START").update(next_alert_at=None)
    scan_deadlines(now=at(2026, 10, 13, 9))
    r = api(people.supervisor).get("/api/v1/alerts/?level=breached")
    assert r.status_code == 200
    row = next(a for a in r.json()["results"] if a["rule"] == "QUERY_START")
    for key in ("id", "deadline", "rule", "case", "level", "status", "raised_at"):
        assert key in row
    assert api(people.supervisor).get(f"/api/v1/alerts/{row['id']}/transitions/").json() == ["acknowledge"]
    r = api(people.supervisor).post(f"/api/v1/alerts/{row['id']}/transitions/acknowledge/", {"note": "已督促承办法官"},
                                    format="json")
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    # a second acknowledge is a conflict; other courts do not see the alert
    r2 = api(people.supervisor).post(f"/api/v1/alerts/{row['id']}/transitions/acknowledge/", {}, format="json")
    assert r2.status_code == 409
    assert api(people.hz_supervisor).get(f"/api/v1/alerts/{row['id']}/transitions/").status_code == 404
    assert api(people.ha_supervisor).get("/api/v1/alerts/").json()["count"] >= 1
    # an officer of the court cannot acknowledge
    assert api(people.officer).post(f"/api/v1/alerts/{row['id']}/transitions/acknowledge/", {},
                                    format="json").status_code in (403, 409)
