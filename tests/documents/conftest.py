import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from cases import services as case_services
from cases.models import CaseStatus
from credit import services as credit_services
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from funds import services as funds_services
from tests import tools
from tests.factories import ORG_USCC, advance, approved, file_case


@pytest.fixture
def rules(courts):
    """The national calendar and the three rule sets (case services start their clocks)."""
    calendar_seed_national()
    rulesets_seed()
    return courts


@pytest.fixture
def case(people, rules, pinned_clock):
    """A Luoyang case in progress, judged by 陈法官 (ly_judge), the debtor a company."""
    parties = [
        case_services.PartyData(role="applicant", name="张伟", kind="person", id_number="410302198507150019"),
        case_services.PartyData(role="respondent", name="洛阳市宏达建材有限公司", kind="organization",
                                id_number=ORG_USCC, legal_representative="王建国"),
    ]
    payee = case_services.PayeeAccount(bank="中国工商银行洛阳西工支行", account_no="6222021705009876543", holder="张伟")
    c = file_case(people.clerk, parties=parties, claim_amount=Decimal("150000.00"), payee_account=payee)
    return advance(c, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


@pytest.fixture
def other_case(people, rules, pinned_clock):
    c = file_case(people.clerk, basis="（2025）豫0303民初5678号民事判决书")
    return advance(c, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


def debtor(case):
    return case.parties.get(role="respondent")


@pytest.fixture
def restriction(case, people):
    return credit_services.sanction_propose(
        case=case, party=debtor(case), kind="consumption_restriction", actor=people.judge,
        persons=[{"name": "王建国", "role": "法定代表人", "id_number": ""}])


@pytest.fixture
def listing(case, people):
    return credit_services.sanction_propose(
        case=case, party=debtor(case), kind="dishonest_list", ground="able_but_refuses", actor=people.judge)


def disbursement_of(case, people, amount="12345.67", txn="TXN-DOC-1"):
    funds_services.receipt_record(actor=people.finance, data=funds_services.ReceiptData(
        bank_txn_id=txn, account_no=case.account_no, amount=Decimal(amount), payer="洛阳市宏达建材有限公司",
        received_at=case.filed_at))
    return case.disbursements.get(receipt__bank_txn_id=txn)


@pytest.fixture
def disbursement(case, people):
    return disbursement_of(case, people)


def pdf_tool(tmp_path: Path, name: str, data: bytes) -> str:
    """Run a poppler tool (pdftotext, pdffonts) on PDF bytes and return what it prints."""
    tools.require_cjk_fonts()
    tools.require_tool(name)  # fails, never skips: a run without poppler has not read the PDFs back
    src = tmp_path / "doc.pdf"
    src.write_bytes(data)
    args = [name, str(src), "-"] if name == "pdftotext" else [name, str(src)]
    return subprocess.run(args, capture_output=True, check=True).stdout.decode("utf-8")


def make_ready_for_termination(case, people):
    """Meet every 终本 condition of SPEC §7 on ``case`` (filed today): a complete network query, the
    debtor's consumption restriction in force, and the bureau head's override of the three months."""
    from cases.property import services as property_services

    q = property_services.query_initiate(case=case, actor=people.judge, channels=["national", "provincial"])
    property_services.query_feedback(query=q, actor=people.judge, categories=q.categories, properties=[])
    s = credit_services.sanction_propose(case=case, party=debtor(case), kind="consumption_restriction",
                                         actor=people.judge)
    credit_services.sanction_decide(sanction=s, actor=people.judge)
    credit_services.sanction_serve(sanction=s, actor=people.judge)
    credit_services.sanction_publish(sanction=s, actor=people.judge)
    approved(case, "override", approver=people.head, code="termination_too_early",
             reason="被执行人确无财产可供执行，申请执行人同意终本")
    return case
