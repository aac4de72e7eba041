"""Disbursements (SPEC §6.3, [004 §22]): the judge's payment notice, finance's payment to the
confirmed payee account (once per idempotency key), holds and their release, and splitting off a
disputed amount so the undisputed part is paid first."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from cases.parties.services import parties_tell_funds_paid
from cases.services import _ensure_judge, _require_court, _require_role
from deadlines.services import deadline_meet, deadlines_cancel, deadlines_on_event
from enforcement.approvals import ensure_approver, self_approval
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, GuardFailed, Guards, InvalidInput
from enforcement.legal import cite
from enforcement.models import Role, User
from enforcement.notifications import notify
from enforcement.timeutil import resolve_occurred_at

from .. import ledger
from ..models import (
    Disbursement,
    DisbursementStatus,
    HoldGround,
    PaymentKey,
)
from ._common import (
    _bureau_head_of,
    _disbursement_subject,
    _ensure_can,
    _finance_users,
    _lock_disbursement,
    _money,
    _snapshot,
    _sync_receipt_clocks,
)


@transaction.atomic
def disbursement_notify(*, disbursement: Disbursement, actor: User, occurred_at: datetime | None = None,
                        note: str = "") -> Disbursement:
    """The judge's payment notice to finance [004 §22]: meets FUNDS_NOTICE, starts FUNDS_PAY."""
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    _ensure_can(d, d.notify, "发出支付通知")
    _ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.notify()
    d.notified_at = d.last_event_at = at
    d.notified_by = actor
    d.save(update_fields=["status", "notified_at", "notified_by", "last_event_at"])
    ledger.move(kind="notify", amount=d.amount, from_account=ledger.case_account(case.pk, "pending"),
                to_account=ledger.case_account(case.pk, "notified"), court_id=case.court_id, case_id=case.pk,
                receipt_id=d.receipt_id, disbursement_id=d.pk, actor=actor, at=at, memo="支付案款通知")
    _sync_receipt_clocks(d.receipt, at, actor)
    deadlines_on_event(event="funds.notified", at=at, subject=_disbursement_subject(d), court=case.court,
                       actor=actor)
    audit_record(actor=actor, action=events.DISBURSEMENT_NOTIFY, obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before, after=_snapshot(d), reason=note)
    notify(recipients=_finance_users(case.court_id), kind="funds.notified", case_id=case.pk,
           title=lambda: (gettext("%(number)s 支付案款通知 ¥%(amount)s")
                         % {"number": case.number, "amount": f'{d.amount:,.2f}'}),
           body=lambda: cite("请在接到通知后 5 个工作日内向申请执行人登记的收款账户发放案款（依据[004 §22]）。"))
    return d


@transaction.atomic
def disbursement_pay(*, disbursement: Disbursement, actor: User, payee_account_no: str, bank_ref: str,
                     idempotency_key: str, occurred_at: datetime | None = None) -> Disbursement:
    """Finance pays the creditor — only to the account confirmed at filing [004 §20] — once per key."""
    _require_role(actor, Role.FINANCE)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise InvalidInput({"idempotency_key": [gettext("须提供幂等键（Idempotency-Key，最长 100 位）。")]})
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    used = PaymentKey.objects.filter(key=key).first()
    if used is not None:
        if used.disbursement_id != d.pk:
            raise Conflict(gettext("该幂等键已用于另一笔案款发放。"), code="idempotency_key_reused")
        return d  # a retry: the first result, nothing paid again
    _ensure_can(d, d.pay, "发放")
    errors: dict[str, list[str]] = {}
    if not (bank_ref or "").strip():
        errors["bank_ref"] = ["请填写银行交易参考号。"]
    if errors:
        raise InvalidInput(errors)
    g = Guards()
    g.check((payee_account_no or "").strip() == case.payee_account_no, "payee_not_registered",
            f"案款只能发放至立案时确认的收款账户（{case.payee_holder}，{case.payee_bank}，"
            f"账号 {case.payee_account_no}）。",
            "[004 §20]")
    g.raise_if_any()
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.pay()
    d.paid_at = d.last_event_at = at
    d.paid_by = actor
    d.paid_to_account_no, d.paid_to_holder, d.bank_ref = case.payee_account_no, case.payee_holder, bank_ref.strip()
    d.paid_to_bank = case.payee_bank
    d.save(update_fields=["status", "paid_at", "paid_by", "paid_to_account_no", "paid_to_holder", "paid_to_bank",
                          "bank_ref", "last_event_at"])
    try:
        with transaction.atomic():
            PaymentKey.objects.create(key=key, disbursement=d, actor=actor)
    except IntegrityError as exc:  # the same key raced in for another disbursement
        raise Conflict(gettext("该幂等键已用于另一笔案款发放。"), code="idempotency_key_reused") from exc
    ledger.move(kind="pay", amount=d.amount, from_account=ledger.case_account(case.pk, "notified"),
                to_account=ledger.case_account(case.pk, "paid"), court_id=case.court_id, case_id=case.pk,
                receipt_id=d.receipt_id, disbursement_id=d.pk, actor=actor, at=at,
                memo=f"发放至 {case.payee_account_no} 参考号 {d.bank_ref}")
    subject = _disbursement_subject(d)
    deadline_meet(node="FUNDS_PAY", subject=subject, at=at, actor=actor)
    deadline_meet(node="FUNDS_HELD_OUT", subject=subject, at=at, actor=actor)
    _sync_receipt_clocks(d.receipt, at, actor)
    audit_record(actor=actor, action=events.DISBURSEMENT_PAY, obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before,
                 after={**_snapshot(d), "account_no": d.paid_to_account_no, "bank_ref": d.bank_ref,
                        "idempotency_key": key})
    notify(
        recipients=[case.judge],
        kind="funds.paid",
        case_id=case.pk,
        title=lambda: (gettext("%(number)s 案款已发放 ¥%(amount)s")
                      % {"number": case.number, "amount": f"{d.amount:,.2f}"}),
        body=lambda: f"银行交易参考号 {d.bank_ref}",
    )
    parties_tell_funds_paid(case=case, payee=d.party, at=at, amount=d.amount)
    return d


@transaction.atomic
def disbursement_hold(
    *,
    disbursement: Disbursement,
    actor: User,
    reason: str,
    ground: str = HoldGround.LEGAL_DEFERRAL,
    approved_by: User | None = None,
    occurred_at: datetime | None = None,
) -> Disbursement:
    """Defer payment or escrow on a legal ground [004 §22 第二款]. Holding is the safe direction, so
    the judge may hold at once; a bureau head's approval is recorded here or later (approve_hold)."""
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    _ensure_can(d, d.hold, "暂缓发放")
    _ensure_judge(actor, case)
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = ["请写明暂缓发放或提存的法定事由。"]
    if ground not in HoldGround.values:
        errors["ground"] = ["暂缓事由无效。"]
    if errors:
        raise InvalidInput(errors)
    # SPEC §12: the approver of a hold is never the judge who holds.
    ensure_approver(approver=approved_by, actor=actor, court_id=case.court_id, what="暂缓发放", required=False)
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    source_bucket = d.status
    d.hold()
    _set_hold(d, at, ground, reason, approved_by, actor)
    d.save(
        update_fields=[
            "status",
            "held_at",
            "held_by",
            "hold_ground",
            "hold_reason",
            "hold_approved_by",
            "hold_approved_at",
            "released_at",
            "last_event_at",
        ]
    )
    ledger.move(
        kind="hold",
        amount=d.amount,
        from_account=ledger.case_account(case.pk, source_bucket),
        to_account=ledger.case_account(case.pk, "held"),
        court_id=case.court_id,
        case_id=case.pk,
        receipt_id=d.receipt_id,
        disbursement_id=d.pk,
        actor=actor,
        at=at,
        memo=f"暂缓发放：{reason.strip()}",
    )
    deadlines_cancel(
        subject=_disbursement_subject(d),
        at=at,
        actor=actor,
        nodes=["FUNDS_PAY", "FUNDS_HELD_OUT"],
        reason=f"暂缓发放/提存：{reason.strip()}",
    )
    _sync_receipt_clocks(d.receipt, at, actor)
    audit_record(
        actor=actor,
        action=events.DISBURSEMENT_HOLD,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after={**_snapshot(d), "ground": ground, "approved_by": approved_by.pk if approved_by else None},
        reason=reason,
    )
    return d


def _set_hold(d: Disbursement, at: datetime, ground: str, reason: str, approved_by: User | None, held_by: User) -> None:
    d.held_at = d.last_event_at = at
    d.held_by = held_by
    d.hold_ground, d.hold_reason = ground, reason.strip()
    d.hold_approved_by = approved_by
    d.hold_approved_at = at if approved_by else None
    d.released_at = None


@transaction.atomic
def disbursement_approve_hold(*, disbursement: Disbursement, actor: User, note: str = "") -> Disbursement:
    """The bureau head approves a hold (报批 [004 §22 第二款])."""
    _require_role(actor, Role.BUREAU_HEAD)
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    if d.status != DisbursementStatus.HELD:
        raise Conflict(gettext("该笔案款当前状态为“%(value)s”，无需审批暂缓。") % {"value": d.get_status_display()})
    if d.hold_approved_by_id is not None:
        raise Conflict(gettext("该暂缓发放已经批准。"), code="already_approved")
    _bureau_head_of(actor, case, "actor")
    if d.held_by is not None:
        v = self_approval(approver=actor, actor=d.held_by, what="暂缓发放")
        if v:
            raise GuardFailed([v])
    d.hold_approved_by, d.hold_approved_at = actor, timezone.now()
    d.save(update_fields=["hold_approved_by", "hold_approved_at"])
    audit_record(
        actor=actor,
        action=events.DISBURSEMENT_APPROVE_HOLD,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        after={"approved_by": actor.pk, "ground": d.hold_ground},
        reason=note,
    )
    return d


@transaction.atomic
def disbursement_release_hold(
    *, disbursement: Disbursement, actor: User, reason: str = "", occurred_at: datetime | None = None
) -> Disbursement:
    """The cause of the hold has ended: back to pending, FUNDS_HELD_OUT starts (10 days [001])."""
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    _ensure_can(d, d.release_hold, "解除暂缓")
    _ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.release_hold()
    d.released_at = d.last_event_at = at
    d.save(update_fields=["status", "released_at", "last_event_at"])
    ledger.move(
        kind="release",
        amount=d.amount,
        from_account=ledger.case_account(case.pk, "held"),
        to_account=ledger.case_account(case.pk, "pending"),
        court_id=case.court_id,
        case_id=case.pk,
        receipt_id=d.receipt_id,
        disbursement_id=d.pk,
        actor=actor,
        at=at,
        memo="暂缓事由消除",
    )
    deadlines_on_event(
        event="funds.hold_ended",
        at=at,
        subject=_disbursement_subject(d),
        court=case.court,
        actor=actor,
        responsible=case.judge,
    )
    audit_record(
        actor=actor,
        action=events.DISBURSEMENT_RELEASE_HOLD,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(d),
        reason=reason,
    )
    return d


@transaction.atomic
def disbursement_split(
    *,
    disbursement: Disbursement,
    actor: User,
    disputed_amount: Decimal,
    reason: str = "",
    approved_by: User | None = None,
    occurred_at: datetime | None = None,
) -> Disbursement:
    """Part of the money is disputed: that part is held, the undisputed part proceeds at once [004 §22].

    The disbursement keeps the undisputed amount, its state and its clocks; a new held disbursement
    takes the disputed amount. Returns the (reduced) original.
    """
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    if d.status not in (DisbursementStatus.PENDING, DisbursementStatus.NOTIFIED):
        raise Conflict(gettext("该笔案款当前状态为“%(value)s”，不能拆分。") % {"value": d.get_status_display()})
    _ensure_judge(actor, case)
    disputed = _money(disputed_amount, "disputed_amount")
    if disputed >= d.amount:
        raise InvalidInput(
            {
                "disputed_amount": [
                    gettext("争议金额须小于本笔金额 ¥%(amount)s；全部有争议的，请暂缓发放。")
                    % {"amount": f"{d.amount:,.2f}"}
                ]
            }
        )
    ensure_approver(approver=approved_by, actor=actor, court_id=case.court_id, what="暂缓发放", required=False)
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.amount -= disputed
    d.last_event_at = at
    d.save(update_fields=["amount", "last_event_at"])
    part = Disbursement(
        case=case,
        receipt=d.receipt,
        party=d.party,
        amount=disputed,
        sequence=d.sequence,
        status=DisbursementStatus.HELD,
        split_from=d,
        created_at=at,
        last_event_at=at,
    )
    _set_hold(part, at, HoldGround.DISPUTE, reason or "部分案款有争议", approved_by, actor)
    part.save()
    ledger.move(
        kind="split",
        amount=disputed,
        from_account=ledger.case_account(case.pk, d.status),
        to_account=ledger.case_account(case.pk, "held"),
        court_id=case.court_id,
        case_id=case.pk,
        receipt_id=d.receipt_id,
        disbursement_id=part.pk,
        actor=actor,
        at=at,
        memo=f"争议部分暂缓发放（拆分自 #{d.pk}）",
    )
    audit_record(
        actor=actor,
        action=events.DISBURSEMENT_SPLIT,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after={
            **_snapshot(d),
            "held_part": part.pk,
            "disputed_amount": disputed,
            "approved_by": approved_by.pk if approved_by else None,
        },
        reason=reason,
    )
    return d
