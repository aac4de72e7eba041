"""The alert console lists each deadline once, at its highest level, oldest due first, with the
days overdue counted from the due, and offers a prompt only where someone would receive it (issue 17)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines.models import Alert, AlertLevel, Deadline
from deadlines.scan import scan_deadlines
from deadlines.supervision import dashboard
from tests.factories import file_case

TZ = ZoneInfo("Asia/Shanghai")
# Filed 2026-11-25: CASE_ACCEPT (7 days) is due 2026-12-02 end of day.
BREACHED = datetime(2026, 12, 3, 12, 0, tzinfo=TZ)
ESCALATED = datetime(2026, 12, 8, 9, 0, tzinfo=TZ)  # breached and not done for 2 working days


def _rows(body: str) -> list[str]:
    return re.findall(r'<tr class="alert-row alert-row-(\w+)" id="alert-\d+">(.*?)</tr>', body, re.S)


@pytest.fixture
def escalated_case(rules, people, pinned_clock):
    case = file_case(people.clerk)
    scan_deadlines(now=BREACHED)
    scan_deadlines(now=ESCALATED)
    pinned_clock.move_to(ESCALATED)
    return case


def test_a_breached_and_escalated_node_is_one_row_at_its_highest_level(client, people, escalated_case):
    accept = Deadline.objects.get(case=escalated_case, node="CASE_ACCEPT")
    assert set(Alert.objects.filter(deadline=accept).values_list("level", flat=True)) == {
        AlertLevel.BREACHED, AlertLevel.ESCALATED}
    client.force_login(people.supervisor)
    body = client.get("/dashboard/?node=CASE_ACCEPT").content.decode()
    rows = [r for r in _rows(body) if escalated_case.number in r[1]]
    assert [level for level, _ in rows] == [AlertLevel.ESCALATED]
    # the counts agree with the list: one open alert for the node, at the escalated level
    scope = dashboard.dashboard_scope(people.supervisor)
    live = dashboard.live_counts(scope)
    assert live["levels"][AlertLevel.BREACHED] == 0 and live["levels"][AlertLevel.ESCALATED] >= 1


def test_days_overdue_are_counted_from_the_due_not_from_the_alert(client, people, escalated_case):
    client.force_login(people.supervisor)
    body = client.get("/dashboard/?node=CASE_ACCEPT").content.decode()
    row = next(r for _, r in _rows(body) if escalated_case.number in r)
    # due 12-02, today 12-08: 6 days overdue, though the escalated alert was raised today
    assert "超期 6 日" in row


def test_the_oldest_overdue_come_first(client, people, rules, pinned_clock):
    older = file_case(people.clerk)
    pinned_clock.move_to(datetime(2026, 11, 27, 10, 0, tzinfo=TZ))
    newer = file_case(people.clerk)
    scan_deadlines(now=datetime(2026, 12, 7, 12, 0, tzinfo=TZ))
    pinned_clock.move_to(datetime(2026, 12, 7, 12, 0, tzinfo=TZ))
    client.force_login(people.supervisor)
    body = client.get("/dashboard/?node=CASE_ACCEPT").content.decode()
    numbers = [n for _, r in _rows(body) for n in (older.number, newer.number) if n in r]
    assert numbers == [older.number, newer.number]


def test_no_prompt_is_offered_where_no_handler_would_receive_it(client, people, escalated_case):
    # the filed case has no judge yet: CASE_ACCEPT has nobody to prompt
    client.force_login(people.supervisor)
    body = client.get("/dashboard/?node=CASE_ACCEPT").content.decode()
    row = next(r for _, r in _rows(body) if escalated_case.number in r)
    assert "确认预警" in row and "督促承办人" not in row and "未指定" in row


def test_every_watch_list_pages(client, people, rules, pinned_clock):
    for _ in range(dashboard.WATCH_PAGE_SIZE + 1):
        file_case(people.clerk)
    pinned_clock.move_to(datetime(2027, 6, 1, 10, 0, tzinfo=TZ))  # every CASE_LIMIT (6 months) passed
    client.force_login(people.supervisor)
    first = client.get("/dashboard/?tab=limit").content.decode()
    second = client.get("/dashboard/?tab=limit&page=2").content.decode()
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
