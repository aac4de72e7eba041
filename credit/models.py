"""Credit sanctions (SPEC §6.4): consumption restriction, dishonest listing, exit ban.

FSM declarations only; every write is in services.py. States:
``proposed`` → ``decided`` (decision made; ``served_at`` once served) → ``grace`` (optional, 1–3
months, not published [003 §8]) → ``active`` (published, pushed to the credit platform) →
``lifted`` / ``shielded``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from cases.models import Case, Party
from enforcement.models import Court

if TYPE_CHECKING:
    from deadlines.models import Deadline

    from .forms import CorrectionDecideForm, CorrectionForm


class SanctionKind(models.TextChoices):
    CONSUMPTION_RESTRICTION = "consumption_restriction", _("限制消费")
    DISHONEST_LIST = "dishonest_list", _("纳入失信被执行人名单")
    EXIT_BAN = "exit_ban", _("限制出境")


class ListingGround(models.TextChoices):
    """The six statutory grounds of a dishonest listing (SPEC §6.4; 最高人民法院关于公布失信被执行人
    名单信息的若干规定 第一条). Ground 1 has no fixed term; grounds 2–6 are listed for two years."""

    ABLE_BUT_REFUSES = "able_but_refuses", _("有履行能力而拒不履行生效法律文书确定义务")
    OBSTRUCTS_BY_FRAUD_VIOLENCE = "obstructs_by_fraud_violence", _("以伪造证据、暴力、威胁等方法妨碍、抗拒执行")
    FALSE_LITIGATION_OR_EVASION = (
        "false_litigation_or_evasion", _("以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行")
    )
    PROPERTY_REPORT_BREACH = "property_report_breach", _("违反财产报告制度")
    RESTRICTION_BREACH = "restriction_breach", _("违反限制消费令")
    SETTLEMENT_BREACH = "settlement_breach", _("无正当理由拒不履行执行和解协议")


# Grounds 2–6 carry a two-year listing term, extendable by one to three years (规定 第二条).
TERMED_GROUNDS = frozenset(ListingGround.values) - {ListingGround.ABLE_BUT_REFUSES}
LISTING_TERM_MONTHS = 24


class SanctionStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟采取")
    DECIDED = "decided", _("已决定")
    GRACE = "grace", _("宽限期内")
    ACTIVE = "active", _("已发布（生效）")
    LIFTED = "lifted", _("已解除")
    SHIELDED = "shielded", _("已屏蔽")


OPEN_SANCTION_STATUSES = (SanctionStatus.PROPOSED, SanctionStatus.DECIDED, SanctionStatus.GRACE,
                          SanctionStatus.ACTIVE)
LIFTABLE_STATUSES = (SanctionStatus.DECIDED, SanctionStatus.GRACE, SanctionStatus.ACTIVE)


class LiftReason(models.TextChoices):
    PERFORMED = "performed", _("被执行人履行完毕")
    GUARANTEE = "guarantee", _("被执行人提供有效担保")
    CONSENT = "consent", _("申请执行人同意解除")
    REPRESENTATIVE_CHANGE = "representative_change", _("法定代表人变更（解除对原法定代表人的限制）")
    PROTECTED = "protected", _("受保护主体（防疫主体等）暂时解除")
    CORRECTED = "corrected", _("经纠正申请审查予以纠正")
    EXPIRED = "expired", _("失信期限届满")


# The grounds that start the RESTRICTION_LIFT clock [004 §23].
LIFT_GROUNDS = (LiftReason.PERFORMED, LiftReason.GUARANTEE, LiftReason.CONSENT, LiftReason.REPRESENTATIVE_CHANGE)
# What a judge may give as the reason of ``lift``; ``corrected`` and ``expired`` are set by their services.
JUDGE_LIFT_REASONS = (*LIFT_GROUNDS, LiftReason.PROTECTED)


class Sanction(FSMModelMixin, models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="sanctions")
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Party, verbose_name=_("被执行人"), on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("惩戒措施"), max_length=30, choices=SanctionKind.choices)
    ground = models.CharField(_("事由"), max_length=40, choices=ListingGround.choices, blank=True)
    # For an organisation: the legal representative, principal persons in charge, persons directly
    # responsible and actual controller named in the decision ([000 §8] lists them), each
    # {"name", "role", "id_number"}.
    persons = models.JSONField(_("限制的有关人员"), default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # A dishonest listing restricts consumption too [004 §23]: the restriction created with it.
    companion_of = models.ForeignKey(
        "self", verbose_name=_("随失信名单采取"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="companions",
    )
    status = FSMField(_("状态"), default=SanctionStatus.PROPOSED, choices=SanctionStatus.choices, protected=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    served_at = models.DateTimeField(_("决定书送达时间"), null=True, blank=True)
    grace_months = models.PositiveSmallIntegerField(_("宽限期（月）"), null=True, blank=True)
    grace_until = models.DateField(_("宽限期至"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    term_until = models.DateField(_("失信期限至"), null=True, blank=True)
    extended_years = models.PositiveSmallIntegerField(_("延长年数"), null=True, blank=True)
    lift_ground = models.CharField(_("解除事由"), max_length=30, choices=LiftReason.choices, blank=True)
    lift_ground_at = models.DateTimeField(_("解除事由发生时间"), null=True, blank=True)
    lift_urgent = models.BooleanField(_("申请立即解除（情况紧急）"), default=False)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lift_reason = models.CharField(_("解除原因"), max_length=30, choices=LiftReason.choices, blank=True)
    shielded_at = models.DateTimeField(_("屏蔽时间"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("最近节点时间"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by the page code for templates (credit.web).
    status_badge: str
    open_deadlines: list[Deadline]
    transition_forms: list
    correction_list: list[CorrectionRequest]
    correction_form: CorrectionForm | None

    class Meta:
        verbose_name = _("信用惩戒措施")
        verbose_name_plural = _("信用惩戒措施")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="dishonest_list") | ~models.Q(ground=""),
                name="sanction_listing_has_ground",
            ),
            models.CheckConstraint(
                condition=models.Q(grace_months__isnull=True) | models.Q(grace_months__gte=1, grace_months__lte=3),
                name="sanction_grace_1_to_3_months",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "kind"], name="sanction_court_status_idx"),
            models.Index(fields=["case", "status"], name="sanction_case_status_idx"),
            models.Index(fields=["status", "term_until"], name="sanction_expiry_idx",
                         condition=models.Q(term_until__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.party.name}"

    # --- FSM declarations (SPEC §6.4): source/target only; side effects live in services ---
    @transition(field=status, source=SanctionStatus.PROPOSED, target=SanctionStatus.DECIDED)
    def decide(self) -> None:
        pass

    @transition(field=status, source=SanctionStatus.DECIDED, target=SanctionStatus.GRACE)
    def grant_grace(self) -> None:
        pass

    @transition(field=status, source=[SanctionStatus.DECIDED, SanctionStatus.GRACE], target=SanctionStatus.ACTIVE)
    def publish(self) -> None:
        pass

    @transition(field=status, source=list(LIFTABLE_STATUSES), target=SanctionStatus.LIFTED)
    def lift(self) -> None:
        pass

    @transition(field=status, source=SanctionStatus.ACTIVE, target=SanctionStatus.SHIELDED)
    def shield(self) -> None:
        pass

    @property
    def is_listing(self) -> bool:
        return self.kind == SanctionKind.DISHONEST_LIST

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_SANCTION_STATUSES


class CorrectionOutcome(models.TextChoices):
    PENDING = "pending", _("审查中")
    CORRECTED = "corrected", _("予以纠正")
    REJECTED = "rejected", _("驳回申请")


class CorrectionRequest(models.Model):
    """A party's request to correct a listing, reviewed promptly (CORRECTION_REPLY, [004 §23])."""

    sanction = models.ForeignKey(Sanction, verbose_name=_("惩戒措施"), on_delete=models.PROTECT,
                                 related_name="corrections")
    received_at = models.DateTimeField(_("收到时间"))
    content = models.TextField(_("申请内容"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    outcome = models.CharField(_("审查结果"), max_length=20, choices=CorrectionOutcome.choices,
                               default=CorrectionOutcome.PENDING)
    outcome_note = models.TextField(_("审查意见"), blank=True)
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    # Set by the page code for templates (credit.web).
    review_form: CorrectionDecideForm | None

    class Meta:
        verbose_name = _("失信纠正申请")
        verbose_name_plural = _("失信纠正申请")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"纠正申请 #{self.pk}（{self.get_outcome_display()}）"


class PlatformAction(models.TextChoices):
    PUBLISH = "publish", _("发布")
    SHIELD = "shield", _("屏蔽")
    LIFT = "lift", _("解除/删除")
    EXTEND = "extend", _("延长期限")


class PlatformMessageStatus(models.TextChoices):
    QUEUED = "queued", _("待推送")
    SENT = "sent", _("已推送")


class CreditPlatformMessage(models.Model):
    """Messages to the credit platform (征信/失信名单库): written in the acting transaction, delivered
    after commit through the outbox (topic ``credit.platform``: ``credit.delivery.deliver``). ``key``
    is unique and sent with the message, so a re-delivery is recognised by the platform and a second
    row is never written."""

    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="platform_messages")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=20, choices=PlatformAction.choices)
    key = models.CharField(_("幂等键"), max_length=80, unique=True)
    payload = models.JSONField(_("报文"))
    status = models.CharField(_("状态"), max_length=10, choices=PlatformMessageStatus.choices,
                              default=PlatformMessageStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("推送次数"), default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("征信平台推送")
        verbose_name_plural = _("征信平台推送")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="credit_msg_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.sanction_id}（{self.get_status_display()}）"
