"""Finding and seizing the debtor's property (SPEC §6.2): network queries, creditor leads,
properties and their control, valuation and disposal. FSM declarations only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from .case import Case, Party


class PropertyType(models.TextChoices):
    BANK_DEPOSIT = "bank_deposit", "银行存款"
    REAL_ESTATE = "real_estate", "不动产"
    VEHICLE = "vehicle", "车辆"
    EQUITY = "equity", "股权"
    SECURITIES = "securities", "证券"
    INSURANCE = "insurance", "保险"
    ONLINE_PAYMENT = "online_payment", "网络支付账户余额"
    OTHER = "other", "其他财产"


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
    NATIONAL = "national", "总对总"
    PROVINCIAL = "provincial", "点对点"


class PropertyQuery(models.Model):
    """A network property query (网络查控). Complete when feedback covers every requested category."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="queries")
    channels = models.JSONField("查询渠道", default=list)
    categories = models.JSONField("查询财产类型", default=list)
    covered = models.JSONField("已反馈类型", default=list)
    initiated_at = models.DateTimeField("发起时间")
    initiated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField("反馈完毕时间", null=True, blank=True)
    last_event_at = models.DateTimeField()

    class Meta:
        verbose_name = "网络查控"
        verbose_name_plural = "网络查控"
        ordering = ["-initiated_at", "-id"]

    def __str__(self) -> str:
        return f"查控#{self.pk}"

    @property
    def complete(self) -> bool:
        return self.completed_at is not None


class QueryFeedback(models.Model):
    query = models.ForeignKey(PropertyQuery, on_delete=models.CASCADE, related_name="feedbacks")
    categories = models.JSONField("覆盖类型", default=list)
    received_at = models.DateTimeField("反馈时间")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "查控反馈"
        verbose_name_plural = "查控反馈"
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"查控#{self.query_id} 反馈 {self.received_at:%Y-%m-%d %H:%M}"


class LeadStatus(models.TextChoices):
    RECEIVED = "received", "已接收"
    VERIFYING = "verifying", "核查中"
    CONFIRMED = "confirmed", "已核实"
    REJECTED = "rejected", "不予认定"


class Lead(FSMModelMixin, models.Model):
    """A property lead from the creditor (财产线索) [004 §13], [SPC2006 §6]."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="leads")
    description = models.TextField("线索内容")
    urgent = models.BooleanField("紧急", default=False)
    received_at = models.DateTimeField("收到时间")
    status = FSMField("状态", default=LeadStatus.RECEIVED, choices=LeadStatus.choices, protected=True)
    verification_started_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("核查结果/理由", blank=True)
    creditor_informed_at = models.DateTimeField("告知申请执行人时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_event_at = models.DateTimeField()

    class Meta:
        verbose_name = "财产线索"
        verbose_name_plural = "财产线索"
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
    DISCOVERED = "discovered", "已发现"
    CONTROLLED = "controlled", "已控制"
    VALUING = "valuing", "确定参考价中"
    VALUED = "valued", "已确定参考价"
    DISPOSING = "disposing", "处置中"
    SOLD = "sold", "已变价"
    REALIZED = "realized", "价款已到账"
    RELEASED = "released", "已解除控制"


BEFORE_REALIZED = [s for s in PropertyStatus.values if s not in (PropertyStatus.REALIZED, PropertyStatus.RELEASED)]
UNDISPOSED = [PropertyStatus.CONTROLLED, PropertyStatus.VALUING, PropertyStatus.VALUED, PropertyStatus.DISPOSING]


class ControlMeasure(models.TextChoices):
    SEIZE = "seize", "查封"
    DETAIN = "detain", "扣押"
    FREEZE = "freeze", "冻结"


class ValuationMethod(models.TextChoices):
    AGREEMENT = "agreement", "当事人议价"
    ONLINE_INQUIRY = "online_inquiry", "网络询价"
    DIRECTED_INQUIRY = "directed_inquiry", "定向询价"
    APPRAISAL = "appraisal", "委托评估"


class DisposalMethod(models.TextChoices):
    ONLINE_AUCTION = "online_auction", "网络司法拍卖"
    SALE = "sale", "变卖"
    SET_OFF = "set_off", "以物抵债"
    SELF_DISPOSAL = "self_disposal", "被执行人自行处置"


class ExemptKind(models.TextChoices):
    NONE = "", "—"
    NECESSITIES = "necessities", "生活必需品"
    RELIEF = "relief", "救灾、防疫物资或资金"
    DONATION = "donation", "捐赠款物"


class Property(FSMModelMixin, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="properties")
    owner = models.ForeignKey(Party, verbose_name="权利人", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    query = models.ForeignKey(PropertyQuery, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="properties")
    lead = models.OneToOneField(Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="property")
    type = models.CharField("财产类型", max_length=20, choices=PropertyType.choices)
    description = models.TextField("财产情况")
    value = models.DecimalField("估值（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    online_controllable = models.BooleanField("可线上控制", default=False)
    exempt_kind = models.CharField("豁免类别", max_length=20, choices=ExemptKind.choices, blank=True, default="")
    status = FSMField("状态", default=PropertyStatus.DISCOVERED, choices=PropertyStatus.choices, protected=True)
    discovered_at = models.DateTimeField("发现时间")
    # control
    measure = models.CharField("控制措施", max_length=10, choices=ControlMeasure.choices, blank=True)
    mode = models.CharField("查封方式", max_length=10, choices=[("live", "活封"), ("dead", "死封")], blank=True)
    queue = models.CharField("查封顺位", max_length=10, choices=[("first", "首封"), ("waiting", "轮候")], blank=True)
    freeze_amount = models.DecimalField("冻结金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    controlled_value = models.DecimalField("控制价值（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    controlled_online = models.BooleanField("线上控制", default=False)
    controlled_at = models.DateTimeField("控制时间", null=True, blank=True)
    control_expires_at = models.DateTimeField("控制期限届满", null=True, blank=True)
    renewals = models.PositiveSmallIntegerField("续行次数", default=0)
    # valuation
    valuation_method = models.CharField("参考价确定方式", max_length=20, choices=ValuationMethod.choices, blank=True)
    valuation_started_at = models.DateTimeField(null=True, blank=True)
    reference_price = models.DecimalField("处置参考价（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    priced_at = models.DateTimeField(null=True, blank=True)
    # disposal
    disposal_method = models.CharField("处置方式", max_length=20, choices=DisposalMethod.choices, blank=True)
    disposal_started_at = models.DateTimeField(null=True, blank=True)
    self_disposal_until = models.DateTimeField("自行处置期限", null=True, blank=True)
    sold_price = models.DecimalField("成交价（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    sold_at = models.DateTimeField(null=True, blank=True)
    realized_at = models.DateTimeField(null=True, blank=True)
    receipt = models.ForeignKey("funds.Receipt", verbose_name="到账记录", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="realized_properties")
    # release
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField("解除理由", blank=True)
    released_amount = models.DecimalField("已解除冻结金额（元）", max_digits=16, decimal_places=2, default=0)
    last_event_at = models.DateTimeField()

    class Meta:
        verbose_name = "财产"
        verbose_name_plural = "财产"
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["case", "status"], name="property_case_status_idx")]

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
    @transition(field=status, source=[PropertyStatus.VALUED, PropertyStatus.CONTROLLED, PropertyStatus.DISPOSING],
                target=PropertyStatus.DISPOSING)
    def start_disposal(self) -> None:
        pass

    # The debtor's self-disposal ended unsold [004 §17]: back to where the court's procedure stood.
    @transition(field=status, source=PropertyStatus.DISPOSING,
                target=RETURN_VALUE(PropertyStatus.CONTROLLED, PropertyStatus.VALUED))
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
    PENDING = "pending", "待拍卖"
    SOLD = "sold", "成交"
    FAILED = "failed", "流拍"


class AuctionRound(models.Model):
    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="auction_rounds")
    round_no = models.PositiveSmallIntegerField("拍次")
    announced_at = models.DateTimeField("公告时间")
    auction_at = models.DateTimeField("拍卖时间")
    starting_price = models.DecimalField("起拍价（元）", max_digits=16, decimal_places=2)
    result = models.CharField("结果", max_length=10, choices=AuctionResult.choices, default=AuctionResult.PENDING)
    price = models.DecimalField("成交价（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "拍卖轮次"
        verbose_name_plural = "拍卖轮次"
        ordering = ["property", "round_no"]
        constraints = [models.UniqueConstraint(fields=["property", "round_no"], name="uniq_auction_round")]

    def __str__(self) -> str:
        return f"第{self.round_no}拍 {self.get_result_display()}"
