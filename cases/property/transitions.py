"""Transitions of properties and leads (SPEC §13), for the API and the browser alike."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Lead, LeadStatus, Property, PropertyStatus
from cases.models.property import (
    ALL_CATEGORIES,
    UNDISPOSED,
    ControlMeasure,
    DisposalMethod,
    PropertyType,
    ValuationMethod,
)
from cases.property import services as ps
from enforcement.models import Role, User
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec

property_registry = Registry()
lead_registry = Registry()

MONEY: dict[str, Any] = dict(max_digits=16, decimal_places=2)


def _judge(u: User, case) -> bool:
    return case.judge_id is not None and case.judge_id == u.pk


def _judge_or_officer(u: User, case) -> bool:
    return _judge(u, case) or (u.has_role(Role.OFFICER) and u.court_id == case.court_id)


class ControlParams(OccurredAtMixin):
    measure = serializers.ChoiceField(choices=ControlMeasure.choices, label=_("控制措施"))
    # Each measure has its own particulars (issue 17): a seizure is live or dead and first or waiting in
    # line, a freeze names its amount; the form shows a field only for the measures listed in ``style``.
    mode = serializers.ChoiceField(
        choices=[("live", _("活封")), ("dead", _("死封"))],
        default="live",
        label=_("查封方式"),
        style={"measures": "seize"},
    )
    queue = serializers.ChoiceField(
        choices=[("first", _("首封")), ("waiting", _("轮候"))],
        default="first",
        label=_("查封顺位"),
        style={"measures": "seize,detain"},
    )
    amount = serializers.DecimalField(
        **MONEY, required=False, allow_null=True, label=_("冻结金额（元）"), style={"measures": "freeze"}
    )
    value = serializers.DecimalField(**MONEY, required=False, allow_null=True, label=_("财产价值（元）"))
    online = serializers.BooleanField(required=False, allow_null=True, default=None, label=_("线上控制"))
    previous_close_value = serializers.DecimalField(
        **MONEY, required=False, allow_null=True, label=_("前一交易日收盘市值（上市股票）")
    )


class NoParams(OccurredAtMixin):
    pass


class ValuationParams(OccurredAtMixin):
    method = serializers.ChoiceField(choices=ValuationMethod.choices, label=_("确定参考价方式"))


class PriceParams(OccurredAtMixin):
    amount = serializers.DecimalField(**MONEY, label=_("参考价（元）"))


class DisposalParams(OccurredAtMixin):
    method = serializers.ChoiceField(choices=DisposalMethod.choices, label=_("处置方式"))
    until = serializers.DateTimeField(required=False, allow_null=True, label=_("自行处置期限"))


class AuctionParams(OccurredAtMixin):
    round = serializers.IntegerField(
        min_value=1,
        max_value=99,
        required=False,
        allow_null=True,
        label=_("拍次"),
        help_text=_("第几次拍卖；不填为下一次"),
    )
    announced_at = serializers.DateTimeField(label=_("公告时间"))
    auction_at = serializers.DateTimeField(label=_("拍卖时间"))
    starting_price = serializers.DecimalField(**MONEY, label=_("起拍价（元）"))


class EndSelfDisposalParams(OccurredAtMixin):
    reason = serializers.CharField(max_length=2000, label=_("自行处置结束情况"))


class AuctionResultParams(OccurredAtMixin):
    sold = serializers.BooleanField(label=_("是否成交"))
    price = serializers.DecimalField(**MONEY, required=False, allow_null=True, label=_("成交价（元）"))


class RealizeParams(OccurredAtMixin):
    receipt = serializers.IntegerField(
        min_value=1, label=_("到账记录编号"), help_text=_("本案案款账户收到该笔价款的到账记录（见“执行案款”栏）")
    )


class ReleaseParams(OccurredAtMixin):
    reason = serializers.CharField(max_length=2000, label=_("解除理由"))
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True, label=_("部分解除金额（元）"))


def _p(name, label, params, available, fn, style="primary"):
    property_registry.register(
        TransitionSpec(name, label, params, available, lambda *, obj, actor, **p: fn(prop=obj, actor=actor, **p), style)
    )


_p(
    "control",
    gettext_lazy("采取控制措施"),
    ControlParams,
    lambda u, p: p.status == PropertyStatus.DISCOVERED and _judge(u, p.case),
    ps.property_control,
)
_p(
    "renew",
    gettext_lazy("续行查封/冻结"),
    NoParams,
    lambda u, p: p.status in UNDISPOSED and _judge(u, p.case),
    ps.property_renew,
    "secondary",
)
_p(
    "start_valuation",
    gettext_lazy("启动确定参考价"),
    ValuationParams,
    lambda u, p: p.status == PropertyStatus.CONTROLLED and p.needs_sale and _judge(u, p.case),
    ps.property_start_valuation,
)
_p(
    "set_reference_price",
    gettext_lazy("确定参考价"),
    PriceParams,
    lambda u, p: p.status == PropertyStatus.VALUING and _judge(u, p.case),
    ps.property_set_reference_price,
)
_p(
    "start_disposal",
    gettext_lazy("启动处置"),
    DisposalParams,
    lambda u, p: (
        (
            p.status in (PropertyStatus.VALUED, PropertyStatus.CONTROLLED)
            or (p.status == PropertyStatus.DISPOSING and ps.auction_exhausted(p))
        )
        and p.needs_sale
        and _judge(u, p.case)
    ),
    ps.property_start_disposal,
)
_p(
    "end_self_disposal",
    gettext_lazy("自行处置结束（未成交）"),
    EndSelfDisposalParams,
    lambda u, p: (
        p.status == PropertyStatus.DISPOSING and p.disposal_method == DisposalMethod.SELF_DISPOSAL and _judge(u, p.case)
    ),
    ps.property_end_self_disposal,
    "secondary",
)
_p(
    "schedule_auction",
    gettext_lazy("安排拍卖"),
    AuctionParams,
    lambda u, p: (
        p.status == PropertyStatus.DISPOSING
        and p.disposal_method == "online_auction"
        and not ps.auction_exhausted(p)
        and _judge(u, p.case)
    ),
    ps.property_schedule_auction,
)
_p(
    "record_auction_result",
    gettext_lazy("记录处置结果"),
    AuctionResultParams,
    lambda u, p: p.status == PropertyStatus.DISPOSING and _judge_or_officer(u, p.case),
    ps.property_record_auction_result,
)
_p(
    "realize",
    gettext_lazy("登记价款到账"),
    RealizeParams,
    lambda u, p: (
        (p.status == PropertyStatus.SOLD or (p.status == PropertyStatus.CONTROLLED and not p.needs_sale))
        and _judge(u, p.case)
    ),
    ps.property_realize,
)
_p(
    "release",
    gettext_lazy("解除控制"),
    ReleaseParams,
    lambda u, p: p.status not in (PropertyStatus.REALIZED, PropertyStatus.RELEASED) and _judge(u, p.case),
    ps.property_release,
    "danger",
)


class ConfirmParams(OccurredAtMixin):
    type = serializers.ChoiceField(choices=PropertyType.choices, label=_("财产类型"))
    description = serializers.CharField(required=False, allow_blank=True, default="", label=_("财产情况"))
    value = serializers.DecimalField(**MONEY, required=False, allow_null=True, label=_("估值（元）"))
    online_controllable = serializers.BooleanField(required=False, default=False, label=_("可线上控制"))


class RejectParams(OccurredAtMixin):
    reason = serializers.CharField(max_length=2000, label=_("不予认定理由"))


lead_registry.register(
    TransitionSpec(
        "start_verification",
        gettext_lazy("开始核查"),
        NoParams,
        lambda u, ld: ld.status == LeadStatus.RECEIVED and _judge_or_officer(u, ld.case),
        lambda *, obj, actor, **p: ps.lead_start_verification(lead=obj, actor=actor, **p),
    )
)
lead_registry.register(
    TransitionSpec(
        "confirm",
        gettext_lazy("认定属实（登记财产）"),
        ConfirmParams,
        lambda u, ld: ld.status in (LeadStatus.RECEIVED, LeadStatus.VERIFYING) and _judge(u, ld.case),
        lambda *, obj, actor, **p: ps.lead_confirm(lead=obj, actor=actor, **p),
    )
)
lead_registry.register(
    TransitionSpec(
        "reject",
        gettext_lazy("不予认定"),
        RejectParams,
        lambda u, ld: ld.status in (LeadStatus.RECEIVED, LeadStatus.VERIFYING) and _judge(u, ld.case),
        lambda *, obj, actor, **p: ps.lead_reject(lead=obj, actor=actor, **p),
        style="danger",
    )
)

CATEGORY_CHOICES = [(c, PropertyType(c).label) for c in ALL_CATEGORIES]
__all__ = ["property_registry", "lead_registry", "Lead", "Property", "CATEGORY_CHOICES"]
