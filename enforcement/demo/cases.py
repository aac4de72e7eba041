"""Filing and advancing the demo cases through the services, with event times spread over the past months."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases import services
from cases.complaints import services as complaint_services
from cases.models import BasisKind, Case, CaseKind, CaseTransfer, MilestoneKind, PartyRole
from cases.models.property import ALL_CATEGORIES, QueryChannel
from cases.property import services as property_services
from credit import services as credit_services
from credit.models import SanctionKind
from enforcement.approvals.services import approval_request
from enforcement.models import Court, User
from funds import services as funds_services

from .parties import (
    _rng,
    party_data,
    payee_account,
)
from .people import (
    Result,
)
from .scenarios import (
    CASES,
    FINANCE,
    REASONS,
    SCENARIOS,
    STAFF,
    DemoCase,
)


def _office_hours(day: datetime, rng: random.Random) -> datetime:
    """A moment in office hours on ``day`` or the next working day (weekends skipped)."""
    d = day.date()
    while d.weekday() >= 5:
        d += timedelta(days=1)
    at = datetime.combine(d, time(8, 30)) + timedelta(minutes=rng.randint(0, 9 * 60))
    return timezone.make_aware(at)


def event_times(spec: DemoCase, now: datetime) -> Iterator[datetime]:
    """Filing time, then one time per step: each after the previous one and before ``now``."""
    rng = _rng(f"times:{spec.basis}")
    start = timezone.localtime(now) - timedelta(days=spec.days_ago)
    previous = _office_hours(start, rng)
    yield previous
    offset = 0
    for _, gap, _ in SCENARIOS[spec.scenario]:
        offset += gap
        at = max(_office_hours(start + timedelta(days=offset), rng), previous + timedelta(minutes=rng.randint(5, 90)))
        previous = min(at, now - timedelta(minutes=1))
        yield previous


def _province(court_code: str) -> str:
    return court_code[0]


def file_demo_case(spec: DemoCase, courts: dict[str, Court], users: dict[str, User], now: datetime) -> list[Case]:
    """File one demo case and walk it through its scenario. Returns the case(s) created (a restoration
    adds the new linked case)."""
    court = courts[spec.court]
    clerk, bureau, head = (users[u] for u in STAFF[spec.court])
    judge = users[spec.judge] if spec.judge else None
    province = _province(spec.court)
    times = event_times(spec, now)
    data = services.FilingData(
        basis=spec.basis,
        basis_kind=BasisKind.NON_LITIGATION if spec.non_litigation else BasisKind.LITIGATION,
        claim_amount=Decimal(spec.claim),
        parties=[party_data(a, PartyRole.APPLICANT, province) for a in spec.applicants]
        + [party_data(r, PartyRole.RESPONDENT, province) for r in spec.respondents],
        payee_account=payee_account(spec.applicants[0], province),
        flags=services.CaseFlags(livelihood=spec.livelihood, four_kinds=spec.four_kinds),
    )
    case = services.case_file(actor=clerk, data=data, court=court, filed_at=next(times))
    created = [case]
    finance = users.get(FINANCE.get(spec.court, ""))
    query = None
    complaint = None
    for (act, _, details), at in zip(SCENARIOS[spec.scenario], times, strict=True):
        if act == "receive":
            case = services.case_receive(case=case, actor=bureau, occurred_at=at)
            continue
        assert judge is not None  # DemoCase: a scenario that goes on past receiving assigns a judge
        if act == "assign":
            case = services.case_assign(case=case, actor=bureau, judge=judge, occurred_at=at)
        elif act == "accept":
            case = services.case_accept(case=case, actor=judge, occurred_at=at)
        elif act == "suspend":
            ground = details["ground"]
            case = services.case_suspend(case=case, actor=judge, reason=REASONS[ground], ground=ground,
                                         approved_by=head, occurred_at=at)
        elif act == "resume":
            case = services.case_resume(case=case, actor=judge, reason=REASONS["resume"], occurred_at=at)
        elif act == "close":
            closure = details["closure"]
            case = services.case_close(case=case, actor=judge, closure=closure, reason=REASONS[closure],
                                       occurred_at=at)
        elif act == "query":
            query = property_services.query_initiate(
                case=case, actor=judge, channels=list(QueryChannel.values), occurred_at=at
            )
        elif act == "query_feedback":
            assert query is not None
            property_services.query_feedback(
                query=query, actor=judge, categories=list(ALL_CATEGORIES), properties=[], occurred_at=at
            )
        elif act == "notice":
            services.case_record_milestone(case=case, actor=judge, kind=MilestoneKind.NOTICE_SENT, occurred_at=at,
                                           note="执行通知书、报告财产令已直接送达被执行人。")
        elif act == "restrict":
            restrict_respondents(case, judge, at)
        elif act == "found":
            query = query or case.queries.order_by("-id").first()
            assert query is not None
            found = [property_services.FoundProperty(type=t, description=d, value=Decimal(v), online_controllable=o)
                     for t, d, v, o in details["properties"]]
            property_services.query_feedback(query=query, actor=judge, categories=list(ALL_CATEGORIES),
                                             properties=found, occurred_at=at)
        elif act == "freeze":
            deposit = case.properties.get(type="bank_deposit")
            property_services.property_control(prop=deposit, actor=judge, measure="freeze",
                                               amount=Decimal(details["amount"]), occurred_at=at)
        elif act in ("seize", "valuation", "price", "disposal", "auction"):
            house = case.properties.get(type="real_estate")
            _house_step(act, house, judge, details, at)
        elif act == "receipt":
            receipt_no = f"DEMO-{case.account_no[-8:]}-{len(created)}"
            payer = case.parties.filter(role=PartyRole.RESPONDENT).first()
            assert finance is not None and payer is not None
            funds_services.receipt_record(actor=finance, court=court, data=funds_services.ReceiptData(
                bank_txn_id=receipt_no, account_no=case.account_no, amount=Decimal(details["amount"]),
                payer=payer.name, received_at=at))
        elif act == "notify":
            d = case.disbursements.get()
            funds_services.disbursement_notify(disbursement=d, actor=judge, occurred_at=at)
        elif act == "pay":
            assert finance is not None
            d = case.disbursements.get()
            funds_services.disbursement_pay(disbursement=d, actor=finance, payee_account_no=case.payee_account_no,
                                            bank_ref=f"HVPS{at:%Y%m%d}{d.pk:06d}", idempotency_key=f"demo-pay-{d.pk}",
                                            occurred_at=at)
        elif act == "lead":
            property_services.lead_receive(case=case, actor=judge, urgent=details["urgent"], occurred_at=at,
                                           description="申请执行人反映：被执行人在洛阳市老城区有一间临街商铺对外出租，"
                                                       "租金由其亲属代收。")
        elif act == "listing_grace":
            debtor = case.parties.filter(role=PartyRole.RESPONDENT).order_by("id").first()
            assert debtor is not None
            listing = credit_services.sanction_propose(case=case, party=debtor, kind=SanctionKind.DISHONEST_LIST,
                                                       ground="able_but_refuses", actor=judge, occurred_at=at)
            credit_services.sanction_decide(sanction=listing, actor=judge, occurred_at=at + timedelta(minutes=5),
                                            served_at=at + timedelta(minutes=30))
            credit_services.sanction_grant_grace(sanction=listing, actor=judge, months=1,
                                                 occurred_at=at + timedelta(minutes=40))
        elif act == "complaint":
            creditor = case.parties.filter(role=PartyRole.APPLICANT).order_by("id").first()
            assert creditor is not None
            complaint = complaint_services.complaint_receive(case=case, actor=judge, party=creditor,
                                                             content=details["content"], received_at=at)
        elif act == "answer_complaint":
            assert complaint is not None
            complaint_services.complaint_answer(complaint=complaint, actor=judge, answer=details["answer"],
                                                occurred_at=at)
        elif act == "refer_complaint":
            assert complaint is not None
            complaint_services.complaint_refer(complaint=complaint, actor=judge, reason=details["reason"],
                                               occurred_at=at)
        elif act == "ask":
            approval_request(case=case, actor=judge, kind=details["kind"], reason=details["reason"])
        elif act == "restore":
            case = services.case_restore(case=case, actor=judge, reason=REASONS["restore"], occurred_at=at)
            created.append(case)
        else:
            raise ValueError(f"unknown demo act {act!r}")
    return created


def _house_step(act: str, house, judge: User, details: dict, at: datetime) -> None:
    ps = property_services
    if act == "seize":
        ps.property_control(prop=house, actor=judge, measure="seize", mode="live", value=Decimal(details["value"]),
                            occurred_at=at)
    elif act == "valuation":
        ps.property_start_valuation(prop=house, actor=judge, method=details["method"], occurred_at=at)
    elif act == "price":
        ps.property_set_reference_price(prop=house, actor=judge, amount=Decimal(details["amount"]), occurred_at=at)
    elif act == "disposal":
        ps.property_start_disposal(prop=house, actor=judge, method=details["method"], occurred_at=at)
    elif act == "auction":
        ps.property_schedule_auction(prop=house, actor=judge, announced_at=at,
                                     auction_at=at + timedelta(days=details["days"]),
                                     starting_price=Decimal(details["starting_price"]), occurred_at=at)


def restrict_respondents(case: Case, judge: User, at: datetime) -> None:
    """限制消费 for every debtor: proposed, decided (served the same day) and published."""
    for i, party in enumerate(case.parties.filter(role=PartyRole.RESPONDENT).order_by("id")):
        t = at + timedelta(minutes=10 * i)
        s = credit_services.sanction_propose(case=case, party=party, kind=SanctionKind.CONSUMPTION_RESTRICTION,
                                             actor=judge, occurred_at=t)
        credit_services.sanction_decide(sanction=s, actor=judge, occurred_at=t + timedelta(minutes=2),
                                        served_at=t + timedelta(minutes=3))
        credit_services.sanction_publish(sanction=s, actor=judge, occurred_at=t + timedelta(minutes=5))


def load_cases(courts: dict[str, Court], users: dict[str, User], *, now: datetime | None = None,
               ) -> tuple[list[Case], Result]:
    """File the demo cases not filed yet (a case is identified by its court and enforcement basis)."""
    now = now or timezone.now()
    result = Result()
    created: list[Case] = []
    existing = set(
        Case.objects.filter(kind=CaseKind.FIRST, court__code__in=STAFF).values_list("court__code", "basis")
    )
    # A case taken up or reassigned (SPEC §11) still counts for the court that filed it.
    existing |= set(CaseTransfer.objects.filter(case__kind=CaseKind.FIRST, from_court__code__in=STAFF)
                    .values_list("from_court__code", "case__basis"))
    # Oldest first, so case numbers follow the filing order.
    for spec in sorted(CASES, key=lambda c: -c.days_ago):
        result.total += 1
        if (spec.court, spec.basis) in existing:
            continue
        with transaction.atomic():
            created += file_demo_case(spec, courts, users, now)
        result.created += 1
    return created, result
