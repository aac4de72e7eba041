"""Every write to an approval request (SPEC §11a, §12 four eyes): ask, approve, reject, use.

An approved, unused request of the right kind (and code / object) for the case is what the act
consumes -- once, under ``select_for_update``, marked used in the act's own transaction, so of ten
concurrent attempts exactly one passes. The requester hears the answer, and the bureau heads hear
of a new request, through notifications (delivered by the outbox after commit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, GuardFailed, InvalidInput, NotFound, PermissionDenied, Violation
from enforcement.models import ApprovalKind, ApprovalRequest, ApprovalStatus, Role, User
from enforcement.notifications import notify
from enforcement.selectors import court_ids_visible_to

from . import APPROVAL_REQUIRED, ensure_approver, is_bureau_head_of, offer, self_approval
from .acts import act_for, guard_label

REQUEST_NOTICE = "approval_requested"
ANSWER_NOTICE = "approval_answered"


def _visible(actor: User, court_id: int) -> bool:
    visible = court_ids_visible_to(actor)
    return court_id in visible if isinstance(visible, list) else visible.filter(pk=court_id).exists()


def approval_title(req: ApprovalRequest) -> str:
    """The refused act in the court's words: "例外放行拦截规则：明显超标的查封、冻结"."""
    label = req.get_kind_display()
    return f"{label}：{guard_label(req.code)}" if req.code and guard_label(req.code) else label


def _payload(req: ApprovalRequest) -> dict:
    return {"kind": req.kind, "code": req.code, "object": req.object_id, "requested_by": req.requested_by_id,
            "status": req.status}


@transaction.atomic
def approval_request(*, case: Any, actor: User, kind: str, reason: str, code: str = "",
                     object_id: int | None = None) -> ApprovalRequest:
    """The requester asks the bureau head, with a reason, for one act on one case."""
    # The case row is the lock: two requests for one act cannot both be pending.
    type(case).objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    if not _visible(actor, case.court_id):
        raise NotFound(gettext("未找到。"))
    act = act_for(kind)
    if act is None or kind not in ApprovalKind.values:
        raise InvalidInput({"kind": [gettext("审批事项无效。")]})
    code = (code or "").strip()
    if kind == ApprovalKind.OVERRIDE:
        if not code:
            raise InvalidInput({"code": [gettext("请写明申请放行的拦截规则。")]})
        if not guard_label(code):
            raise InvalidInput({"code": [gettext("规则 %(code)s 不允许例外审批。") % {"code": code}]})
    elif code:
        raise InvalidInput({"code": [gettext("只有例外放行拦截规则的申请需要写明规则。")]})
    if not (reason or "").strip():
        raise InvalidInput({"reason": [gettext("请写明申请理由。")]})
    if getattr(case, "status", "") == "closed":
        raise Conflict(gettext("案件已结案。"))
    if not act.may_request(actor, case):
        raise PermissionDenied(str(act.refused))
    if act.check is not None:
        act.check(case, code, object_id)
    if ApprovalRequest.objects.filter(case_id=case.pk, kind=kind, code=code, object_id=object_id,
                                      status=ApprovalStatus.PENDING).exists():
        raise Conflict(gettext("本案已有同一事项的待审批申请。"), code="approval_pending")
    req = ApprovalRequest.objects.create(court_id=case.court_id, case_id=case.pk, kind=kind, code=code,
                                         object_id=object_id, reason=reason.strip(), requested_by=actor)
    audit_record(actor=actor, action=events.APPROVAL_REQUEST, obj=req, court=case.court_id, case_id=case.pk,
                 after=_payload(req), reason=req.reason)
    heads = (User.objects.filter(court_id=case.court_id, is_active=True, role_rows__role=Role.BUREAU_HEAD)
             .exclude(pk=actor.pk).distinct())
    notify(recipients=heads, kind=REQUEST_NOTICE, case_id=case.pk,
           title=lambda: f"{case.number} 待审批：{approval_title(req)}",
           body=lambda: f"{actor.display_name} 申请：{req.reason}")
    return req


def may_decide(user: User, req: ApprovalRequest) -> bool:
    """An active bureau head of the case's own court, never the requester (SPEC §12)."""
    return (req.status == ApprovalStatus.PENDING and is_bureau_head_of(user, req.court_id)
            and user.pk != req.requested_by_id)


def _lock_pending(req: ApprovalRequest, actor: User) -> ApprovalRequest:
    req = (ApprovalRequest.objects.select_for_update(of=("self",)).select_related("case", "requested_by")
           .get(pk=req.pk))
    if not _visible(actor, req.court_id):
        raise NotFound(gettext("未找到。"))
    if not is_bureau_head_of(actor, req.court_id):
        raise PermissionDenied(gettext("只有本院执行局长可以审批。"))
    if req.status != ApprovalStatus.PENDING:
        raise Conflict(gettext("该申请已处理（%(status)s）。") % {"status": req.get_status_display()},
                       code="approval_decided")
    v = self_approval(approver=actor, actor=req.requested_by, what=approval_title(req))
    if v:
        raise GuardFailed([v])
    return req


def _answer(req: ApprovalRequest, actor: User, verb: str) -> None:
    note = f"：{req.note}" if req.note else ""
    notify(recipients=[req.requested_by], kind=ANSWER_NOTICE, case_id=req.case_id,
           title=lambda: f"{req.case.number} {approval_title(req)}：{verb}",
           body=lambda: f"执行局长 {actor.display_name} {verb}{note}")


def _approve(req: ApprovalRequest, actor: User, note: str, *, act_done: bool) -> ApprovalRequest:
    req.approve()
    req.decided_by, req.decided_at, req.note = actor, timezone.now(), (note or "").strip()
    req.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(actor=actor, action=events.APPROVAL_APPROVE, obj=req, court=req.court_id, case_id=req.case_id,
                 after=_payload(req), reason=req.note)
    if act_done:
        # The approval was the act itself (acts.ApprovalAct.on_approve): it is used by it, now.
        req.use()
        req.used_at, req.used_by = req.decided_at, actor
        req.save(update_fields=["status", "used_at", "used_by"])
        audit_record(actor=actor, action=events.APPROVAL_USE, obj=req, court=req.court_id, case_id=req.case_id,
                     after={**_payload(req), "approved_by": actor.pk}, reason=req.reason)
    _answer(req, actor, "已批准")
    return req


def _reject(req: ApprovalRequest, actor: User, note: str) -> ApprovalRequest:
    req.reject()
    req.decided_by, req.decided_at, req.note = actor, timezone.now(), note.strip()
    req.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(actor=actor, action=events.APPROVAL_REJECT, obj=req, court=req.court_id, case_id=req.case_id,
                 after=_payload(req), reason=req.note)
    _answer(req, actor, "不予批准")
    return req


@transaction.atomic
def approval_approve(*, request: ApprovalRequest, actor: User, note: str = "") -> ApprovalRequest:
    req = _lock_pending(request, actor)
    act = act_for(req.kind)
    does_act = bool(act and act.on_approve and req.object_id is not None)
    if does_act:
        assert act is not None and act.on_approve is not None
        act.on_approve(req, actor, (note or "").strip())
    return _approve(req, actor, note, act_done=does_act)


@transaction.atomic
def approval_reject(*, request: ApprovalRequest, actor: User, note: str) -> ApprovalRequest:
    if not (note or "").strip():
        raise InvalidInput({"note": [gettext("请写明不予批准的理由。")]})
    req = _lock_pending(request, actor)
    act = act_for(req.kind)
    if act and act.on_reject and req.object_id is not None:
        act.on_reject(req, actor, note.strip())
    return _reject(req, actor, note)


def approval_decided_with(*, case_id: int, kind: str, object_id: int, actor: User, approved: bool,
                          note: str = "") -> ApprovalRequest | None:
    """The record's own decision (e.g. the funds page's approval of a payee change) answers its
    pending request too, inside the caller's transaction; the four eyes were checked by the caller."""
    req = (ApprovalRequest.objects.select_for_update(of=("self",)).select_related("case", "requested_by")
           .filter(case_id=case_id, kind=kind, object_id=object_id, status=ApprovalStatus.PENDING).first())
    if req is None:
        return None
    return _approve(req, actor, note, act_done=True) if approved else _reject(req, actor, note or "不予批准")


def approval_use(*, case_id: int, court_id: int, kind: str, actor: User, at: datetime | None = None,
                 code: str = "", object_id: int | None = None) -> ApprovalRequest | None:
    """Consume the case's approved, unused request for this act, if there is one; call inside the act's
    transaction. Only an approval given in the case's current court counts (a transferred case's
    receiving court decides afresh). A request for one object is preferred to a request for any of the case's. A
    concurrent act waiting on the same row finds it used when it gets it and gets None."""
    qs = ApprovalRequest.objects.select_for_update(of=("self",)).filter(
        case_id=case_id, court_id=court_id, kind=kind, code=code, status=ApprovalStatus.APPROVED)
    qs = qs.filter(Q(object_id=object_id) | Q(object_id__isnull=True)) if object_id is not None \
        else qs.filter(object_id__isnull=True)
    req = (qs.annotate(specific=CaseWhen(When(object_id__isnull=True, then=Value(1)), default=Value(0),
                                      output_field=IntegerField()))
           .order_by("specific", "decided_at", "id").select_related("decided_by").first())
    if req is None:
        return None
    assert req.decided_by is not None  # approved: it has its decider
    act = act_for(kind)
    if not (act and act.approver_acts):
        # SPEC §12: the approver of an act is never its actor, whatever roles he holds.
        v = self_approval(approver=req.decided_by, actor=actor, what=approval_title(req))
        if v:
            raise GuardFailed([v])
    req.use()
    req.used_at, req.used_by = at or timezone.now(), actor
    req.save(update_fields=["status", "used_at", "used_by"])
    audit_record(actor=actor, action=events.APPROVAL_USE, obj=req, court=court_id, case_id=case_id,
                 occurred_at=req.used_at,
                 after={**_payload(req), "approved_by": req.decided_by_id}, reason=req.reason)
    return req


def approval_in_hand(*, case: Any, kind: str, actor: User, what: str, at: datetime | None = None,
                     approved_by: User | None = None, object_id: int | None = None) -> User:
    """The bureau head whose approval the act rests on: one named by the caller (kept for clients that
    send ``approved_by``; checked by the four-eyes rule), else the decider of the approved request
    used now. Neither: 422 ``approval_required``, offering the request (``approval_kind``)."""
    if approved_by is not None:
        ensure_approver(approver=approved_by, actor=actor, court_id=case.court_id, what=what)
        return approved_by
    req = approval_use(case_id=case.pk, court_id=case.court_id, kind=kind, actor=actor, at=at, object_id=object_id)
    if req is None:
        message = gettext("%(what)s须经本院执行局长批准，请先申请执行局长审批。") % {"what": what}
        raise GuardFailed([offer(Violation(APPROVAL_REQUIRED, message, "SPEC §6.1、§11a"), kind)])
    assert req.decided_by is not None  # approved: it has its decider
    return req.decided_by
