from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def rules(courts):
    calendar_seed_national()
    rulesets_seed()
    return courts


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The failure counts live in the shared cache (Redis under test): each test starts from none."""
    cache.clear()
    yield
    cache.clear()
