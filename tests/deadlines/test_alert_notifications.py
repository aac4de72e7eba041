"""Alerts reach people through the outbox, delivered after commit (SPEC §5)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services as case_services
from deadlines.models import CalendarYear, Deadline
from deadlines.scan import scan_deadlines
from deadlines.selectors import unconfirmed_next_year
from deadlines.tasks import scan_deadlines_task
from enforcement.models import Notification
from enforcement.notifications import deliver
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def breached(rules, people):
    case = file_case(people.clerk, filed_at=datetime(2026, 9, 28, 9, tzinfo=SH))
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=datetime(2026, 9, 29, 10, tzinfo=SH))
    case_services.case_assign(case=case, actor=people.bureau, judge=people.judge)
    Deadline.objects.filter(case=case).exclude(node="QUERY_START").update(next_alert_at=None)
    return case


def test_alert_notifications_are_delivered_after_commit_and_listed_for_the_user(breached, people, api,
                                                                                 django_capture_on_commit_callbacks,
                                                                                 settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from enforcement.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            scan_deadlines(now=datetime(2026, 10, 13, 9, tzinfo=SH))
    finally:
        app.conf.task_always_eager = False
    assert callbacks, "delivery is queued on commit, not inside the transaction"
    note = Notification.objects.get(recipient=people.judge, kind="alert.breached")
    assert note.status == Notification.Status.SENT and "发起网络查控" in note.title
    r = api(people.judge).get("/api/v1/notifications/?unread=1")
    assert [n["id"] for n in r.json()["results"]] == [note.pk]
    assert api(people.judge).post(f"/api/v1/notifications/{note.pk}/read/").json()["read_at"]
    assert api(people.judge).get("/api/v1/notifications/?unread=1").json()["count"] == 0
    # another user cannot read it
    assert api(people.judge2).post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404


def test_delivery_is_idempotent_and_a_failing_adapter_keeps_the_message_queued(breached, people, monkeypatch, settings):
    scan_deadlines(now=datetime(2026, 10, 13, 9, tzinfo=SH))
    ids = list(Notification.objects.values_list("pk", flat=True))
    from enforcement import notifications

    monkeypatch.setitem(notifications.ADAPTERS, "console", type("Broken", (), {
        "channel": "console", "send": lambda self, n: (_ for _ in ()).throw(RuntimeError("gateway down"))})())
    assert deliver(ids) == 0
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.QUEUED}
    monkeypatch.undo()
    assert deliver(ids) == len(ids)
    assert deliver(ids) == 0  # already sent: nothing sent twice


def test_the_beat_task_runs_the_same_scan(breached):
    summary = scan_deadlines_task()
    assert "已超期 1" in summary  # QUERY_START of 2026-10-12 is breached as of now


def test_admins_are_warned_from_1_november_when_next_year_is_unconfirmed(rules):
    CalendarYear.objects.filter(year=2027).delete()
    assert unconfirmed_next_year(date(2026, 10, 31)) is None
    assert unconfirmed_next_year(date(2026, 11, 1)) == 2027
    assert unconfirmed_next_year(date(2025, 11, 1)) is None  # 2026 is loaded
