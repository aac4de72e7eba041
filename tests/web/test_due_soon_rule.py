"""One due-soon rule (issue 17): a node turns yellow when no more than the court's
``due_soon_working_days`` (3 by default) working days remain before its due — on the workbench
row, in its "today" list, on the case page and in the due-soon alert alike; dates keep their year
unless it is this year; overdue and due-soon nodes are counted apart."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases import services
from deadlines import calendar as cal_mod
from deadlines.models import Deadline
from deadlines.services import due_soon_from
from enforcement.templatetags.court_dates import short_day, short_when
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def assigned(rules, people):
    """Filed and received Wed 2026-11-25, assigned to the judge: CASE_ACCEPT (7 days) and
    QUERY_START (5 working days) are both due Wed 12-02 end of day."""
    case = file_case(people.clerk, filed_at=at(2026, 11, 25, 9))
    case = services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 11, 25, 10))
    return services.case_assign(case=case, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 11, 25, 11))


def _workbench(client, people):
    client.force_login(people.judge)
    return client.get(reverse("home")).content.decode()


def _case_light(body: str, number: str) -> str:
    row = next(r for r in re.findall(r'<tr class="deadline-row-(\w+)">(.*?)</tr>', body, re.S) if number in r[1])
    return row[0]


def test_a_node_turns_yellow_when_three_working_days_remain_everywhere_at_once(client, people, assigned):
    d = Deadline.objects.get(case=assigned, node="QUERY_START")
    # the alert's moment: the start of Fri 11-27 (working days left: 11-30, 12-01, 12-02)
    assert due_soon_from(d, cal_mod.calendar_for(d.court_id)) == at(2026, 11, 27, 0, 0)
    with time_machine.travel(at(2026, 11, 26, 20, 0), tick=False):
        body = _workbench(client, people)
        assert _case_light(body, assigned.number) == "green"
        assert 'id="sec-today"' in body and "没有已超期或 3 个工作日内到期的节点" in body
    with time_machine.travel(at(2026, 11, 27, 9, 0), tick=False):
        body = _workbench(client, people)
        assert _case_light(body, assigned.number) == "yellow"
        today = body[body.index('id="sec-today"'):body.index("</section>", body.index('id="sec-today"'))]
        assert "发起网络查控" in today and "light-yellow" in today
        assert "黄：3 个工作日内到期" in body
        page = client.get(reverse("case-detail", args=[assigned.pk])).content.decode()
        assert 'class="deadline-row-yellow"' in page


def test_overdue_and_due_soon_nodes_are_counted_apart(client, people, assigned):
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        body = _workbench(client, people)
    # CASE_ACCEPT and QUERY_START are overdue; none is merely due soon
    assert "已超期节点 2 个" in body and "到期的节点 0 个" in body


def test_a_short_date_keeps_its_year_unless_it_is_this_year():
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        assert short_when(at(2026, 12, 2, 17, 0)) == "12-02 17:00"
        assert short_when(at(2027, 12, 2, 17, 0)) == "2027-12-02 17:00"
        assert short_day(at(2027, 12, 2, 17, 0).date()) == "2027年12月2日"
        assert short_day(at(2026, 12, 2, 17, 0)) == "12月2日"
