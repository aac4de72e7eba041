"""A small history with known node times, on the 2026 calendar (Mid-Autumn 9-25, National Day 10-1…10-7,
make-up working day Saturday 10-10), for the rule what-if (SPEC §11b).

QUERY_START runs 5 working days from the case's receipt in the bureau (national rule, [004 §13]).
The draft under test cuts it to 3 working days. "Now" is pinned to 2026-10-20 10:00.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services as case_services
from cases.property import services as ps
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from enforcement.models import Role
from tests.factories import UserFactory, file_case

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 20, 10, 0, tzinfo=SH)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SH)


@pytest.fixture
def pinned_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def history(people, courts, pinned_now):
    return build_history(people, courts)


@pytest.fixture
def history_past(people, courts):
    """The same history, built with the clock at 2026-10-20 and then left: for the browser, whose cookies
    follow the real clock."""
    with time_machine.travel(NOW, tick=False):
        return build_history(people, courts)


def build_history(people, courts):
    calendar_seed_national()
    rulesets_seed()
    xg_bureau = UserFactory(username="xg_bureau", name="褚内勤", court=courts.xigong, roles=[Role.BUREAU_CLERK])
    hz_clerk = UserFactory(username="hz_clerk", name="卫立案", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    hz_bureau = UserFactory(username="hz_bureau", name="杨内勤", court=courts.hangzhou, roles=[Role.BUREAU_CLERK])

    def case(clerk, bureau, judge, *, filed, query=None):
        c = file_case(clerk, filed_at=filed)
        c = case_services.case_receive(case=c, actor=bureau, occurred_at=filed)
        c = case_services.case_assign(case=c, actor=bureau, judge=judge, occurred_at=filed)
        c = case_services.case_accept(case=c, actor=judge, occurred_at=filed)
        if query is not None:
            ps.query_initiate(case=c, actor=judge, channels=["national"], occurred_at=query)
        return c

    p = people
    return SimpleNamespace(
        # 陈法官 (judge): on time under both; 4th working day (late only under the draft);
        # received before National Day, queried on 10-09 (live due 10-10, the make-up Saturday; draft due 10-08).
        a=case(p.clerk, p.bureau, p.judge, filed=at(9, 7), query=at(9, 10)),
        b=case(p.clerk, p.bureau, p.judge, filed=at(9, 7), query=at(9, 11)),
        e=case(p.clerk, p.bureau, p.judge, filed=at(9, 28), query=at(10, 9)),
        e_ok=case(p.clerk, p.bureau, p.judge, filed=at(9, 28), query=at(10, 8)),
        # 刘法官 (judge2): 5th working day (late only under the draft); late under both; still open (no query
        # yet: draft due 10-16 has passed, live due 10-20 24:00 has not).
        c=case(p.clerk, p.bureau, p.judge2, filed=at(9, 7), query=at(9, 14)),
        d=case(p.clerk, p.bureau, p.judge2, filed=at(9, 7), query=at(9, 16)),
        f=case(p.clerk, p.bureau, p.judge2, filed=at(10, 13)),
        # 郑法官 in 西工区 (in 洛阳中院's subtree): 4th working day.
        xg=case(p.xg_clerk, xg_bureau, p.xg_judge, filed=at(9, 8), query=at(9, 14)),
        # Outside the replay: filed before the period; another court's subtree.
        august=case(p.clerk, p.bureau, p.judge, filed=at(8, 24), query=at(8, 28)),
        hz=case(hz_clerk, hz_bureau, p.hz_judge, filed=at(9, 7), query=at(9, 11)),
    )
