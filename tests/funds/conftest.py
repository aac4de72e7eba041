from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services as case_services
from cases.models import CaseStatus
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from funds import services
from tests.factories import ORG_USCC, PERSON_ID, advance, file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args).replace(tzinfo=SH)


@pytest.fixture
def rules(courts):
    """The national calendar (re-seeded: a transactional test may have flushed it) and the three rule sets."""
    calendar_seed_national()
    rulesets_seed()
    return courts


@pytest.fixture
def case(people, rules):
    """A Luoyang case in progress, one creditor, judged by ly_judge."""
    c = file_case(people.clerk)
    return advance(c, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


@pytest.fixture
def two_creditor_case(people, rules):
    parties = [
        case_services.PartyData(role="applicant", name="洛阳市宏达建材有限公司", kind="organization",
                                id_number=ORG_USCC),
        case_services.PartyData(role="applicant", name="洛阳市防疫物资保障中心", kind="organization", protected=True),
        case_services.PartyData(role="respondent", name="张伟", kind="person", id_number=PERSON_ID),
    ]
    c = file_case(people.clerk, parties=parties)
    return advance(c, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


def receive(actor, case, amount, *, txn="TXN-1", received_at=None, account_no=None):
    receipt, _ = services.receipt_record(actor=actor, data=services.ReceiptData(
        bank_txn_id=txn, account_no=account_no or case.account_no, amount=Decimal(amount), payer="张伟",
        received_at=received_at or at(2026, 11, 20, 10, 0)))
    return receipt


def receipt_body(case, **overrides) -> dict:
    body = {"bank_txn_id": "ICBC20260210000001", "account_no": case.account_no, "amount": "50000.00",
            "payer": "张伟", "received_at": "2026-02-10T10:00:00+08:00"}
    body.update(overrides)
    return body
