"""Transfers of a case (SPEC §11 (b)(c), [004 §28]): the upper court takes it up (提级执行) or orders
another court below it to enforce it (指令执行). One audited act: the case moves with its clocks,
property, funds, sanctions and documents (all hang on the case; the clocks and sanctions are moved
by the lifecycle listeners of their floors); it gets a number in the receiving court's series, the
old number stays on the transfer record (and is found by the case search); the old court keeps
read access (``cases.selectors.cases_visible_to``).

SPEC is silent on who then handles the case: the old court's judge cannot, so the judge is cleared
and the receiving court's bureau assigns one (``case_assign``); the case keeps its state."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import GuardFailed, InvalidInput, Violation
from enforcement.models import ApprovalRequest, ApprovalStatus, Court, Role, User
from enforcement.notifications import notify
from enforcement.timeutil import resolve_occurred_at

from ... import services as case_services
from ...models import Case
from ..models import CaseTransfer, TransferKind
from .common import is_below, require_open_case, require_text, require_upper_court_officer


def _snapshot(case: Case) -> dict:
    return {"court": case.court_id, "number": case.number, "judge": case.judge_id, "status": case.status}


def _receiving_court(actor: User, case: Case, kind: str, to_court: Court | None) -> Court:
    assert actor.court is not None  # require_upper_court_officer has passed
    if kind == TransferKind.TAKE_UP:
        # 提级执行: the case moves up to the deciding court itself.
        if to_court is not None and to_court.pk != actor.court_id:
            raise InvalidInput({"to_court": [gettext("提级执行的案件由本院执行，接收法院须为本院。")]})
        return actor.court
    if to_court is None:
        raise InvalidInput({"to_court": [gettext("指令执行须指定接收法院。")]})
    if to_court.pk == case.court_id:
        raise InvalidInput({"to_court": [gettext("接收法院不能是本案现承办法院。")]})
    if not is_below(to_court, actor.court):
        # [004 §28] 指令其他法院执行: only to a court under the deciding court.
        raise GuardFailed(
            [
                Violation(
                    "court_not_under_actor",
                    gettext("%(name)s不在贵院辖区内，不能指令其执行本案。") % {"name": to_court.name},
                    "[004 §28]",
                )
            ]
        )
    return to_court


@transaction.atomic
def case_transfer(
    *,
    case: Case,
    actor: User,
    kind: str,
    reason: str,
    to_court: Court | None = None,
    occurred_at: datetime | None = None,
) -> CaseTransfer:
    if kind not in TransferKind.values:
        raise InvalidInput({"kind": [gettext("方式须为提级执行（take_up）或指令执行（reassign）。")]})
    case = case_services._lock(case)
    case_services._require_court(actor, case.court_id)
    label = TransferKind(kind).label
    require_upper_court_officer(actor, case, label)
    assert actor.court is not None
    require_open_case(case, label)
    # [004 §28] 严禁以“指令其他法院执行”之名，行消极执行、拖延执行之实: the reason is on record.
    text = require_text(reason, "reason", f"{label}须写明理由。")
    receiving = _receiving_court(actor, case, kind, to_court)
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    year = timezone.localtime(at).year
    seq = case_services._next_number(receiving, year, case.kind)
    before = _snapshot(case)
    from_court, old_number = case.court, case.number
    case.court, case.number, case.year, case.seq = (
        receiving,
        case_services.format_case_number(receiving, year, case.kind, seq),
        year,
        seq,
    )
    case.judge, case.last_event_at = None, at
    case.save(update_fields=["court", "number", "year", "seq", "judge", "last_event_at", "updated_at"])
    # Decision: what is still to be decided moves to the receiving court's bureau head; an approval
    # already given stays the giving court's record and is not used in the receiving court
    # (enforcement.approvals.services.approval_use reads only the case's current court).
    moved = ApprovalRequest.objects.filter(case_id=case.pk, status=ApprovalStatus.PENDING).update(
        court_id=receiving.pk)
    transfer = CaseTransfer.objects.create(case=case, kind=kind, from_court=from_court, to_court=receiving,
                                           ordered_by_court=actor.court, from_number=old_number,
                                           to_number=case.number, reason=text, ordered_by=actor, transferred_at=at)
    audit_record(actor=actor, action=events.TRANSFER_KINDS[kind], obj=case, court=receiving.pk, case_id=case.pk,
                 occurred_at=at, before=before, after={**_snapshot(case), "from_court": from_court.name,
                                                       "to_court": receiving.name, "old_number": old_number,
                                                       "approvals_moved": moved},
                 reason=text)
    case_services._on_lifecycle(case, "transfer", at, actor, from_court=from_court, to_court=receiving,
                                transfer=transfer)
    heads = User.objects.filter(court=receiving, is_active=True, role_rows__role__in=[Role.BUREAU_HEAD,
                                                                                     Role.BUREAU_CLERK])
    notify(recipients=list(heads), kind="case_transfer", case_id=case.pk,
           title=lambda: (gettext("%(label)s：%(old_number)s 移送本院，新案号 %(number)s")
           % {"label": label, "old_number": old_number, "number": case.number}),
           body=lambda: f"{actor.court.name if actor.court else ''}决定：{text}。请指定承办法官。")
    return transfer
