"""Correcting a deadline's start — a wrongly entered start-event time (SPEC §4, §13).

Not the handler's act: only the bureau head (执行局长) of the deadline's own court corrects a start,
always with a reason. A judge cannot move his own deadline; finance, officers, supervisors and
other courts cannot move any (SPEC §4 "A breach is a fact of time"). The due is recomputed from the
rule version in force on the corrected start; before and after are audited and kept on the
deadline (``Deadline.corrections``) so its explanation shows them; alerts already raised stay on
record.

Anyone else asks through an approval request (kind ``deadline_correction``, SPEC §13): a clerk,
an officer or the deadline's own judge of the deadline's court; the bureau head answers it from his
inbox and, approving, corrects the start here, which uses the request up.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.approvals.acts import ApprovalAct, register_act
from enforcement.approvals.services import approval_use
from enforcement.audit import audit_record, events
from enforcement.errors import InvalidInput, PermissionDenied
from enforcement.models import ApprovalKind, Role, User

from .models import Deadline
from .services import _iso, _recompute


def may_correct_start(user: User, d: Deadline) -> bool:
    """The bureau head of the deadline's court, and not as the deadline's own handler."""
    return (
        user.is_authenticated
        and Role.BUREAU_HEAD in user.roles  # the role itself: a superuser is not a bureau head
        and user.court_id == d.court_id
        and user.pk != d.responsible_id
    )


def ensure_may_correct_start(user: User, d: Deadline) -> None:
    if user.pk is not None and user.pk == d.responsible_id:
        raise PermissionDenied(gettext("承办人不能更正本人承办节点的起算时间。"))
    if not may_correct_start(user, d):
        raise PermissionDenied(gettext("只有本院执行局长可以更正期限的起算时间。"))


# Who may ask the bureau head for a correction: the court's own staff who enter start events.
ASKING_ROLES = (Role.FILING_CLERK, Role.BUREAU_CLERK, Role.POST_JUDGE, Role.OFFICER)


def _may_ask(user: User, case) -> bool:
    return user.is_active and user.court_id == case.court_id and bool(user.roles.intersection(ASKING_ROLES))


def _deadline_of(case, code: str, object_id: int | None) -> str:
    d = Deadline.objects.filter(case_id=case.pk, pk=object_id).first() if object_id is not None else None
    if d is None:
        raise InvalidInput({"object": ["请指明本案需更正起算时间的期限。"]})
    if not d.is_open:
        raise InvalidInput({"object": ["该期限已完成或撤销，不能更正起算时间。"]})
    return str(d)


def register_approval_act() -> None:
    register_act(ApprovalAct(ApprovalKind.DEADLINE_CORRECTION, _may_ask,
                             "只有本院立案、执行局内勤、承办法官和执行员可以申请更正期限起算时间。", _deadline_of,
                             approver_acts=True))


@transaction.atomic
def deadline_correct_start(*, deadline: Deadline, actor: User, started_at: datetime, reason: str) -> Deadline:
    """Correct a wrongly entered start-event time: recompute the due, audited (SPEC §4)."""
    d = Deadline.objects.select_for_update(of=("self",)).select_related("court").get(pk=deadline.pk)
    ensure_may_correct_start(actor, d)
    if not d.is_open:
        raise InvalidInput({"started_at": [gettext("该期限已完成或撤销，不能更正起算时间。")]})
    if not reason.strip():
        raise InvalidInput({"reason": [gettext("更正起算时间须写明理由。")]})
    if started_at > timezone.now():
        raise InvalidInput({"started_at": [gettext("起算时间不能晚于当前时间。")]})
    before = {"started_at": _iso(d.started_at), "due_at": _iso(d.due_at), "bound_rule": d.bound_rule_id,
              "status": d.current_status}
    d.candidates = [
        {**c, "started_at": _iso(started_at)} if c["event"] == d.start_event else c for c in d.candidates
    ]
    _recompute(d, retime_versions=True)
    after = {"started_at": _iso(d.started_at), "due_at": _iso(d.due_at), "bound_rule": d.bound_rule_id,
             "status": d.current_status}
    d.corrections = [*d.corrections, {
        "at": _iso(timezone.now()), "by": actor.pk, "by_name": actor.name or actor.username,
        "reason": reason.strip(), "before": before, "after": after,
    }]
    d.save()
    if d.case_id is not None:
        # The request this correction answers, if one was approved (SPEC §13): used up now.
        approval_use(case_id=d.case_id, court_id=d.court_id, kind=ApprovalKind.DEADLINE_CORRECTION, actor=actor,
                     object_id=d.pk)
    audit_record(actor=actor, action=events.DEADLINE_CORRECT_START, obj=d, court=d.court_id, case_id=d.case_id,
                 before=before, after=after, reason=reason.strip())
    return d
