"""Changing the creditor's payee account (SPEC §6.3, [004 §20]): requested with a reason, approved
or rejected by the bureau head, audited; payment only ever goes to the confirmed account."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cases.models import Case
from cases.services import _ensure_judge, _require_court, _require_role
from enforcement.approvals import self_approval
from enforcement.approvals.acts import ApprovalAct, register_act
from enforcement.approvals.services import approval_decided_with, approval_in_hand, approval_request
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, GuardFailed, InvalidInput, PermissionDenied
from enforcement.models import ApprovalKind, Role, User

from ..models import (
    PayeeChange,
    PayeeChangeStatus,
)
from ._common import (
    _lock_case,
)


@transaction.atomic
def payee_change_request(*, case: Case, actor: User, bank: str, account_no: str, holder: str,
                         reason: str) -> PayeeChange:
    """The post judge asks to change the creditor's payee account [004 §20]; nothing changes until a
    bureau head approves."""
    case = _lock_case(case.pk)
    _require_court(actor, case.court_id)
    _ensure_judge(actor, case)
    errors: dict[str, list[str]] = {}
    if not (bank or "").strip():
        errors["bank"] = ["请填写开户行。"]
    if not (account_no or "").strip().isdigit() or not 8 <= len(account_no.strip()) <= 30:
        errors["account_no"] = ["账号应为 8–30 位数字。"]
    elif account_no.strip() == case.payee_account_no:
        errors["account_no"] = ["新账号与现登记账号相同。"]
    if not (holder or "").strip():
        errors["holder"] = ["请填写户名。"]
    if not (reason or "").strip():
        errors["reason"] = ["请写明变更理由。"]
    if errors:
        raise InvalidInput(errors)
    if case.payee_changes.filter(status=PayeeChangeStatus.REQUESTED).exists():
        raise Conflict(gettext("本案已有待审批的收款账户变更申请。"), code="payee_change_pending")
    change = PayeeChange.objects.create(
        case=case, old_bank=case.payee_bank, old_account_no=case.payee_account_no, old_holder=case.payee_holder,
        new_bank=bank.strip(), new_account_no=account_no.strip(), new_holder=holder.strip(), reason=reason.strip(),
        requested_by=actor, requested_at=timezone.now(),
    )
    audit_record(actor=actor, action=events.PAYEE_CHANGE_REQUEST, obj=change, court=case.court_id, case_id=case.pk,
                 before={"account_no": change.old_account_no, "holder": change.old_holder},
                 after={"account_no": change.new_account_no, "holder": change.new_holder, "bank": change.new_bank},
                 reason=change.reason)
    # SPEC §11a: the change waits in the bureau head's inbox like every act that needs his approval.
    approval_request(case=case, actor=actor, kind=ApprovalKind.PAYEE_CHANGE, object_id=change.pk,
                     reason=f"{change.reason}（变更为 {change.new_holder} {change.new_bank} {change.new_account_no}）")
    return change


def _lock_change(change: PayeeChange, actor: User) -> tuple[Case, PayeeChange]:
    _require_role(actor, Role.BUREAU_HEAD)
    case = _lock_case(change.case_id)
    _require_court(actor, case.court_id)
    change = PayeeChange.objects.select_for_update().get(pk=change.pk)
    if change.status != PayeeChangeStatus.REQUESTED:
        raise Conflict(gettext("该申请已处理（%(value)s）。") % {"value": change.get_status_display()})
    if actor.court_id != case.court_id:
        raise PermissionDenied(gettext("只能由本院执行局长审批。"))
    return case, change


@transaction.atomic
def payee_change_approve(*, change: PayeeChange, actor: User, note: str = "") -> PayeeChange:
    """The bureau head approves: the case's registered payee account changes, audited on the case."""
    case, change = _lock_change(change, actor)
    # SPEC §12: nobody approves his own request, whatever roles he holds.
    v = self_approval(approver=actor, actor=change.requested_by, what="变更收款账户")
    if v:
        raise GuardFailed([v])
    _apply(case, change, actor, note)
    approval_decided_with(case_id=case.pk, kind=ApprovalKind.PAYEE_CHANGE, object_id=change.pk, actor=actor,
                          approved=True, note=note)
    return change


def _apply(case: Case, change: PayeeChange, actor: User, note: str) -> None:
    change.status, change.decided_by, change.decided_at = PayeeChangeStatus.APPROVED, actor, timezone.now()
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    case.payee_bank, case.payee_holder = change.new_bank, change.new_holder
    case.payee_account_no = change.new_account_no
    case.save(update_fields=["payee_bank", "payee_account_no", "payee_holder", "updated_at"])
    audit_record(actor=actor, action=events.PAYEE_CHANGE_APPROVE, obj=change, court=case.court_id, case_id=case.pk,
                 after={"requested_by": change.requested_by_id}, reason=note)
    audit_record(actor=actor, action=events.CASE_PAYEE_CHANGE, obj=case, court=case.court_id, case_id=case.pk,
                 before={"bank": change.old_bank, "account_no": change.old_account_no, "holder": change.old_holder},
                 after={"bank": change.new_bank, "account_no": change.new_account_no, "holder": change.new_holder,
                        "approved_by": actor.pk, "requested_by": change.requested_by_id},
                 reason=change.reason)


@transaction.atomic
def payee_change_reject(*, change: PayeeChange, actor: User, note: str) -> PayeeChange:
    if not (note or "").strip():
        raise InvalidInput({"note": [gettext("请写明不予批准的理由。")]})
    case, change = _lock_change(change, actor)
    change.status, change.decided_by, change.decided_at = PayeeChangeStatus.REJECTED, actor, timezone.now()
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=events.PAYEE_CHANGE_REJECT, obj=change, court=case.court_id, case_id=case.pk,
                 reason=note)
    approval_decided_with(case_id=case.pk, kind=ApprovalKind.PAYEE_CHANGE, object_id=change.pk, actor=actor,
                          approved=False, note=note)
    return change


def payee_change(*, case: Case, actor: User, bank: str, account_no: str, holder: str, reason: str,
                 approved_by: User | None = None) -> PayeeChange:
    """Request and approve in one go, when the bureau head's approval is in hand: named (e.g. signed on
    paper), or an approved request of kind ``payee_change`` (SPEC §11a), used up here. Both acts are
    audited under their own actors. Neither: 422 ``approval_required``, offering the request."""
    with transaction.atomic():
        change = payee_change_request(case=case, actor=actor, bank=bank, account_no=account_no, holder=holder,
                                      reason=reason)
        if approved_by is None:
            approved_by = approval_in_hand(case=case, kind=ApprovalKind.PAYEE_CHANGE, actor=actor,
                                           what="变更收款账户")
        return payee_change_approve(change=change, actor=approved_by)


def _is_case_judge(user: User, case: Case) -> bool:
    return user.is_active and case.judge_id is not None and case.judge_id == user.pk


def _change_of(case: Case, code: str, object_id: int | None) -> str:
    if object_id is None:
        return ""
    change = case.payee_changes.filter(pk=object_id, status=PayeeChangeStatus.REQUESTED).first()
    if change is None:
        raise InvalidInput({"object": ["本案没有该待审批的收款账户变更申请。"]})
    return str(change)


def _approved_in_inbox(req, actor: User, note: str) -> None:
    """The bureau head approved the change's request from his inbox (the kernel checked his four
    eyes): the change is made now."""
    case, change = _lock_change(PayeeChange(pk=req.object_id, case_id=req.case_id), actor)
    _apply(case, change, actor, note)


def _rejected_in_inbox(req, actor: User, note: str) -> None:
    case, change = _lock_change(PayeeChange(pk=req.object_id, case_id=req.case_id), actor)
    change.status, change.decided_by, change.decided_at = PayeeChangeStatus.REJECTED, actor, timezone.now()
    change.decision_note = note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=events.PAYEE_CHANGE_REJECT, obj=change, court=case.court_id, case_id=case.pk,
                 reason=note)


def register_approval_act() -> None:
    register_act(ApprovalAct(ApprovalKind.PAYEE_CHANGE, _is_case_judge,
                             "只有本案承办法官可以申请变更收款账户。", _change_of,
                             on_approve=_approved_in_inbox, on_reject=_rejected_in_inbox))
