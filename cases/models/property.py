"""Finding and seizing the debtor's property (SPEC §6.2): network queries, creditor leads,
properties and their control, valuation and disposal. FSM declarations only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from .case import Case, Party


class PropertyType(models.TextChoices):
    BANK_DEPOSIT = "bank_deposit", _("银行存款")
    REAL_ESTATE = "real_estate", _("不动产")
    VEHICLE = "vehicle", _("车辆")
    EQUITY = "equity", _("股权")
    SECURITIES = "securities", _("证券")
    INSURANCE = "insurance", _("保险")
    ONLINE_PAYMENT = "online_payment", _("网络支付账户余额")
    OTHER = "other", _("其他财产")


ALL_CATEGORIES = tuple(PropertyType.values)

# What a control lapses by (SPEC §4 CONTROL_EXPIRY): bank freezes 1 year, movables 2, real estate and rights 3.
CONTROL_CLASS: dict[str, str] = {
    PropertyType.BANK_DEPOSIT: "bank",
    PropertyType.ONLINE_PAYMENT: "bank",
    PropertyType.VEHICLE: "movable",
    PropertyType.OTHER: "movable",
    PropertyType.REAL_ESTATE: "immovable",
    PropertyType.EQUITY: "immovable",
    PropertyType.SECURITIES: "immovable",
    PropertyType.INSURANCE: "immovable",
}
# Money needs no sale: a frozen deposit is transferred, not valued and auctioned.
MONEY_TYPES = {PropertyType.BANK_DEPOSIT, PropertyType.ONLINE_PAYMENT}
# Auction announcement: 15 days for movables, 30 for real estate and other rights [001].
LONG_NOTICE_TYPES = {PropertyType.REAL_ESTATE, PropertyType.EQUITY, PropertyType.SECURITIES, PropertyType.INSURANCE}


class QueryChannel(models.TextChoices):
    NATIONAL = "national", _("总对总")
    PROVINCIAL = "provincial", _("点对点")


class PropertyQuery(models.Model):
    """A network property query (网络查控). Complete when feedback covers every requested category."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="queries")
    channels = models.JSONField(_("查询渠道"), default=list)
    categories = models.JSONField(_("查询财产类型"), default=list)
    covered = models.JSONField(_("已反馈类型"), default=list)
    initiated_at = models.DateTimeField(_("发起时间"))
    initiated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("反馈完毕时间"), null=True, blank=True)
    last_event_at = models.DateTimeField()

    class Meta:
        verbose_name = _("网络查控")
        verbose_name_plural = _("网络查控")
        ordering = ["-initiated_at", "-id"]

    def __str__(self) -> str:
        return f"查控#{self.pk}"

    @property
    def complete(self) -> bool:
        return self.completed_at is not None


class QueryFeedback(models.Model):
    query = models.ForeignKey(PropertyQuery, on_delete=models.CASCADE, related_name="feedbacks")
    categories = models.JSONField(_("覆盖类型"), default=list)
    received_at = models.DateTimeField(_("反馈时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("查控反馈")
        verbose_name_plural = _("查控反馈")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"查控#{self.query_id} 反馈 {self.received_at:%Y-%m-%d %H:%M}"


class LeadStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    VERIFYING = "verifying", _("核查中")
    CONFIRMED = "confirmed", _("已核实")
    REJECTED = "rejected", _("不予认定")


class Lead(FSMModelMixin, models.Model):
    """A property lead from the creditor (财产线索) [004 §13], [SPC2006 §6]."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="leads")
    description = models.TextField(_("线索内容"))
    urgent = models.BooleanField(_("紧急"), default=False)
    received_at = models.DateTimeField(_("收到时间"))
    status = FSMField(_("状态"), default=LeadStatus.RECEIVED, choices=LeadStatus.choices, protected=True)
    verification_started_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("核查结果/理由"), blank=True)
    creditor_informed_at = models.DateTimeField(_("告知申请执行人时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_event_at = models.DateTimeField()

    class Meta:
        verbose_name = _("财产线索")
        verbose_name_plural = _("财产线索")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"线索#{self.pk}"

    @transition(field=status, source=LeadStatus.RECEIVED, target=LeadStatus.VERIFYING)
    def start_verification(self) -> None:
        pass

    @transition(field=status, source=[LeadStatus.RECEIVED, LeadStatus.VERIFYING], target=LeadStatus.CONFIRMED)
    def confirm(self) -> None:
        pass

    @transition(field=status, source=[LeadStatus.RECEIVED, LeadStatus.VERIFYING], target=LeadStatus.REJECTED)
    def reject(self) -> None:
        pass


class PropertyStatus(models.TextChoices):
    DISCOVERED = "discovered", _("已发现")
    CONTROLLED = "controlled", _("已控制")
    VALUING = "valuing", _("确定参考价中")
    VALUED = "valued", _("已确定参考价")
    DISPOSING = "disposing", _("处置中")
    SOLD = "sold", _("已变价")
    REALIZED = "realized", _("价款已到账")
    RELEASED = "released", _("已解除控制")


BEFORE_REALIZED = [s for s in PropertyStatus.values if s not in (PropertyStatus.REALIZED, PropertyStatus.RELEASED)]
UNDISPOSED = [PropertyStatus.CONTROLLED, PropertyStatus.VALUING, PropertyStatus.VALUED, PropertyStatus.DISPOSING]
# A seizure or freeze is still in force (its term can lapse) until the money is in or it is released.
LIVE_CONTROL = [*UNDISPOSED, PropertyStatus.SOLD]


class ControlMeasure(models.TextChoices):
    SEIZE = "seize", _("查封")
    DETAIN = "detain", _("扣押")
    FREEZE = "freeze", _("冻结")


class ValuationMethod(models.TextChoices):
    AGREEMENT = "agreement", _("当事人议价")
    ONLINE_INQUIRY = "online_inquiry", _("网络询价")
    DIRECTED_INQUIRY = "directed_inquiry", _("定向询价")
    APPRAISAL = "appraisal", _("委托评估")


class DisposalMethod(models.TextChoices):
    ONLINE_AUCTION = "online_auction", _("网络司法拍卖")
    SALE = "sale", _("变卖")
    SET_OFF = "set_off", _("以物抵债")
    SELF_DISPOSAL = "self_disposal", _("被执行人自行处置")


class ExemptKind(models.TextChoices):
    NONE = "", "—"
    NECESSITIES = "necessities", _("生活必需品")
    RELIEF = "relief", _("救灾、防疫物资或资金")
    DONATION = "donation", _("捐赠款物")


class Property(FSMModelMixin, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="properties")
    owner = models.ForeignKey(Party, verbose_name=_("权利人"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    query = models.ForeignKey(PropertyQuery, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="properties")
    lead = models.OneToOneField(Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="property")
    type = models.CharField(_("财产类型"), max_length=20, choices=PropertyType.choices)
    description = models.TextField(_("财产情况"))
    value = models.DecimalField(_("估值（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    online_controllable = models.BooleanField(_("可线上控制"), default=False)
    exempt_kind = models.CharField(_("豁免类别"), max_length=20, choices=ExemptKind.choices, blank=True, default="")
    status = FSMField(_("状态"), default=PropertyStatus.DISCOVERED, choices=PropertyStatus.choices, protected=True)
    discovered_at = models.DateTimeField(_("发现时间"))
    # control
    measure = models.CharField(_("控制措施"), max_length=10, choices=ControlMeasure.choices, blank=True)
    mode = models.CharField(
        _("查封方式"), max_length=10, choices=[("live", _("活封")), ("dead", _("死封"))], blank=True
    )
    queue = models.CharField(
        _("查封顺位"), max_length=10, choices=[("first", _("首封")), ("waiting", _("轮候"))], blank=True
    )
    freeze_amount = models.DecimalField(_("冻结金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    controlled_value = models.DecimalField(_("控制价值（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    controlled_online = models.BooleanField(_("线上控制"), default=False)
    controlled_at = models.DateTimeField(_("控制时间"), null=True, blank=True)
    control_expires_at = models.DateTimeField(_("控制期限届满"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("续行次数"), default=0)
    # valuation
    valuation_method = models.CharField(_("参考价确定方式"), max_length=20, choices=ValuationMethod.choices, blank=True)
    valuation_started_at = models.DateTimeField(null=True, blank=True)
    reference_price = models.DecimalField(_("处置参考价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    priced_at = models.DateTimeField(null=True, blank=True)
    # disposal
    disposal_method = models.CharField(_("处置方式"), max_length=20, choices=DisposalMethod.choices, blank=True)
    disposal_started_at = models.DateTimeField(null=True, blank=True)
    self_disposal_until = models.DateTimeField(_("自行处置期限"), null=True, blank=True)
    sold_price = models.DecimalField(_("成交价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    sold_at = models.DateTimeField(null=True, blank=True)
    realized_at = models.DateTimeField(null=True, blank=True)
    receipt = models.ForeignKey(
        "funds.Receipt",
        verbose_name=_("到账记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="realized_properties",
    )
    # release
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(_("解除理由"), blank=True)
    released_amount = models.DecimalField(_("已解除冻结金额（元）"), max_digits=16, decimal_places=2, default=0)
    last_event_at = models.DateTimeField()

    class Meta:
        verbose_name = _("财产")
        verbose_name_plural = _("财产")
        ordering = ["case", "id"]
        indexes = [
            models.Index(fields=["case", "status"], name="property_case_status_idx"),
            # The dashboard's "controls lapsing" list reads only measures still in force (SPEC §8).
            models.Index(fields=["control_expires_at"], name="property_control_expiry_idx", include=["case"],
                         condition=models.Q(status__in=LIVE_CONTROL)),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}：{self.description[:30]}"

    @property
    def control_class(self) -> str:
        return CONTROL_CLASS[self.type]

    @property
    def needs_sale(self) -> bool:
        return self.type not in MONEY_TYPES

    # --- FSM (SPEC §6.2) ---
    @transition(field=status, source=PropertyStatus.DISCOVERED, target=PropertyStatus.CONTROLLED)
    def control(self) -> None:
        pass

    @transition(field=status, source=PropertyStatus.CONTROLLED, target=PropertyStatus.CONTROLLED)
    def renew(self) -> None:
        pass

    @transition(field=status, source=PropertyStatus.CONTROLLED, target=PropertyStatus.VALUING)
    def start_valuation(self) -> None:
        pass

    @transition(field=status, source=PropertyStatus.VALUING, target=PropertyStatus.VALUED)
    def set_reference_price(self) -> None:
        pass

    # From disposing only to switch to sale / set-off after the online rounds failed [SPC2016 §26].
    @transition(
        field=status,
        source=[PropertyStatus.VALUED, PropertyStatus.CONTROLLED, PropertyStatus.DISPOSING],
        target=PropertyStatus.DISPOSING,
    )
    def start_disposal(self) -> None:
        pass

    # The debtor's self-disposal ended unsold [004 §17]: back to where the court's procedure stood.
    @transition(
        field=status,
        source=PropertyStatus.DISPOSING,
        target=RETURN_VALUE(PropertyStatus.CONTROLLED, PropertyStatus.VALUED),
    )
    def end_self_disposal(self) -> str:
        return PropertyStatus.VALUED if self.reference_price is not None else PropertyStatus.CONTROLLED

    @transition(field=status, source=PropertyStatus.DISPOSING, target=PropertyStatus.DISPOSING)
    def schedule_auction(self) -> None:
        pass

    @transition(field=status, source=PropertyStatus.DISPOSING, target=PropertyStatus.SOLD)
    def sell(self) -> None:
        pass

    @transition(field=status, source=[PropertyStatus.SOLD, PropertyStatus.CONTROLLED], target=PropertyStatus.REALIZED)
    def realize(self) -> None:
        pass

    @transition(field=status, source=BEFORE_REALIZED, target=PropertyStatus.RELEASED)
    def release(self) -> None:
        pass


class AuctionResult(models.TextChoices):
    PENDING = "pending", _("待拍卖")
    SOLD = "sold", _("成交")
    FAILED = "failed", _("流拍")


class AuctionRound(models.Model):
    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="auction_rounds")
    round_no = models.PositiveSmallIntegerField(_("拍次"))
    announced_at = models.DateTimeField(_("公告时间"))
    auction_at = models.DateTimeField(_("拍卖时间"))
    starting_price = models.DecimalField(_("起拍价（元）"), max_digits=16, decimal_places=2)
    result = models.CharField(_("结果"), max_length=10, choices=AuctionResult.choices, default=AuctionResult.PENDING)
    price = models.DecimalField(_("成交价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("拍卖轮次")
        verbose_name_plural = _("拍卖轮次")
        ordering = ["property", "round_no"]
        constraints = [models.UniqueConstraint(fields=["property", "round_no"], name="uniq_auction_round")]

    def __str__(self) -> str:
        return f"第{self.round_no}拍 {self.get_result_display()}"
