"""The parameters of the approval acts, shared by the API and the browser forms, and the
``approvals`` resource with its transitions ``approve`` and ``reject`` (SPEC §13)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enforcement.approvals.services import approval_approve, approval_reject, may_decide
from enforcement.models import ApprovalKind, ApprovalRequest
from enforcement.resources import Resource, register
from enforcement.transitions import Registry, TransitionSpec

from . import selectors


class RequestParams(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, label=_("案件"))
    kind = serializers.ChoiceField(choices=ApprovalKind.choices, label=_("审批事项"))
    code = serializers.CharField(max_length=50, required=False, allow_blank=True, default="", label=_("拦截规则"),
                                 help_text=_("申请例外放行时写明被拦截的规则"))
    object = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None, label=_("对象"),
                                      help_text=_("所涉财产、期限等的编号（可不填）"))
    reason = serializers.CharField(max_length=2000, label=_("申请理由"))


class ApproveParams(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("审批意见"))


class RejectParams(serializers.Serializer):
    note = serializers.CharField(max_length=2000, label=_("不予批准的理由"))


registry = Registry()
registry.register(TransitionSpec(
    "approve", _("批准"), ApproveParams, may_decide,
    lambda *, obj, actor, **p: approval_approve(request=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "reject", _("不予批准"), RejectParams, may_decide,
    lambda *, obj, actor, **p: approval_reject(request=obj, actor=actor, **p),
    style="secondary",
))


def _case_of(req: ApprovalRequest):
    return req.case


register(Resource("approvals", registry, selectors.approval_for_user, _case_of, _("审批申请")))
