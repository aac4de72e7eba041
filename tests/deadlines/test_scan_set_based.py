"""The set-based scan (issue 16): stored level moments, alerts and notifications written by the
database over the due rows, bulk delivery — the same behaviour on PostgreSQL and SQLite."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services as case_services
from deadlines import calendar as cal_mod
from deadlines.models import Alert, AlertLevel, Deadline
from deadlines.scan import scan_deadlines
from deadlines.services import due_soon_from, escalate_at
from enforcement import notifications
from enforcement.models import Notification, OutboxMessage
from enforcement.notifications import deliver
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def received_case(rules, people):
    """QUERY_START running: received 2026-09-29 → due 2026-10-12 23:59:59 (national, [004 §13])."""
    case = file_case(people.clerk, filed_at=at(2026, 9, 28, 9))
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 9, 29, 10))
    return case_services.case_assign(case=case, actor=people.bureau, judge=people.judge,
                                     occurred_at=at(2026, 9, 29, 11))


def query_start(case):
    return Deadline.objects.get(case=case, node="QUERY_START")


def test_a_started_clock_stores_the_moments_each_level_falls_due(received_case):
    d = query_start(received_case)
    cal = cal_mod.calendar_for(d.court_id)
    assert d.due_soon_at == due_soon_from(d, cal) == at(2026, 10, 8, 0, 0)
    # two working days after the due (10-13, 10-14), at the due's time of day
    assert d.escalate_at == escalate_at(d, cal) == at(2026, 10, 14, 23, 59, 59)
    assert d.next_alert_at == d.due_soon_at


def test_a_resumed_clock_moves_its_stored_moments_with_its_due(received_case, people):
    case = case_services.case_accept(case=received_case, actor=people.judge, occurred_at=at(2026, 9, 30, 9))
    case = case_services.case_suspend(case=case, actor=people.judge, reason="中止", approved_by=people.head,
                                      occurred_at=at(2026, 9, 30, 10))
    before = query_start(case)
    assert before.next_alert_at is None
    case_services.case_resume(case=case, actor=people.judge, reason="中止事由消除", occurred_at=at(2026, 10, 20, 10))
    d = query_start(case)
    assert d.due_at > before.due_at
    cal = cal_mod.calendar_for(d.court_id)
    assert (d.due_soon_at, d.escalate_at) == (due_soon_from(d, cal), escalate_at(d, cal))
    assert d.due_soon_at > before.due_soon_at and d.next_alert_at == d.due_soon_at


def test_the_scan_writes_the_alert_and_its_notification_in_the_courts_words(received_case, people):
    Deadline.objects.filter(case=received_case).exclude(node="QUERY_START").update(next_alert_at=None)
    result = scan_deadlines(now=at(2026, 10, 13, 9))
    d = query_start(received_case)
    assert result.alerts == [(d.pk, "QUERY_START", AlertLevel.BREACHED)]
    alert = Alert.objects.get(deadline=d)
    assert (alert.case_id, alert.court_id, alert.handler_id, alert.raised_at) == (
        received_case.pk, received_case.court_id, people.judge.pk, at(2026, 10, 13, 9))
    notes = Notification.objects.filter(kind="alert.breached").order_by("recipient__username")
    assert [n.recipient.username for n in notes] == ["ly_judge", "ly_supervisor"]
    for n in notes:
        assert n.title == f"【已超期】{received_case.number} 发起网络查控"
        assert n.body == "节点“发起网络查控”届满时间 2026-10-12 23:59。"
        assert n.case_id == received_case.pk and n.status == Notification.Status.QUEUED
    # the notifications leave through one outbox row, after commit
    message = OutboxMessage.objects.get(topic=notifications.DELIVER_TOPIC)
    assert sorted(message.payload["ids"]) == sorted(n.pk for n in notes)
    assert d.alert_level == AlertLevel.BREACHED and d.next_alert_at == d.escalate_at


def test_the_scan_builds_no_deadline_or_alert_object(received_case, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the scan must not load rows into model instances")

    monkeypatch.setattr(Deadline, "from_db", classmethod(refuse))
    monkeypatch.setattr(Alert, "from_db", classmethod(refuse))
    result = scan_deadlines(now=at(2026, 10, 13, 9))
    assert sum(result.raised.values()) >= 1


def test_a_row_without_stored_moments_raises_the_breach_and_stops(received_case):
    """A level whose moment is unknown is never raised on a guess (the migration fills them in)."""
    Deadline.objects.filter(case=received_case).exclude(node="QUERY_START").update(next_alert_at=None)
    Deadline.objects.filter(case=received_case).update(escalate_at=None)
    assert scan_deadlines(now=at(2026, 10, 20)).raised == {AlertLevel.BREACHED: 1}
    assert query_start(received_case).next_alert_at is None
    assert scan_deadlines(now=at(2026, 10, 21)).examined == 0


def test_delivery_sends_in_batches_with_constant_queries_and_once(rules, people, monkeypatch, settings):
    settings.NOTIFICATION_ADAPTERS = ["inapp", "console"]
    few = Notification.objects.bulk_create(
        [Notification(recipient=people.judge, kind="alert.breached", title=f"t{i}") for i in range(3)])
    many = Notification.objects.bulk_create(
        [Notification(recipient=people.judge, kind="alert.breached", title=f"u{i}") for i in range(40)])
    with CaptureQueriesContext(connection) as small:
        assert deliver([n.pk for n in few]) == 3
    with CaptureQueriesContext(connection) as big:
        assert deliver([n.pk for n in many]) == 40
    assert len(big.captured_queries) == len(small.captured_queries)
    assert not Notification.objects.filter(status=Notification.Status.QUEUED).exists()
    # a re-delivery of the same message sends nothing again
    assert deliver([n.pk for n in many]) == 0


def test_one_failing_notification_stays_queued_while_its_batch_is_sent(rules, people, monkeypatch, settings):
    settings.NOTIFICATION_ADAPTERS = ["inapp", "console"]
    rows = Notification.objects.bulk_create(
        [Notification(recipient=people.judge, kind="alert.breached", title=t) for t in ("好", "坏", "好")])

    class Flaky:
        channel = "console"

        def send(self, n):
            if n.title == "坏":
                raise RuntimeError("gateway down")

    monkeypatch.setitem(notifications.ADAPTERS, "console", Flaky())
    assert deliver([n.pk for n in rows]) == 2
    assert list(Notification.objects.filter(status=Notification.Status.QUEUED).values_list("title", flat=True)) == [
        "坏"]
    monkeypatch.setitem(notifications.ADAPTERS, "console", notifications.ConsoleAdapter())
    assert deliver([n.pk for n in rows]) == 1


def test_an_alert_keeps_its_deadlines_due_when_the_due_moves(received_case, people):
    """The console orders alerts by their own copy of the due; a shifted due moves it too."""
    case = case_services.case_accept(case=received_case, actor=people.judge, occurred_at=at(2026, 9, 30, 9))
    scan_deadlines(now=at(2026, 10, 8, 9))  # due soon
    alert = Alert.objects.get(deadline=query_start(case), level=AlertLevel.DUE_SOON)
    assert alert.due_at == query_start(case).due_at
    case = case_services.case_suspend(case=case, actor=people.judge, reason="中止", approved_by=people.head,
                                      occurred_at=at(2026, 10, 8, 10))
    case_services.case_resume(case=case, actor=people.judge, reason="中止事由消除", occurred_at=at(2026, 10, 26, 10))
    alert.refresh_from_db()
    assert alert.due_at == query_start(case).due_at > at(2026, 10, 13)
