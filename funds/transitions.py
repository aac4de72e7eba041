"""Receipt and disbursement transitions offered by the API and the browser (SPEC §13), all calling services.

Registered as resources, so the generic browser endpoint ``/objects/<resource>/<pk>/transitions/<name>/``
and the case page find them.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enforcement import resources
from enforcement.models import Role, User
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec

from . import selectors, services
from .models import Disbursement, DisbursementStatus, HoldGround, Receipt, ReceiptStatus

disbursement_registry = Registry()
receipt_registry = Registry()

OPEN_FOR_HOLD = (DisbursementStatus.PENDING, DisbursementStatus.NOTIFIED)


def _is_judge(user: User, d: Disbursement) -> bool:
    return d.case.judge_id is not None and d.case.judge_id == user.pk


class NotifyParams(OccurredAtMixin):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500, label=_("备注"))


class PayParams(OccurredAtMixin):
    payee_account_no = serializers.CharField(max_length=40, label=_("收款账号"),
                                             help_text=_("须为立案时确认的申请执行人收款账号"))
    bank_ref = serializers.CharField(max_length=64, label=_("银行交易参考号"))
    idempotency_key = serializers.CharField(max_length=100, label=_("幂等键"),
                                            help_text=_("同一幂等键的重复提交只发放一次"))


class HoldParams(OccurredAtMixin):
    reason = serializers.CharField(max_length=2000, label=_("法定事由及理由"))
    ground = serializers.ChoiceField(choices=HoldGround.choices, required=False, default=HoldGround.LEGAL_DEFERRAL,
                                     label=_("暂缓类别"))
    approved_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, label=_("审批人（执行局长）"),
    )


class ApproveHoldParams(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, label=_("审批意见"))


class ReleaseParams(OccurredAtMixin):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   label=_("暂缓事由消除的情况"))


class SplitParams(OccurredAtMixin):
    disputed_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"),
                                               label=_("有争议金额（元）"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, label=_("争议情况"))
    approved_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, label=_("审批人（执行局长）"),
    )


class MatchParams(OccurredAtMixin):
    case = serializers.CharField(
        max_length=60, label=_("案号"), help_text=_("填写案号，如 (2026)豫03执1号；也可填写案件 ID")
    )


disbursement_registry.register(
    TransitionSpec(
        "notify",
        _("发出支付案款通知"),
        NotifyParams,
        lambda u, d: d.status == DisbursementStatus.PENDING and _is_judge(u, d),
        lambda *, obj, actor, **p: services.disbursement_notify(disbursement=obj, actor=actor, **p),
    )
)
disbursement_registry.register(
    TransitionSpec(
        "pay",
        _("发放案款"),
        PayParams,
        lambda u, d: d.status == DisbursementStatus.NOTIFIED and u.has_role(Role.FINANCE),
        lambda *, obj, actor, **p: services.disbursement_pay(disbursement=obj, actor=actor, **p),
    )
)
disbursement_registry.register(
    TransitionSpec(
        "split",
        _("拆分争议部分"),
        SplitParams,
        lambda u, d: d.status in OPEN_FOR_HOLD and _is_judge(u, d),
        lambda *, obj, actor, **p: services.disbursement_split(disbursement=obj, actor=actor, **p),
        style="secondary",
    )
)
disbursement_registry.register(
    TransitionSpec(
        "hold",
        _("暂缓发放/提存"),
        HoldParams,
        lambda u, d: d.status in OPEN_FOR_HOLD and _is_judge(u, d),
        lambda *, obj, actor, **p: services.disbursement_hold(disbursement=obj, actor=actor, **p),
        style="secondary",
    )
)
disbursement_registry.register(
    TransitionSpec(
        "approve_hold",
        _("批准暂缓发放"),
        ApproveHoldParams,
        lambda u, d: d.hold_awaiting_approval and u.has_role(Role.BUREAU_HEAD) and u.court_id == d.case.court_id,
        lambda *, obj, actor, **p: services.disbursement_approve_hold(disbursement=obj, actor=actor, **p),
    )
)
disbursement_registry.register(
    TransitionSpec(
        "release_hold",
        _("解除暂缓（恢复发放）"),
        ReleaseParams,
        lambda u, d: d.status == DisbursementStatus.HELD and _is_judge(u, d),
        lambda *, obj, actor, **p: services.disbursement_release_hold(disbursement=obj, actor=actor, **p),
    )
)

receipt_registry.register(
    TransitionSpec(
        "match",
        _("认领到案件"),
        MatchParams,
        lambda u, r: r.status == ReceiptStatus.UNIDENTIFIED and u.has_role(Role.FINANCE, Role.ADMIN),
        lambda *, obj, actor, **p: services.receipt_match(receipt=obj, actor=actor, **p),
    )
)


def _case_of_receipt(r: Receipt):
    return r.case


resources.register(
    resources.Resource(
        "disbursements",
        disbursement_registry,
        selectors.disbursement_for_user,
        lambda d: d.case,
        _("案款发放"),
    )
)
resources.register(
    resources.Resource(
        "receipts",
        receipt_registry,
        selectors.receipt_for_user,
        _case_of_receipt,
        _("到账款项"),
    )
)
