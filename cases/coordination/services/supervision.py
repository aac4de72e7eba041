"""Supervision orders (督促执行 / 督办, SPEC §11 (a), [004 §28]): an upper court's supervisor or
bureau head issues instructions on a case below it; the handling court replies within
SUPERVISION_REPLY (rule data, 15 days). The reply is recorded on the order and both courts see it;
an overdue reply is breached on the handling court's clock, which the upper court supervises."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from deadlines import services as clock
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, PermissionDenied
from enforcement.models import Role, User
from enforcement.notifications import notify
from enforcement.timeutil import resolve_occurred_at

from ... import services as case_services
from ...models import Case
from ..models import SupervisionOrder, SupervisionStatus
from .common import require_open_case, require_text, require_upper_court_officer, subject

NODE = "SUPERVISION_REPLY"


def _snapshot(order: SupervisionOrder) -> dict:
    return {"status": order.status, "court": order.court_id, "handling_court": order.handling_court_id}


@transaction.atomic
def supervision_order_issue(*, case: Case, actor: User, instructions: str,
                            occurred_at: datetime | None = None) -> SupervisionOrder:
    case = case_services._lock(case)
    case_services._require_court(actor, case.court_id)
    require_upper_court_officer(actor, case, "督办本案")
    assert actor.court is not None
    require_open_case(case, "督办")
    text = require_text(instructions, "instructions", "请写明督办意见（要求承办法院做什么）。")
    at = resolve_occurred_at(occurred_at, previous=case.filed_at)
    order = SupervisionOrder.objects.create(case=case, court=actor.court, handling_court=case.court,
                                            instructions=text, issued_by=actor, issued_at=at)
    clock.deadlines_on_event(event="supervision.issued", at=at, subject=subject("supervision_order", order,
                             case.court_id), court=case.court, actor=actor, responsible=case.judge)
    audit_record(actor=actor, action=events.SUPERVISION_ISSUE, obj=order, court=case.court_id, case_id=case.pk,
                 occurred_at=at, after={**_snapshot(order), "issued_by_court": actor.court.name}, reason=text)
    notify(recipients=[case.judge], kind="supervision_order", case_id=case.pk,
           title=lambda: (gettext("%(name)s督办：%(number)s")
                         % {"name": actor.court.name if actor.court else "", "number": case.number}), body=lambda: text)
    return order


def may_reply(user: User, order: SupervisionOrder) -> bool:
    """The handling court answers: the case's judge or its bureau head."""
    case = order.case
    return order.status == SupervisionStatus.ISSUED and user.court_id == case.court_id and (
        case.judge_id == user.pk or user.has_role(Role.BUREAU_HEAD))


@transaction.atomic
def supervision_order_reply(*, order: SupervisionOrder, actor: User, reply: str,
                            occurred_at: datetime | None = None) -> SupervisionOrder:
    case = case_services._lock(Case(pk=order.case_id))
    order = SupervisionOrder.objects.select_for_update().select_related("court", "issued_by").get(pk=order.pk)
    order.case = case
    if order.status != SupervisionStatus.ISSUED:
        raise Conflict(gettext("该督办已经回复。"), code="already_replied")
    if not may_reply(actor, order):
        raise PermissionDenied(gettext("督办由本案承办法官或承办法院执行局长回复。"))
    text = require_text(reply, "reply", "请写明已采取的措施和结果。")
    at = resolve_occurred_at(occurred_at, previous=order.issued_at)
    before = _snapshot(order)
    order.mark_replied()
    order.reply, order.replied_by, order.replied_at = text, actor, at
    order.save(update_fields=["status", "reply", "replied_by", "replied_at"])
    clock.deadline_meet(node=NODE, subject=subject("supervision_order", order, case.court_id), at=at, actor=actor)
    audit_record(actor=actor, action=events.SUPERVISION_REPLY, obj=order, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before, after=_snapshot(order), reason=text)
    notify(
        recipients=[order.issued_by],
        kind="supervision_reply",
        case_id=case.pk,
        title=lambda: gettext("%(name)s已回复督办：%(number)s") % {"name": case.court.name, "number": case.number},
        body=lambda: text,
    )
    return order
