"""Supervision orders, transfers, disputes and delegated tasks. FSM declarations only; every write
is in ``services``. Kept in one module because the four are one area of the case page and the
dashboard, each small (about fifty lines)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

USER = settings.AUTH_USER_MODEL


# --- supervision orders (督促执行 / 督办, [004 §28]) ----------------------------------------------

class SupervisionStatus(models.TextChoices):
    ISSUED = "issued", _("待回复")
    REPLIED = "replied", _("已回复")


class SupervisionOrder(FSMModelMixin, models.Model):
    """An upper court's order on a case below it; the handling court replies within SUPERVISION_REPLY."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="supervision_orders")
    court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("督办法院"), on_delete=models.PROTECT, related_name="+"
    )
    handling_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("承办法院"), on_delete=models.PROTECT, related_name="+"
    )
    instructions = models.TextField(_("督办意见"))
    status = FSMField(_("状态"), default=SupervisionStatus.ISSUED, choices=SupervisionStatus.choices, protected=True)
    issued_by = models.ForeignKey(USER, verbose_name=_("督办人"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("督办时间"))
    reply = models.TextField(_("回复内容"), blank=True)
    replied_by = models.ForeignKey(
        USER, verbose_name=_("回复人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    # Set by the page code for templates (cases.coordination.views).
    forms: list

    class Meta:
        app_label = "cases"
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["court", "status"], name="supervision_court_status_idx")]

    def __str__(self) -> str:
        return f"督办（{self.instructions[:20]}）"

    @transition(field=status, source=SupervisionStatus.ISSUED, target=SupervisionStatus.REPLIED)
    def mark_replied(self) -> None:
        pass


# --- transfers (提级执行 / 指令执行, SPEC §11, [004 §28]) ----------------------------------------


class TransferKind(models.TextChoices):
    TAKE_UP = "take_up", _("提级执行")
    REASSIGN = "reassign", _("指令执行")


class CaseTransfer(models.Model):
    """One move of a case to another court: the number it had there and the one it got; immutable."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("方式"), max_length=20, choices=TransferKind.choices)
    from_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("原承办法院"), on_delete=models.PROTECT, related_name="+"
    )
    to_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("新承办法院"), on_delete=models.PROTECT, related_name="+"
    )
    ordered_by_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("决定法院"), on_delete=models.PROTECT, related_name="+"
    )
    from_number = models.CharField(_("原案号"), max_length=60, db_index=True)
    to_number = models.CharField(_("新案号"), max_length=60, unique=True)
    reason = models.TextField(_("理由"))
    ordered_by = models.ForeignKey(USER, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField(_("移送时间"))

    class Meta:
        app_label = "cases"
        verbose_name = _("提级/指令执行")
        verbose_name_plural = _("提级/指令执行")
        ordering = ["transferred_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.from_number} → {self.to_number}"


# --- inter-court disputes (执行争议协调, [004 §27]) ------------------------------------------------


class DisputeKind(models.TextChoices):
    COURT = "court", _("法院之间的执行争议")
    STATE_ORGAN = "state_organ", _("与其他执法机关的执行争议")


class DisputeStatus(models.TextChoices):
    AWAITING_REFERRAL = "awaiting_referral", _("待报请上级法院")
    REPORTED = "reported", _("已报请协调")
    COORDINATING = "coordinating", _("上级法院协调中")
    RESOLVED = "resolved", _("已作出协调意见")
    IMPLEMENTED = "implemented", _("已落实")


class Dispute(FSMModelMixin, models.Model):
    """A dispute over a case, decided by ``upper_court``: for two courts their lowest common upper
    court (strictly above both); for a state organ the reporting court's own upper court."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="disputes")
    kind = models.CharField(_("争议类型"), max_length=20, choices=DisputeKind.choices, default=DisputeKind.COURT)
    reporting_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("报请法院"), on_delete=models.PROTECT, related_name="+"
    )
    other_court = models.ForeignKey(
        "enforcement.Court",
        verbose_name=_("争议对方法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_organ = models.CharField(_("争议对方机关"), max_length=100, blank=True)
    upper_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("协调法院"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("争议情况"))
    status = FSMField(_("状态"), default=DisputeStatus.REPORTED, choices=DisputeStatus.choices, protected=True)
    reported_by = models.ForeignKey(USER, verbose_name=_("报请人"), on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("报请时间"))
    referred_at = models.DateTimeField(_("报请上级法院时间"), null=True, blank=True)
    coordination_started_at = models.DateTimeField(_("启动协调时间"), null=True, blank=True)
    decision = models.TextField(_("协调意见"), blank=True)
    resolved_by = models.ForeignKey(
        USER, verbose_name=_("协调人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("协调时间"), null=True, blank=True)
    reporting_implemented_at = models.DateTimeField(_("报请法院落实时间"), null=True, blank=True)
    reporting_note = models.TextField(_("报请法院落实情况"), blank=True)
    other_implemented_at = models.DateTimeField(_("对方法院落实时间"), null=True, blank=True)
    other_note = models.TextField(_("对方法院落实情况"), blank=True)
    # The case-limit stop the dispute holds while it is unresolved [SPC2006 §13].
    limit_stop = models.ForeignKey(
        "cases.CaseLimitStop",
        verbose_name=_("审限扣除"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_event_at = models.DateTimeField(_("最近节点时间"))

    # Set by the page code for templates (cases.coordination.views).
    forms: list

    class Meta:
        app_label = "cases"
        verbose_name = _("执行争议")
        verbose_name_plural = _("执行争议")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["upper_court", "status"], name="dispute_upper_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="court", other_court__isnull=False)
                    | models.Q(kind="state_organ", other_court__isnull=True) & ~models.Q(other_organ="")
                ),
                name="dispute_has_other_party",
            ),
        ]

    def __str__(self) -> str:
        return f"执行争议（{self.other_party}）"

    @property
    def other_party(self) -> str:
        return self.other_court.name if self.other_court is not None else self.other_organ

    @property
    def is_open(self) -> bool:
        done = DisputeStatus.IMPLEMENTED if self.kind == DisputeKind.COURT else DisputeStatus.RESOLVED
        return self.status != done

    @property
    def limit_stop_hold(self) -> str:
        return f"dispute:{self.pk}"

    @transition(field=status, source=DisputeStatus.AWAITING_REFERRAL, target=DisputeStatus.REPORTED)
    def refer(self) -> None:
        pass

    @transition(
        field=status,
        source=DisputeStatus.REPORTED,
        target=DisputeStatus.COORDINATING,
        conditions=[lambda d: d.kind == DisputeKind.STATE_ORGAN],  # type: ignore[attr-defined]  # django_fsm types conditions as taking any Model
    )
    def start_coordination(self) -> None:
        pass

    @transition(
        field=status, source=[DisputeStatus.REPORTED, DisputeStatus.COORDINATING], target=DisputeStatus.RESOLVED
    )
    def resolve(self) -> None:
        pass

    @transition(
        field=status,
        source=DisputeStatus.RESOLVED,
        target=DisputeStatus.IMPLEMENTED,
        conditions=[lambda d: d.kind == DisputeKind.COURT],  # type: ignore[attr-defined]  # django_fsm types conditions as taking any Model
    )
    def implement(self) -> None:
        pass


# --- delegated tasks (执行事项委托, [004 §27]) -----------------------------------------------------


class DelegationTask(models.TextChoices):
    INVESTIGATE = "investigate", _("调查")
    SERVE = "serve", _("送达文书")
    CONTROL = "control", _("控制财产")
    OTHER = "other", _("其他事项")


class DelegationStatus(models.TextChoices):
    REQUESTED = "requested", _("待受托法院接受")
    ACCEPTED = "accepted", _("办理中")
    DONE = "done", _("已办结")
    RETURNED = "returned", _("已退回")


class Delegation(FSMModelMixin, models.Model):
    """One task a judge asks another court to do; the entrusted court sees this, never the case."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="delegations")
    from_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("委托法院"), on_delete=models.PROTECT, related_name="+"
    )
    to_court = models.ForeignKey(
        "enforcement.Court", verbose_name=_("受托法院"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.CharField(_("委托事项"), max_length=20, choices=DelegationTask.choices)
    details = models.TextField(_("具体要求"))
    status = FSMField(_("状态"), default=DelegationStatus.REQUESTED, choices=DelegationStatus.choices, protected=True)
    requested_by = models.ForeignKey(USER, verbose_name=_("委托人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("委托时间"))
    accepted_by = models.ForeignKey(
        USER, verbose_name=_("受理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        USER, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    finished_by = models.ForeignKey(
        USER, verbose_name=_("办结/退回人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(_("办结/退回时间"), null=True, blank=True)

    # Set by the page code for templates (cases.coordination.views).
    forms: list
    incoming: bool

    class Meta:
        app_label = "cases"
        verbose_name = _("事项委托")
        verbose_name_plural = _("事项委托")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["to_court", "status"], name="delegation_to_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_task_display()}（{self.to_court_id}）"

    @property
    def last_event_at(self):
        return self.accepted_at or self.requested_at

    @property
    def is_open(self) -> bool:
        return self.status in (DelegationStatus.REQUESTED, DelegationStatus.ACCEPTED)

    @transition(field=status, source=DelegationStatus.REQUESTED, target=DelegationStatus.ACCEPTED)
    def accept(self) -> None:
        pass

    @transition(field=status, source=DelegationStatus.ACCEPTED, target=DelegationStatus.DONE)
    def complete(self) -> None:
        pass

    @transition(
        field=status, source=[DelegationStatus.REQUESTED, DelegationStatus.ACCEPTED], target=DelegationStatus.RETURNED
    )
    def give_back(self) -> None:
        pass
