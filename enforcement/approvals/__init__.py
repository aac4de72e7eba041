"""Approvals (SPEC §11a) and four eyes (SPEC §12): who may approve an act that needs a bureau head.

The request itself -- asked with a reason, approved or rejected from the bureau head's inbox, used
once by the act -- is ``enforcement.models.ApprovalRequest`` with its services in
``enforcement.approvals.services``; the acts register who may ask for them in
``enforcement.approvals.acts``. This module keeps the rule the services and the acts share:

Every service whose act needs an approval (suspension and the other clock stops, overrides of a
§7 guard, appraisal, payee change, holds) checks its approver here, so the rule lives in one place:

* the approver is an active bureau head (执行局长) of the case's own court;
* nobody approves his own request, whatever roles he holds, and the approver of an act is never
  its actor — a user who is both post judge and bureau head cannot approve his own suspension.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext

from enforcement.errors import GuardFailed, InvalidInput, Violation
from enforcement.models import Role, User

APPROVAL_REQUIRED = "approval_required"
SELF_APPROVAL = "self_approval"


def offer(v: Violation, kind: str) -> Violation:
    """The refusal tells the client it may ask the bureau head (``approval_kind`` beside ``code``)."""
    return replace(v, approval_kind=kind)


def is_bureau_head_of(user: User | None, court_id: int) -> bool:
    return (user is not None and user.is_active and user.court_id == court_id
            and user.has_role(Role.BUREAU_HEAD))


def self_approval(*, approver: User, actor: User, what: str) -> Violation | None:
    # SPEC §12 四眼原则: 任何人不得审批本人的申请，审批人不得是被审批行为的实施人。
    if approver.pk == actor.pk:
        return Violation(
            SELF_APPROVAL,
            gettext("%(what)s的审批人不能是办理人本人（%(display_name)s），须由本院其他执行局长审批。")
            % {"what": what, "display_name": actor.display_name},
            "SPEC §12",
        )
    return None


def ensure_approver(
    *, approver: User | None, actor: User, court_id: int, what: str, field: str = "approved_by", required: bool = True
) -> None:
    """Refuse a missing approval (422 ``approval_required``), an approver who is not a bureau head
    of the court (400 on ``field``) and an approval by the actor himself (422 ``self_approval``)."""
    if approver is None:
        if required:
            message = gettext("%(what)s须经本院执行局长批准，请先申请执行局长审批。") % {"what": what}
            raise GuardFailed([Violation(APPROVAL_REQUIRED, message, "SPEC §6.1、§11a")])
        return
    if not is_bureau_head_of(approver, court_id):
        raise InvalidInput({field: [gettext("审批人须为本院在职执行局长。")]})
    v = self_approval(approver=approver, actor=actor, what=what)
    if v:
        raise GuardFailed([v])
