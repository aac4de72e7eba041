"""Enforcement cases and their parties. FSM declarations only; every write is in services.py."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from enforcement import privacy
from enforcement.models import Court


class CaseStatus(models.TextChoices):
    FILED = "filed", _("已立案")
    RECEIVED = "received", _("已移送执行局")
    IN_PROGRESS = "in_progress", _("执行中")
    SUSPENDED = "suspended", _("中止/暂缓")
    CLOSED = "closed", _("已结案")


class Closure(models.TextChoices):
    PERFORMED = "performed", _("执行完毕")
    TERMINATED_ROUND = "terminated_round", _("终结本次执行程序")
    TERMINATED = "terminated", _("终结执行")
    NOT_ENFORCED = "not_enforced", _("不予执行")
    WITHDRAWN = "withdrawn", _("撤回执行申请")
    TRANSFERRED_BANKRUPTCY = "transferred_bankruptcy", _("移送破产审查")


class Track(models.TextChoices):
    UNASSIGNED = "unassigned", _("未分流")
    SIMPLE = "simple", _("简案")
    NORMAL = "normal", _("繁案")


class CaseKind(models.TextChoices):
    FIRST = "first", _("首次执行")
    RESTORED = "restored", _("恢复执行")


class BasisKind(models.TextChoices):
    LITIGATION = "litigation", _("诉讼类（判决书、调解书等）")
    NON_LITIGATION = "non_litigation", _("非诉类（仲裁裁决、公证债权文书等）")


class SuspensionGround(models.TextChoices):
    SUSPENSION = "suspension", _("中止执行")
    POSTPONEMENT = "postponement", _("暂缓执行")
    PERFORMANCE_GRACE = "performance_grace", _("履行宽限期")
    BANKRUPTCY_REVIEW = "bankruptcy_review", _("执转破审查")
    FORCE_MAJEURE = "force_majeure", _("不可抗力（时效中止）")


class Case(FSMModelMixin, models.Model):
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("案号"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    kind = models.CharField(_("案件类型"), max_length=20, choices=CaseKind.choices, default=CaseKind.FIRST)
    restored_from = models.OneToOneField(
        "self", verbose_name=_("原案"), null=True, blank=True, on_delete=models.PROTECT, related_name="restored_as"
    )
    basis = models.TextField(_("执行依据"))
    basis_kind = models.CharField(
        _("执行依据类别"), max_length=20, choices=BasisKind.choices, default=BasisKind.LITIGATION
    )
    # What the enforcement basis is about and who made it, when it took effect (立案信息, issue 17).
    cause = models.CharField(_("案由"), max_length=100, blank=True)
    basis_issuer = models.CharField(_("执行依据作出机关"), max_length=100, blank=True)
    basis_effective_on = models.DateField(_("执行依据生效日期"), null=True, blank=True)
    claim_amount = models.DecimalField(
        _("申请执行标的（元）"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    # Enforcement fees and costs borne by the debtor; with the claim, the measure of over-seizure [004 §15].
    costs = models.DecimalField(_("执行费用（元）"), max_digits=16, decimal_places=2, default=Decimal("0"))
    status = FSMField(_("状态"), default=CaseStatus.FILED, choices=CaseStatus.choices, protected=True)
    closure = models.CharField(_("结案方式"), max_length=30, choices=Closure.choices, blank=True)
    track = models.CharField(_("繁简分流"), max_length=20, choices=Track.choices, default=Track.UNASSIGNED)
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办法官"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases_as_judge",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("立案人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("立案时间"))
    received_at = models.DateTimeField(_("移送执行局时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("承办法官接收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("最近节点时间"))
    # Creditor's payee account, confirmed at filing [004 §20]; the only account money may go to.
    payee_bank = models.CharField(_("收款开户行"), max_length=100)
    payee_account_no = models.CharField(_("收款账号"), max_length=40)
    payee_holder = models.CharField(_("收款户名"), max_length=100)
    payee_method = models.CharField(_("收款方式"), max_length=30, default="bank_transfer")
    # One case, one account [004 §19]: assigned at filing, printed on every notice.
    account_no = models.CharField(_("案款账号"), max_length=40, unique=True)
    # The parties' key to the public progress page (SPEC §10): issued at filing, reissued by the bureau head.
    query_code = models.CharField(_("查询码"), max_length=8, blank=True)
    # Flags (SPEC §6.1 file)
    government_organ_debtor = models.BooleanField(_("被执行人为党政机关"), default=False)
    livelihood = models.BooleanField(_("涉民生案件"), default=False)
    four_kinds = models.BooleanField(_("四类案件"), default=False)
    priority_party = models.BooleanField(_("优先保障当事人（如防疫主体）"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执行案件")
        verbose_name_plural = _("执行案件")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "kind", "seq"], name="uniq_case_court_year_kind_seq"),
            models.CheckConstraint(condition=models.Q(claim_amount__gt=0), name="case_claim_positive"),
            models.UniqueConstraint(fields=["court", "query_code"], condition=~models.Q(query_code=""),
                                    name="uniq_case_query_code_per_court"),
        ]
        indexes = [
            models.Index(fields=["court", "status"], name="case_court_status_idx"),
            models.Index(fields=["judge", "status"], name="case_judge_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    # --- FSM declarations (SPEC §6.1): source/target only; side effects live in services ---
    @transition(field=status, source=CaseStatus.FILED, target=CaseStatus.RECEIVED)
    def receive(self) -> None:
        pass

    @transition(field=status, source=CaseStatus.RECEIVED, target=CaseStatus.IN_PROGRESS)
    def accept(self) -> None:
        pass

    @transition(field=status, source=CaseStatus.IN_PROGRESS, target=CaseStatus.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=status, source=CaseStatus.SUSPENDED, target=CaseStatus.IN_PROGRESS)
    def resume(self) -> None:
        pass

    @transition(field=status, source=CaseStatus.IN_PROGRESS, target=CaseStatus.CLOSED)
    def close(self, closure: str) -> None:
        self.closure = closure

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请执行人")
    RESPONDENT = "respondent", _("被执行人")
    THIRD_PARTY = "third_party", _("案外人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANIZATION = "organization", _("法人或其他组织")


class Party(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("诉讼地位"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("名称/姓名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=PartyKind.choices)
    id_number = models.CharField(_("身份证号/统一社会信用代码"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=100, blank=True)
    service_address = models.CharField(_("送达地址"), max_length=300, blank=True)
    agent_name = models.CharField(_("委托代理人"), max_length=100, blank=True)
    agent_phone = models.CharField(_("代理人联系电话"), max_length=30, blank=True)
    government_organ = models.BooleanField(_("党政机关"), default=False)
    protected = models.BooleanField(_("受保护主体（如防疫主体）"), default=False)
    protected_until = models.DateField(_("保护期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "role", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return privacy.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return privacy.mask_phone(self.phone)


class CaseNumberCounter(models.Model):
    """Per court, year and series, the last sequence number used.

    The row is locked for the rest of the filing transaction, so numbers are unique and gap-free
    under concurrent filing: a filing that rolls back gives its number back. Series: ``first``
    (执), ``restored`` (执恢) and ``account`` (case account numbers, year 0).
    """

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "series"], name="uniq_counter_court_year_series")
        ]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.year}/{self.series}: {self.last}"


class ClockStop(models.Model):
    """A suspension / postponement / grace period: stops the case's running clocks (SPEC §3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clock_stops")
    ground = models.CharField(_("事由"), max_length=30, choices=SuspensionGround.choices)
    reason = models.TextField(_("具体理由"))
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("中止/暂缓记录")
        verbose_name_plural = _("中止/暂缓记录")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.get_ground_display()}（{self.reason}）"


class MilestoneKind(models.TextChoices):
    NOTICE_SENT = "notice_sent", _("已发送执行通知书、报告财产令")
    QUERY_INITIATED = "query_initiated", _("已发起网络查控")
    QUERY_FEEDBACK = "query_feedback", _("网络查控已反馈")
    CREDITOR_INFORMED = "creditor_informed", _("已告知申请执行人调查结果")
    TRACK_SIMPLE = "track_simple", _("分流为简案")
    TRACK_NORMAL = "track_normal", _("分流为繁案")


class Milestone(models.Model):
    """A node recorded on a case that does not change its state (SPEC §6.1, §13 milestones)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("节点"), max_length=30, choices=MilestoneKind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("案件节点")
        verbose_name_plural = _("案件节点")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
