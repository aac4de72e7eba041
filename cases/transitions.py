"""The case transitions offered by the API and the browser (SPEC §13), all calling services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enforcement.models import Role, User
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec

from . import services
from .models import Case, CaseStatus, Closure, SuspensionGround

registry = Registry()


def _is_judge(user: User, case: Case) -> bool:
    return case.judge_id is not None and case.judge_id == user.pk


class NoParams(OccurredAtMixin):
    pass


class AssignParams(OccurredAtMixin):
    # An unknown id gets the same answer as another court's judge: a reply must not reveal users elsewhere.
    judge = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), label=_("承办法官"),
        error_messages={"does_not_exist": _("承办法官须为本院在职员额法官。")},
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", label=_("理由"))


class SuspendParams(OccurredAtMixin):
    reason = serializers.CharField(label=_("理由"), max_length=2000)
    ground = serializers.ChoiceField(choices=SuspensionGround.choices, required=False, label=_("事由"))
    approved_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, label=_("审批人（执行局长）"),
        error_messages={"does_not_exist": _("审批人须为本院执行局长。")},
    )

    def validate(self, attrs):
        # ``reason`` may itself name a ground code (e.g. "performance_grace") for API clients.
        if "ground" not in attrs:
            reason = attrs["reason"]
            attrs["ground"] = reason if reason in SuspensionGround.values else SuspensionGround.SUSPENSION
        return attrs


class ResumeParams(OccurredAtMixin):
    reason = serializers.CharField(required=False, allow_blank=True, default="", label=_("理由"))


class CloseParams(OccurredAtMixin):
    closure = serializers.ChoiceField(choices=Closure.choices, label=_("结案方式"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class RestoreParams(OccurredAtMixin):
    reason = serializers.CharField(required=False, allow_blank=True, default="", label=_("恢复执行理由"))
    claim_amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True,
                                            label=_("申请执行标的（元）"))


registry.register(TransitionSpec(
    "receive", _("移送执行局（收案）"), NoParams,
    lambda u, c: c.status == CaseStatus.FILED and u.has_role(Role.BUREAU_CLERK, Role.BUREAU_HEAD),
    lambda *, obj, actor, **p: services.case_receive(case=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "assign", _("指定承办法官"), AssignParams,
    lambda u, c: (c.status == CaseStatus.RECEIVED and u.has_role(Role.BUREAU_CLERK, Role.BUREAU_HEAD))
    or (c.status in services.ASSIGNABLE_STATES and u.has_role(Role.BUREAU_HEAD)),
    lambda *, obj, actor, **p: services.case_assign(case=obj, actor=actor, **p),
    style="secondary",
))
registry.register(TransitionSpec(
    "accept", _("接收案件"), NoParams,
    lambda u, c: c.status == CaseStatus.RECEIVED and _is_judge(u, c),
    lambda *, obj, actor, **p: services.case_accept(case=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "suspend", _("中止/暂缓执行"), SuspendParams,
    lambda u, c: c.status == CaseStatus.IN_PROGRESS and _is_judge(u, c),
    lambda *, obj, actor, **p: services.case_suspend(case=obj, actor=actor, **p),
    style="secondary",
))
registry.register(TransitionSpec(
    "resume", _("恢复执行（解除中止）"), ResumeParams,
    lambda u, c: c.status == CaseStatus.SUSPENDED and _is_judge(u, c),
    lambda *, obj, actor, **p: services.case_resume(case=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "close", _("结案"), CloseParams,
    lambda u, c: c.status == CaseStatus.IN_PROGRESS and _is_judge(u, c),
    lambda *, obj, actor, **p: services.case_close(case=obj, actor=actor, **p),
    style="danger",
))
registry.register(TransitionSpec(
    "restore", _("恢复执行（立新案）"), RestoreParams,
    lambda u, c: c.status == CaseStatus.CLOSED and c.closure == Closure.TERMINATED_ROUND and _is_judge(u, c)
    and not hasattr_restored(c),
    lambda *, obj, actor, **p: services.case_restore(case=obj, actor=actor, **p),
))


def hasattr_restored(case: Case) -> bool:
    try:
        return case.restored_as is not None
    except Case.restored_as.RelatedObjectDoesNotExist:
        return False
