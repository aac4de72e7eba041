"""Correcting a deadline's start — a wrongly entered start-event time (SPEC §4, §13).

Not the handler's act: only the bureau head (执行局长) of the deadline's own court corrects a start,
always with a reason. A judge cannot move his own deadline; finance, officers, supervisors and
other courts cannot move any (SPEC §4 "A breach is a fact of time"). The due is recomputed from the
rule version in force on the corrected start; before and after are audited and kept on the
deadline (``Deadline.corrections``) so its explanation shows them; alerts already raised stay on
record.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import InvalidInput, PermissionDenied
from enforcement.models import Role, User

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
    audit_record(actor=actor, action=events.DEADLINE_CORRECT_START, obj=d, court=d.court_id, case_id=d.case_id,
                 before=before, after=after, reason=reason.strip())
    return d
