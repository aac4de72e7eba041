from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from enforcement.models import Role
from tests.factories import UserFactory, file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args).replace(tzinfo=SH)


def end_of(y, m, d) -> datetime:
    return at(y, m, d, 23, 59, 59)


@pytest.fixture
def now():
    """Pinned to 2026-06-01 10:00 (ticking): every act below is entered with its 2026 event time."""
    with time_machine.travel(at(2026, 6, 1, 10), tick=True) as t:
        yield t


@pytest.fixture
def rules(courts):
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed

    calendar_seed_national()
    rulesets_seed()


@pytest.fixture
def cast(people, courts):
    """The demo cast plus the coordination roles the shared fixture lacks (SPEC §13 demo users)."""
    people.xg_bureau = UserFactory(username="xg_bureau", name="褚内勤", court=courts.xigong, roles=[Role.BUREAU_CLERK])
    people.xg_head = UserFactory(username="xg_head", name="卫局长", court=courts.xigong, roles=[Role.BUREAU_HEAD])
    people.hz_bureau = UserFactory(username="hz_bureau", name="楼内勤", court=courts.hangzhou,
                                   roles=[Role.BUREAU_CLERK])
    people.hz_head = UserFactory(username="hz_head", name="施局长", court=courts.hangzhou, roles=[Role.BUREAU_HEAD])
    people.ha_head = UserFactory(username="ha_head", name="高局长", court=courts.henan, roles=[Role.BUREAU_HEAD])
    return people


def in_progress(clerk, bureau, judge, filed=(2026, 2, 2)):
    c = file_case(clerk, filed_at=at(*filed, 9))
    c = services.case_receive(case=c, actor=bureau, occurred_at=at(*filed, 10))
    c = services.case_assign(case=c, actor=bureau, judge=judge, occurred_at=at(*filed, 11))
    return services.case_accept(case=c, actor=judge, occurred_at=at(*filed, 14))


@pytest.fixture
def ly_case(now, rules, cast):
    """A 洛阳中院 case filed 2026-02-02 (a Monday), with ly_judge."""
    return in_progress(cast.clerk, cast.bureau, cast.judge)


@pytest.fixture
def xg_case(now, rules, cast):
    """A 西工区法院 case filed 2026-02-02, with xg_judge."""
    return in_progress(cast.xg_clerk, cast.xg_bureau, cast.xg_judge)
