"""The parameters of every coordination act (shared by the API and the browser forms) and the
transitions of the three resources with a state machine: ``supervision-orders`` (reply),
``disputes`` (refer, start_coordination, resolve, implement) and ``delegations`` (accept,
complete, return). A row's ``available`` is role + state only; the service checks everything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enforcement.models import Court, Role, User
from enforcement.text import Text
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec

from . import services
from .models import (
    Delegation,
    DelegationTask,
    Dispute,
    DisputeKind,
    DisputeStatus,
    TransferKind,
)
from .services.common import UPPER_ROLES
from .services.delegations import may_accept, may_finish
from .services.disputes import IMPLEMENT_ROLES
from .services.supervision import may_reply

# An unknown id gets the same answer as one the caller may not use: a reply reveals nothing elsewhere.
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COURT_UNKNOWN: dict[str, StrOrPromise] = {"does_not_exist": _("法院不存在。"), "incorrect_type": _("须为法院 id。")}


def court_field(label: Text, *, required: bool = True) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=Court.objects.all(), label=str(label), required=required,
                                              allow_null=not required, error_messages=COURT_UNKNOWN)


class IssueOrderParams(OccurredAtMixin):
    instructions = serializers.CharField(max_length=4000, label=_("督办意见"),
                                         help_text=_("要求承办法院采取的措施、报告的事项"))


class ReplyParams(OccurredAtMixin):
    reply = serializers.CharField(max_length=4000, label=_("回复内容"), help_text=_("已采取的措施和结果"))


class TransferParams(OccurredAtMixin):
    kind = serializers.ChoiceField(choices=TransferKind.choices, label=_("方式"))
    to_court = court_field(_("接收法院"), required=False)
    reason = serializers.CharField(max_length=2000, label=_("理由"),
                                   help_text=_("指令执行须有利于及时公正执行，不得以此拖延执行 [004 §28]"))


class DisputeParams(OccurredAtMixin):
    kind = serializers.ChoiceField(choices=DisputeKind.choices, default=DisputeKind.COURT, label=_("争议类型"))
    other_court = court_field(_("对方法院"), required=False)
    other_organ = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                        label=_("对方执法机关"), help_text=_("与检察、公安、税务等机关的争议时填写"))
    summary = serializers.CharField(max_length=4000, label=_("争议情况"), help_text=_("争议事项及协商经过"))


class DisputeCreateParams(DisputeParams):
    case = serializers.IntegerField(min_value=1, label=_("案件"))


class ResolveParams(OccurredAtMixin):
    decision = serializers.CharField(max_length=4000, label=_("协调意见"))


class ImplementParams(OccurredAtMixin):
    note = serializers.CharField(max_length=2000, label=_("落实情况"))


class CoordinationParams(OccurredAtMixin):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("协调安排"))


class DelegationParams(OccurredAtMixin):
    to_court = court_field(_("受托法院"))
    task = serializers.ChoiceField(choices=DelegationTask.choices, label=_("委托事项"))
    details = serializers.CharField(max_length=4000, label=_("具体要求"),
                                    help_text=_("财产所在地、送达对象等受托法院办理所需的信息"))


class DelegationCreateParams(DelegationParams):
    case = serializers.IntegerField(min_value=1, label=_("案件"))


class AcceptParams(OccurredAtMixin):
    handler = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), label=_("承办人"),
        error_messages={"does_not_exist": _("承办人须为受托法院在职的员额法官或执行员。")},
    )


class CompleteParams(OccurredAtMixin):
    result = serializers.CharField(max_length=4000, label=_("办理结果"))


class ReturnParams(OccurredAtMixin):
    reason = serializers.CharField(max_length=2000, label=_("退回理由"))


# --- supervision orders -----------------------------------------------------------------------

order_registry = Registry()
order_registry.register(TransitionSpec(
    "reply", _("回复督办"), ReplyParams, may_reply,
    lambda *, obj, actor, **p: services.supervision_order_reply(order=obj, actor=actor, **p),
))


# --- disputes --------------------------------------------------------------------------------

def _upper(u: User, d: Dispute) -> bool:
    return u.court_id == d.upper_court_id and u.has_role(*UPPER_ROLES)


def _may_implement(u: User, d: Dispute) -> bool:
    if d.status != DisputeStatus.RESOLVED or not u.has_role(*IMPLEMENT_ROLES):
        return False
    if u.court_id == d.reporting_court_id:
        return d.reporting_implemented_at is None
    return u.court_id == d.other_court_id and d.other_implemented_at is None


dispute_registry = Registry()
dispute_registry.register(TransitionSpec(
    "refer", _("报请上级法院协调"), OccurredAtMixin,
    lambda u, d: d.status == DisputeStatus.AWAITING_REFERRAL and u.court_id == d.reporting_court_id
    and u.has_role(Role.BUREAU_HEAD),
    lambda *, obj, actor, **p: services.dispute_refer(dispute=obj, actor=actor, **p),
))
dispute_registry.register(TransitionSpec(
    "start_coordination", _("启动与有关部门的协调"), CoordinationParams,
    lambda u, d: d.kind == DisputeKind.STATE_ORGAN and d.status == DisputeStatus.REPORTED and _upper(u, d),
    lambda *, obj, actor, **p: services.dispute_start_coordination(dispute=obj, actor=actor, **p),
))
dispute_registry.register(TransitionSpec(
    "resolve", _("作出协调意见"), ResolveParams,
    lambda u, d: _upper(u, d) and d.status == (
        DisputeStatus.REPORTED if d.kind == DisputeKind.COURT else DisputeStatus.COORDINATING),
    lambda *, obj, actor, **p: services.dispute_resolve(dispute=obj, actor=actor, **p),
))
dispute_registry.register(TransitionSpec(
    "implement", _("登记落实情况"), ImplementParams, _may_implement,
    lambda *, obj, actor, **p: services.dispute_implement(dispute=obj, actor=actor, **p),
))


# --- delegations -----------------------------------------------------------------------------

def _may_return(u: User, d: Delegation) -> bool:
    return may_accept(u, d) or may_finish(u, d)


delegation_registry = Registry()
delegation_registry.register(TransitionSpec(
    "accept", _("接受并指定承办人"), AcceptParams, may_accept,
    lambda *, obj, actor, **p: services.delegation_accept(delegation=obj, actor=actor, **p),
))
delegation_registry.register(TransitionSpec(
    "complete", _("办结"), CompleteParams, may_finish,
    lambda *, obj, actor, **p: services.delegation_complete(delegation=obj, actor=actor, **p),
))
delegation_registry.register(TransitionSpec(
    "return", _("退回"), ReturnParams, _may_return,
    lambda *, obj, actor, **p: services.delegation_return(delegation=obj, actor=actor, **p),
    style="secondary",
))
