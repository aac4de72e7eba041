"""Who may ask for the case floor's approvals: the act's own actor, the case's post judge [001]."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from enforcement.approvals.acts import ApprovalAct, register_act, register_guards
from enforcement.audit import events
from enforcement.errors import InvalidInput
from enforcement.models import ApprovalKind, User

from ..models import Case, Property
from ..rules import OVERRIDABLE_LABELS

JUDGE_ONLY = gettext_lazy("只有本案承办法官可以申请执行局长审批（由承办法官办理该事项）。")
# Appraisal has its own kind; an override names the other overridable guards.
OVERRIDE_CODES = {c: label for c, label in OVERRIDABLE_LABELS.items() if c != "appraisal_not_approved"}


def _is_case_judge(user: User, case: Case) -> bool:
    return user.is_active and case.judge_id is not None and case.judge_id == user.pk


def _property_of(case: Case, code: str, object_id: int | None) -> str:
    if object_id is None:
        return ""
    prop = Property.objects.filter(case_id=case.pk, pk=object_id).first()
    if prop is None:
        raise InvalidInput({"object": [gettext("本案没有该财产。")]})
    return prop.description


def _override_object(case: Case, code: str, object_id: int | None) -> str:
    if code == "termination_too_early":
        if object_id is not None:
            raise InvalidInput({"object": [gettext("以终本方式结案的例外审批针对案件本身，不需指明对象。")]})
        return ""
    return _property_of(case, code, object_id)


def _no_object(case: Case, code: str, object_id: int | None) -> str:
    if object_id is not None:
        raise InvalidInput({"object": [gettext("该审批事项针对案件本身，不需指明对象。")]})
    return ""


def register() -> None:
    register_guards(OVERRIDE_CODES)
    events.register_values("approval_kind", ApprovalKind.choices)
    events.register_values("guard", OVERRIDABLE_LABELS.items())
    for kind, check in ((ApprovalKind.OVERRIDE, _override_object), (ApprovalKind.APPRAISAL, _property_of),
                        (ApprovalKind.SUSPENSION, _no_object), (ApprovalKind.CLOCK_STOP, _no_object)):
        register_act(ApprovalAct(kind, _is_case_judge, JUDGE_ONLY, check))
