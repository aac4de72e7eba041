"""Draft rule sets for the rule what-if (SPEC §11b): a proposed local rule set tried on past cases
before it is adopted. A draft is never applied to live deadlines; adopting it creates a real rule set
effective from a chosen date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.models import Court

from .rules import RuleSet, Unit


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    ADOPTED = "adopted", _("已采用")


class RunStatus(models.TextChoices):
    IDLE = "idle", _("未推演")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("推演中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("推演失败")


class RuleDraft(models.Model):
    """A proposed local rule set for ``court`` and every court below it.

    Like every local rule set its rules add to those in force and the earliest due binds (SPEC §4), so
    the replay shows exactly what adopting it would do: a shorter period tightens a node, a longer one
    changes nothing. ``report`` keeps the last replay (the only thing a replay writes)."""

    court = models.ForeignKey(Court, verbose_name=_("适用法院（含下级法院）"), on_delete=models.PROTECT,
                              related_name="rule_drafts")
    name = models.CharField(_("草案名称"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    period_from = models.DateField(_("推演期间自（立案日期）"))
    period_to = models.DateField(_("推演期间至（立案日期，含当日）"))
    status = models.CharField(_("状态"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    run_status = models.CharField(_("推演状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.IDLE)
    run_progress = models.PositiveSmallIntegerField(_("推演进度（%）"), default=0)
    run_started_at = models.DateTimeField(_("推演开始"), null=True, blank=True)
    run_finished_at = models.DateTimeField(_("推演完成"), null=True, blank=True)
    run_error = models.TextField(_("推演错误"), blank=True)
    report = models.JSONField(_("最近推演结果"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("采用人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    adopted_rule_set = models.OneToOneField(RuleSet, verbose_name=_("采用后的规则集"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="draft")

    class Meta:
        verbose_name = _("规则草案")
        verbose_name_plural = _("规则草案")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class DraftRule(models.Model):
    """One rule of a draft. A copied rule keeps its ``origin`` (the rule in force it was copied from);
    it takes part in the replay only once it differs from the origin. An added rule has no origin."""

    draft = models.ForeignKey(RuleDraft, verbose_name=_("草案"), on_delete=models.CASCADE, related_name="rules")
    origin = models.ForeignKey("deadlines.Rule", verbose_name=_("复制自"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    node = models.CharField(_("节点代码"), max_length=40)
    name = models.CharField(_("节点名称"), max_length=100)
    start_event = models.CharField(_("起算事件"), max_length=60)
    period = models.PositiveIntegerField(_("期间"), default=0)
    unit = models.CharField(_("单位"), max_length=20, choices=Unit.choices)
    condition = models.JSONField(_("适用条件"), default=dict, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("草案规则")
        verbose_name_plural = _("草案规则")
        ordering = ["draft", "node", "id"]

    def __str__(self) -> str:
        return f"{self.node} {self.period}{self.get_unit_display()}"

    @property
    def changed(self) -> bool:
        o = self.origin
        if o is None:
            return True
        return (self.period, self.unit, self.start_event) != (o.period, o.unit, o.start_event)
