"""The parameters of starting and ending a case-limit stop, shared by the API and the browser form
(the browser's fields are generated from these serializers), and the ``clock-stops`` resource."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enforcement.models import User
from enforcement.resources import Resource, register
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec

from ..models import Case
from . import selectors, services
from .models import CaseLimitStop, LimitStopKind


def _is_judge(user: User, case: Case) -> bool:
    return case.judge_id is not None and case.judge_id == user.pk


class StartParams(OccurredAtMixin):
    kind = serializers.ChoiceField(choices=LimitStopKind.choices, label=_("扣除事由"))
    reason = serializers.CharField(max_length=2000, label=_("具体情况"))
    # An unknown id gets the same answer as another court's user: a reply must not reveal users elsewhere.
    approved_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, label=_("审批人（执行局长）"),
        error_messages={"does_not_exist": _("审批人须为本院在职执行局长。")},
    )


class EndParams(OccurredAtMixin):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                   label=_("结束情况"), help_text=_("如公告期满、上级法院已答复、协调完毕"))


# Starting is offered on the case page as its own form (not a transition of the case's state machine).
START = TransitionSpec(
    "start", _("登记审限扣除"), StartParams,
    lambda u, c: c.status in services.STOPPABLE_STATES and _is_judge(u, c),
    lambda *, obj, actor, **p: services.case_limit_stop_start(case=obj, actor=actor, **p),
    style="secondary",
)

registry = Registry()
registry.register(TransitionSpec(
    "end", _("结束扣除（恢复计算审限）"), EndParams,
    lambda u, s: s.is_open and _is_judge(u, s.case),
    lambda *, obj, actor, **p: services.case_limit_stop_end(stop=obj, actor=actor, **p),
    style="secondary",
))


def _case_of(stop: CaseLimitStop) -> Case:
    return stop.case


register(Resource("clock-stops", registry, selectors.stop_for_user, _case_of, _("审限扣除")))
