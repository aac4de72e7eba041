"""Delegated tasks (执行事项委托, SPEC §11, [004 §27]): a case's judge asks another court — any
court — to do one task. The entrusted court's bureau accepts it and assigns a handler
(DELEGATION_ACCEPT, 3 working days), the handler completes it with a result or returns it
(DELEGATION_DONE, 30 days from acceptance; both rule data). The clocks are the entrusted court's;
the entrusted court reads the task through ``selectors.delegations_visible_to``, never the case.

SPEC is silent on returning a task not yet accepted: the entrusted bureau may return it (e.g. the
property is not in its district), which answers the request as an acceptance would."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from deadlines import services as clock
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput, PermissionDenied
from enforcement.models import Court, Role, User
from enforcement.notifications import notify
from enforcement.timeutil import resolve_occurred_at

from ... import services as case_services
from ...models import Case
from ..models import Delegation, DelegationStatus, DelegationTask
from .common import require_open_case, require_text, subject

BUREAU_ROLES = (Role.BUREAU_CLERK, Role.BUREAU_HEAD)
HANDLER_ROLES = (Role.POST_JUDGE, Role.OFFICER)


def _snapshot(d: Delegation) -> dict:
    return {"status": d.status, "to_court": d.to_court_id, "handler": d.handler_id, "task": d.task}


def _subject(d: Delegation):
    return subject("delegation", d, d.to_court_id)


def _lock(d: Delegation) -> Delegation:
    return (Delegation.objects.select_for_update(of=("self",))
            .select_related("case", "to_court", "from_court", "handler", "requested_by").get(pk=d.pk))


@transaction.atomic
def delegation_request(*, case: Case, actor: User, to_court: Court, task: str, details: str,
                       occurred_at: datetime | None = None) -> Delegation:
    case = case_services._lock(case)
    case_services._require_court(actor, case.court_id)
    case_services._ensure_judge(actor, case)  # not_case_judge: the judge decides what to ask [001]
    require_open_case(case, "委托其他法院办理事项")
    if task not in DelegationTask.values:
        raise InvalidInput({"task": [gettext("委托事项须为调查、送达文书、控制财产或其他事项。")]})
    if to_court.pk == case.court_id:
        raise InvalidInput({"to_court": [gettext("受托法院不能是本院。")]})
    text = require_text(details, "details", "请写明委托的具体事项（如财产所在地、送达对象）。")
    at = resolve_occurred_at(occurred_at, previous=case.filed_at)
    d = Delegation.objects.create(case=case, from_court=case.court, to_court=to_court, task=task, details=text,
                                  requested_by=actor, requested_at=at)
    clock.deadlines_on_event(event="delegation.requested", at=at, subject=_subject(d), court=to_court, actor=actor)
    audit_record(actor=actor, action=events.DELEGATION_REQUEST, obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, after={**_snapshot(d), "to_court_name": to_court.name}, reason=text)
    bureau = User.objects.filter(court=to_court, is_active=True, role_rows__role__in=list(BUREAU_ROLES)).distinct()
    # The entrusted court gets no case link: it does not see the case (SPEC §11).
    notify(
        recipients=list(bureau),
        kind="delegation_requested",
        title=lambda: (gettext("%(name)s委托事项（%(value)s）：%(number)s")
        % {"name": case.court.name, "value": d.get_task_display(), "number": case.number}),
        body=lambda: text,
    )
    return d


def may_accept(user: User, d: Delegation) -> bool:
    return d.status == DelegationStatus.REQUESTED and user.court_id == d.to_court_id and user.has_role(*BUREAU_ROLES)


def may_finish(user: User, d: Delegation) -> bool:
    """Complete (or return an accepted task): its handler or the entrusted court's bureau head."""
    return (
        d.status == DelegationStatus.ACCEPTED
        and user.court_id == d.to_court_id
        and (d.handler_id == user.pk or user.has_role(Role.BUREAU_HEAD))
    )


@transaction.atomic
def delegation_accept(
    *, delegation: Delegation, actor: User, handler: User, occurred_at: datetime | None = None
) -> Delegation:
    d = _lock(delegation)
    if d.status != DelegationStatus.REQUESTED:
        raise Conflict(gettext("委托事项当前状态为“%(value)s”，不能接受。") % {"value": d.get_status_display()})
    if not may_accept(actor, d):
        raise PermissionDenied(gettext("委托事项由受托法院执行局接受并指定承办人。"))
    if handler.court_id != d.to_court_id or not handler.is_active or not handler.has_role(*HANDLER_ROLES):
        raise InvalidInput({"handler": [gettext("承办人须为受托法院在职的员额法官或执行员。")]})
    at = resolve_occurred_at(occurred_at, previous=d.requested_at)
    before = _snapshot(d)
    d.accept()
    d.accepted_by, d.handler, d.accepted_at = actor, handler, at
    d.save(update_fields=["status", "accepted_by", "handler", "accepted_at"])
    clock.deadline_meet(node="DELEGATION_ACCEPT", subject=_subject(d), at=at, actor=actor)
    clock.deadlines_on_event(
        event="delegation.accepted", at=at, subject=_subject(d), court=d.to_court, actor=actor, responsible=handler
    )
    audit_record(
        actor=actor,
        action=events.DELEGATION_ACCEPT,
        obj=d,
        court=d.to_court_id,
        case_id=d.case_id,
        occurred_at=at,
        before=before,
        after=_snapshot(d),
    )
    notify(
        recipients=[handler],
        kind="delegation_assigned",
        title=lambda: gettext("委托事项（%(value)s）由您承办") % {"value": d.get_task_display()},
        body=lambda: d.details,
    )
    notify(
        recipients=[d.requested_by],
        kind="delegation_accepted",
        case_id=d.case_id,
        title=lambda: (gettext("%(name)s已接受委托事项（%(value)s）")
                      % {"name": d.to_court.name, "value": d.get_task_display()}),
        body=lambda: f"承办人：{handler.display_name}",
    )
    return d


@transaction.atomic
def delegation_complete(
    *, delegation: Delegation, actor: User, result: str, occurred_at: datetime | None = None
) -> Delegation:
    d = _lock(delegation)
    if d.status != DelegationStatus.ACCEPTED:
        raise Conflict(gettext("委托事项当前状态为“%(value)s”，不能办结。") % {"value": d.get_status_display()})
    if not may_finish(actor, d):
        raise PermissionDenied(gettext("委托事项由受托法院的承办人或执行局长办结。"))
    text = require_text(result, "result", "请写明办理结果。")
    at = resolve_occurred_at(occurred_at, previous=d.accepted_at)
    before = _snapshot(d)
    d.complete()
    d.result, d.finished_by, d.finished_at = text, actor, at
    d.save(update_fields=["status", "result", "finished_by", "finished_at"])
    clock.deadline_meet(node="DELEGATION_DONE", subject=_subject(d), at=at, actor=actor)
    audit_record(
        actor=actor,
        action=events.DELEGATION_COMPLETE,
        obj=d,
        court=d.to_court_id,
        case_id=d.case_id,
        occurred_at=at,
        before=before,
        after=_snapshot(d),
        reason=text,
    )
    notify(
        recipients=[d.requested_by],
        kind="delegation_done",
        case_id=d.case_id,
        title=lambda: (gettext("%(name)s已办结委托事项（%(value)s）")
                      % {"name": d.to_court.name, "value": d.get_task_display()}),
        body=lambda: text,
    )
    return d


@transaction.atomic
def delegation_return(
    *, delegation: Delegation, actor: User, reason: str, occurred_at: datetime | None = None
) -> Delegation:
    d = _lock(delegation)
    if d.status not in (DelegationStatus.REQUESTED, DelegationStatus.ACCEPTED):
        raise Conflict(gettext("委托事项当前状态为“%(value)s”，不能退回。") % {"value": d.get_status_display()})
    if not (may_accept(actor, d) or may_finish(actor, d)):
        raise PermissionDenied(gettext("委托事项由受托法院执行局（已接受的，由承办人或执行局长）退回。"))
    text = require_text(reason, "reason", "请写明退回理由。")
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    node = "DELEGATION_ACCEPT" if d.status == DelegationStatus.REQUESTED else "DELEGATION_DONE"
    before = _snapshot(d)
    d.give_back()
    d.return_reason, d.finished_by, d.finished_at = text, actor, at
    d.save(update_fields=["status", "return_reason", "finished_by", "finished_at"])
    clock.deadline_meet(node=node, subject=_subject(d), at=at, actor=actor)
    audit_record(
        actor=actor,
        action=events.DELEGATION_RETURN,
        obj=d,
        court=d.to_court_id,
        case_id=d.case_id,
        occurred_at=at,
        before=before,
        after=_snapshot(d),
        reason=text,
    )
    notify(
        recipients=[d.requested_by],
        kind="delegation_returned",
        case_id=d.case_id,
        title=lambda: (gettext("%(name)s退回委托事项（%(value)s）")
                      % {"name": d.to_court.name, "value": d.get_task_display()}),
        body=lambda: text,
    )
    return d
