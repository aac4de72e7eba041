"""Helpers shared by the funds services: locks, clocks and the disbursement a payable receipt creates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext

from cases.models import Case, Party, PartyRole
from deadlines.services import Subject, deadline_meet, deadlines_cancel, deadlines_on_event
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.legal import cite
from enforcement.models import Role, User
from enforcement.notifications import notify

from .. import ledger
from ..models import (
    ZERO,
    Disbursement,
    DisbursementStatus,
    Receipt,
)

CENT = Decimal("0.01")
FEED_ROLES = (Role.FINANCE, Role.ADMIN)  # the bank feed posts as a finance or admin account



# --- helpers -------------------------------------------------------------------------------

def _lock_case(case_id: int) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("court", "judge").get(pk=case_id)


def _lock_disbursement(d: Disbursement) -> tuple[Case, Disbursement]:
    case = _lock_case(d.case_id)
    d = Disbursement.objects.select_for_update(of=("self",)).select_related("receipt", "party").get(pk=d.pk)
    return case, d


def _ensure_can(d: Disbursement, method, label: str) -> None:
    from django_fsm import can_proceed

    if not can_proceed(method):
        raise Conflict(
            gettext("该笔案款当前状态为“%(value)s”，不能%(label)s。")
            % {"value": d.get_status_display(), "label": label}
        )


def _receipt_subject(r: Receipt) -> Subject:
    return Subject("receipt", r.pk, r.case_id, r.court_id)


def _disbursement_subject(d: Disbursement) -> Subject:
    return Subject("disbursement", d.pk, d.case_id, d.case.court_id)


def _snapshot(d: Disbursement) -> dict:
    return {"status": d.status, "amount": d.amount}


def _bureau_head_of(user: User | None, case: Case, field: str) -> None:
    if user is not None and (
        user.court_id != case.court_id or not user.has_role(Role.BUREAU_HEAD) or not user.is_active
    ):
        raise InvalidInput({field: [gettext("审批人须为本院执行局长。")]})


def _finance_users(court_id: int):
    return User.objects.filter(court_id=court_id, is_active=True, role_rows__role=Role.FINANCE).distinct()


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT) if not isinstance(value, Decimal) else value
    except ArithmeticError as exc:
        raise InvalidInput({field: [gettext("金额格式无效。")]}) from exc
    if amount != amount.quantize(CENT):
        raise InvalidInput({field: [gettext("金额最多两位小数。")]})
    if amount <= ZERO:
        raise InvalidInput({field: [gettext("金额须大于零。")]})
    return amount


def _sync_receipt_clocks(receipt: Receipt, at: datetime, actor: User | None) -> None:
    """Meet or cancel the receipt-level clocks once nothing of that money waits for them."""
    ds = list(Disbursement.objects.filter(receipt=receipt).only("status", "amount"))
    unallocated = receipt.amount - sum((d.amount for d in ds), ZERO)
    states = {d.status for d in ds}
    subject = _receipt_subject(receipt)
    if unallocated == ZERO and DisbursementStatus.PENDING not in states:
        if states & {DisbursementStatus.NOTIFIED, DisbursementStatus.PAID}:
            deadline_meet(node="FUNDS_NOTICE", subject=subject, at=at, actor=actor)
        else:
            deadlines_cancel(
                subject=subject, at=at, actor=actor, nodes=["FUNDS_NOTICE"], reason="该笔案款已全部暂缓发放/提存"
            )
    if unallocated == ZERO and not states & {DisbursementStatus.PENDING, DisbursementStatus.NOTIFIED}:
        if DisbursementStatus.PAID in states:
            deadline_meet(node="FUNDS_OUT", subject=subject, at=at, actor=actor)
        else:
            deadlines_cancel(
                subject=subject, at=at, actor=actor, nodes=["FUNDS_OUT"], reason="该笔案款已全部暂缓发放/提存"
            )


def _create_disbursement(
    *,
    case: Case,
    receipt: Receipt,
    party: Party | None,
    amount: Decimal,
    sequence: int,
    at: datetime,
    actor: User | None,
) -> Disbursement:
    d = Disbursement.objects.create(
        case=case, receipt=receipt, party=party, amount=amount, sequence=sequence, created_at=at, last_event_at=at
    )
    ledger.move(
        kind="allocate",
        amount=amount,
        from_account=ledger.case_account(case.pk, "unallocated"),
        to_account=ledger.case_account(case.pk, "pending"),
        court_id=case.court_id,
        case_id=case.pk,
        receipt_id=receipt.pk,
        disbursement_id=d.pk,
        actor=actor,
        at=at,
        memo=f"分配给{party.name if party else '申请执行人'}",
    )
    audit_record(
        actor=actor,
        action=events.DISBURSEMENT_CREATE,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        after={
            "receipt": receipt.pk,
            "party": party.pk if party else None,
            "amount": amount,
            "sequence": sequence,
            "status": d.status,
        },
    )
    return d


def _became_payable(receipt: Receipt, case: Case, at: datetime, actor: User | None) -> None:
    """Money identified to a case: start its clocks; a single creditor gets it at once."""
    deadlines_on_event(
        event="funds.arrived",
        at=at,
        subject=_receipt_subject(receipt),
        court=case.court,
        actor=actor,
        responsible=case.judge,
    )
    applicants = list(case.parties.filter(role=PartyRole.APPLICANT).order_by("id"))
    if len(applicants) == 1:
        _create_disbursement(
            case=case, receipt=receipt, party=applicants[0], amount=receipt.amount, sequence=1, at=at, actor=actor
        )
    # Several creditors: the money stays unallocated until the judge decides the order (receipt_allocate).
    if case.judge_id:
        notify(
            recipients=[case.judge],
            kind="funds.arrived",
            case_id=case.pk,
            title=lambda: (gettext("%(number)s 案款到账 ¥%(amount)s")
            % {"number": case.number, "amount": f"{receipt.amount:,.2f}"}),
            body=lambda: cite("请在案款到账后 10 个工作日内向财务部门发出支付案款通知（依据[004 §22]）。"),
        )
