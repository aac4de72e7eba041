"""Fixtures of the dashboard tests: the rule sets, and a small hand-made history of cases."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from cases.models import Case, CaseStatus, Property
from deadlines.calendar_services import calendar_seed_national
from deadlines.models import Deadline, DeadlineStatus, Rule
from deadlines.services import rulesets_seed
from funds.models import Disbursement, DisbursementStatus, Receipt, ReceiptStatus

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=TZ)


@pytest.fixture
def rules(courts):
    """The national calendar (re-seeded: a transactional test may have flushed it) and the three rule sets."""
    calendar_seed_national()
    rulesets_seed()
    return courts


class History:
    """Closed historical cases are created directly with the ORM (with their CASE_LIMIT clocks, properties
    and payments as they would stand after the services ran): driving months of past events through the
    services would need every intermediate act and a travelling clock, and only the end state matters to
    the indicators."""

    def __init__(self, courts, judge):
        self.judge = judge
        self.limit_rule = Rule.objects.get(rule_set__code="national", node="CASE_LIMIT", condition={})
        self.accept_rule = Rule.objects.get(rule_set__code="national", node="CASE_ACCEPT")
        self.n = 0

    def case(self, court, *, filed, closed=None, closure="", kind="first", claim="10000.00", limit_due,
             limit_late=False) -> Case:
        self.n += 1
        case = Case.objects.create(
            court=court, number=f"（2026）测执{self.n}号", year=filed.year, seq=self.n, kind=kind, basis="测试判决书",
            claim_amount=Decimal(claim), status=CaseStatus.CLOSED if closed else CaseStatus.IN_PROGRESS,
            closure=closure, judge=self.judge, filed_at=filed, closed_at=closed, last_event_at=closed or filed,
            payee_bank="测试银行", payee_account_no="6222000000000001", payee_holder="申请人",
            account_no=f"T{self.n:06d}",
        )
        if closed:
            status, completed = DeadlineStatus.MET, closed
        else:
            status, completed = DeadlineStatus.RUNNING, None
        self.deadline(case, "CASE_LIMIT", self.limit_rule, filed, limit_due, status, completed, limit_late)
        return case

    def deadline(self, case, node, rule, started, due, status, completed=None, late=False) -> Deadline:
        return Deadline.objects.create(
            node=node, bound_rule=rule, case=case, court=case.court, subject_type="case", subject_id=case.pk,
            responsible=self.judge, start_event="case.filed", started_at=started, due_at=due, unit=rule.unit,
            status=status, completed_at=completed, completed_late=late,
        )

    def property(self, case):
        Property.objects.create(case=case, type="real_estate", description="房产一处", discovered_at=case.filed_at,
                                last_event_at=case.filed_at)

    def payment(self, case, amount, *, arrived, paid):
        self.n += 1
        receipt = Receipt.objects.create(
            court=case.court, bank_txn_id=f"TXN{self.n}", account_no=case.account_no, amount=Decimal(amount),
            payer="被执行人", received_at=arrived, case=case, status=ReceiptStatus.IDENTIFIED,
        )
        return Disbursement.objects.create(
            case=case, receipt=receipt, amount=Decimal(amount), status=DisbursementStatus.PAID, created_at=arrived,
            last_event_at=paid, paid_at=paid,
        )


NOW = at(2026, 7, 15)


@pytest.fixture
def history(rules, people):
    """Nine cases of 洛阳中院 (L) and 西工区法院 (X); see test_indicators.py for the expected figures."""
    ly, xg = rules.luoyang, rules.xigong
    h = History(rules, people.judge)
    c = SimpleNamespace()
    c.c1 = h.case(ly, filed=at(2025, 10, 1), closed=at(2026, 2, 10), closure="performed", claim="100000.00",
                  limit_due=at(2026, 4, 1))
    h.property(c.c1)
    h.payment(c.c1, "60000.00", arrived=at(2025, 12, 20), paid=at(2025, 12, 28))
    h.payment(c.c1, "40000.00", arrived=at(2026, 1, 5), paid=at(2026, 1, 20))
    c.c2 = h.case(ly, filed=at(2025, 11, 15), limit_due=at(2026, 5, 15))
    c.c3 = h.case(ly, filed=at(2025, 6, 1), closed=at(2025, 12, 20), closure="terminated_round",
                  limit_due=at(2025, 12, 1), limit_late=True)
    c.c4 = h.case(xg, filed=at(2026, 1, 10), closed=at(2026, 3, 1), closure="terminated_round", claim="50000.00",
                  limit_due=at(2026, 7, 10))
    h.deadline(c.c4, "CASE_ACCEPT", h.accept_rule, at(2026, 1, 10), at(2026, 1, 17), DeadlineStatus.MET,
               at(2026, 1, 20), late=True)
    c.c5 = h.case(xg, filed=at(2026, 2, 1), closed=at(2026, 6, 20), closure="withdrawn", kind="restored",
                  claim="20000.00", limit_due=at(2026, 5, 1), limit_late=True)
    h.payment(c.c5, "5000.00", arrived=at(2026, 6, 1), paid=at(2026, 6, 8))
    c.c6 = h.case(xg, filed=at(2026, 3, 1), limit_due=at(2026, 9, 1))
    c.c7 = h.case(ly, filed=at(2026, 5, 1), closed=at(2026, 7, 5), closure="performed", limit_due=at(2026, 6, 15),
                  limit_late=True)
    c.c8 = h.case(ly, filed=at(2026, 7, 2), limit_due=at(2027, 1, 2))
    c.c9 = h.case(xg, filed=at(2025, 12, 1), closed=at(2026, 4, 10), closure="terminated", claim="30000.00",
                  limit_due=at(2026, 6, 1))
    h.property(c.c9)
    return c

