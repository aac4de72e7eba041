from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services as case_services
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def rules(courts):
    """The national calendar (re-seeded: a transactional test may have flushed it) and the three rule sets."""
    calendar_seed_national()
    rulesets_seed()
    return courts


@pytest.fixture
def enforced_case(rules, people, pinned_clock):
    """A case filed on 2026-06-01 and accepted by 陈法官 on 2026-06-02 (now is pinned to 2026-11-25)."""

    def build(**overrides):
        case = file_case(people.clerk, filed_at=at(2026, 6, 1), **overrides)
        case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 6, 1, 10))
        case = case_services.case_assign(case=case, actor=people.bureau, judge=people.judge,
                                         occurred_at=at(2026, 6, 1, 11))
        return case_services.case_accept(case=case, actor=people.judge, occurred_at=at(2026, 6, 2))

    return build


def debtor(case):
    return case.parties.get(role="respondent")
