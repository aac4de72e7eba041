"""Deadline rules as data (SPEC §4): rule sets per jurisdiction, with effective dates."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.models import Court


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("个工作日")
    DAYS = "days", _("日")
    MONTHS = "months", _("个月")
    HOURS = "hours", _("小时")
    IMMEDIATELY = "immediately", _("立即")


class RuleSet(models.Model):
    """A jurisdiction's rules. The national set applies everywhere; others apply to the courts
    listed and every court below them, between their effective dates (SPEC §4)."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    source = models.CharField(_("依据文件"), max_length=300)
    applies_everywhere = models.BooleanField(_("全国适用"), default=False)
    courts = models.ManyToManyField(
        Court, verbose_name=_("适用法院（含下级法院）"), blank=True, related_name="rule_sets"
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    effective_to = models.DateField(_("失效日期（含当日）"), null=True, blank=True)
    # Over-seizure threshold etc. live here so a jurisdiction can set them (SPEC §7).
    settings = models.JSONField(_("参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("期限规则集")
        verbose_name_plural = _("期限规则集")
        ordering = ["-applies_everywhere", "code"]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, d) -> bool:
        return (self.effective_from is None or self.effective_from <= d) and (
            self.effective_to is None or d <= self.effective_to
        )


# The rules seeded before versions existed were in force "always": version 1 from this date.
FAR_PAST = date(1900, 1, 1)

# What an edit may change; a change to any of these makes a new version (SPEC §4).
VERSIONED_FIELDS = ("name", "start_event", "period", "unit", "condition", "warn_before_days", "source", "active")


class Rule(models.Model):
    """One version of one timing rule for one node: the node's deadline runs ``period`` ``unit``
    from ``start_event``.

    ``condition`` restricts the rule to subjects whose context matches every key (e.g.
    ``{"government_organ_debtor": true}`` for the 3-month case limit).

    An edit never rewrites history (SPEC §4): it closes this row (``effective_to``) and adds the
    next version (``origin`` = the first version of the rule), in force from a date the admin
    gives. A deadline is timed by the version in force on its start event's ``occurred_at`` and
    keeps pointing at it (``Deadline.bound_rule``).
    """

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("规则集"), on_delete=models.CASCADE, related_name="rules")
    node = models.CharField(_("节点代码"), max_length=40, db_index=True)
    name = models.CharField(_("节点名称"), max_length=100)
    start_event = models.CharField(_("起算事件"), max_length=60)
    period = models.PositiveIntegerField(_("期间"), default=0)
    unit = models.CharField(_("单位"), max_length=20, choices=Unit.choices)
    condition = models.JSONField(_("适用条件"), default=dict, blank=True)
    warn_before_days = models.PositiveSmallIntegerField(
        _("提前预警（日）"), null=True, blank=True, help_text=_("空 = 默认提前 1 个工作日")
    )
    source = models.CharField(_("依据"), max_length=200)
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    origin = models.ForeignKey(
        "self",
        verbose_name=_("首个版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_versions",
    )
    effective_from = models.DateField(_("本版本生效日期"), default=FAR_PAST)
    effective_to = models.DateField(_("本版本失效日期（含当日）"), null=True, blank=True)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["rule_set", "node", "id"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "version"], name="uniq_rule_version"),
        ]
        indexes = [
            models.Index(fields=["rule_set", "effective_from", "effective_to"], name="rule_in_force_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.node} {self.period_display()}（{self.rule_set.name}，第{self.version}版）"

    @property
    def lineage_id(self) -> int:
        """The id shared by every version of this rule (its first version's)."""
        return self.origin_id or self.pk

    def in_force_on(self, d) -> bool:
        return self.effective_from <= d and (self.effective_to is None or d <= self.effective_to)

    def version_display(self) -> str:
        if self.effective_from == FAR_PAST:
            return gettext("第%(version)s版") % {"version": self.version}
        day = f"{self.effective_from:%Y-%m-%d}"
        return gettext("第%(version)s版，自%(day)s起施行") % {"version": self.version, "day": day}

    def period_display(self) -> str:
        if self.unit == Unit.IMMEDIATELY:
            return gettext("立即")
        return gettext("%(period)s%(unit)s") % {"period": self.period, "unit": self.get_unit_display()}

    def matches(self, context: dict) -> bool:
        return all(context.get(k) == v for k, v in self.condition.items())
