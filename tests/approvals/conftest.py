from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Property
from cases.property import services as ps
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")
ALL = ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance", "online_payment", "other"]
HOUSE = "洛阳市西工区中州中路 56 号 3 幢 2 单元 501 室（一证一房，不可分割）"


def at(*args) -> datetime:
    return datetime(*args).replace(tzinfo=SH)


@pytest.fixture
def rules(courts):
    """The national calendar and the three rule sets (re-seeded: a transactional test may have flushed them)."""
    calendar_seed_national()
    rulesets_seed()
    return courts


@pytest.fixture
def case(rules, people):
    """ly_judge's case in progress on the 2026 calendar: claim 150,000.00, filed 2026-02-02."""
    c = file_case(people.clerk, filed_at=at(2026, 2, 2, 9))
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=at(2026, 2, 3, 9))
    c = services.case_assign(case=c, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 2, 3, 10))
    return services.case_accept(case=c, actor=people.judge, occurred_at=at(2026, 2, 4, 9))


@pytest.fixture
def house(case, people) -> Property:
    """An indivisible house worth 900,000 found by the network query: seizing it whole is over_seizure."""
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=ALL, occurred_at=at(2026, 2, 6, 9),
                      properties=[ps.FoundProperty("real_estate", HOUSE, Decimal("900000"))])
    return Property.objects.get(case=case)


def ask(client, case, kind, *, code="", obj=None, reason="确有必要，请予批准", **headers):
    body = {"case": case.pk, "kind": kind, "reason": reason}
    if code:
        body["code"] = code
    if obj is not None:
        body["object"] = obj
    return client.post("/api/v1/approvals/", body, format="json", **headers)


def decide(client, req_id, name, note=""):
    return client.post(f"/api/v1/approvals/{req_id}/transitions/{name}/", {"note": note}, format="json")
