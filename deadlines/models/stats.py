"""Summary tables behind the supervision indicators (SPEC §8).

The indicators are sums over cases, payments and met deadlines by court and date. Summing millions
of rows per request is too slow (issue "dashboard", item 4), so ``deadlines.metrics.stats_refresh``
folds the base tables into one row per (court, local day) here, and the indicators read these rows:
a subtree and a period are a few thousand small rows whatever the number of cases. Every counter is
bucketed by the local (Asia/Shanghai) date of the event it counts; ``deadlines.metrics`` documents how
each indicator is rebuilt from them. Rebuilt wholesale by the Celery beat task
``deadlines.supervision.tasks.refresh_dashboard_stats_task`` and ``manage.py refresh_dashboard_stats``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.models import Court

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2, "default": Decimal("0.00")}


class CourtDayStats(models.Model):
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # by filing day
    filed = models.IntegerField(default=0)
    # by closing day (cases closed that day)
    closed = models.IntegerField(default=0)
    closed_actual = models.IntegerField(default=0)           # not 终本 / withdrawal-equivalent
    closed_days = models.BigIntegerField(default=0)          # Σ days filing → closure
    closed_first = models.IntegerField(default=0)            # first-enforcement cases
    closed_first_days = models.BigIntegerField(default=0)
    closed_claim = models.DecimalField(**MONEY)              # Σ claim amount
    closed_paid = models.DecimalField(**MONEY)               # Σ money paid to the creditors
    closed_with_property = models.IntegerField(default=0)
    closed_with_property_in_limit = models.IntegerField(default=0)
    closed_late = models.IntegerField(default=0)             # CASE_LIMIT met after its due
    # by the CASE_LIMIT due day: limits exceeded (met late, or open and past due now)
    limit_exceeded = models.IntegerField(default=0)
    # by payment day (disbursements paid that day)
    paid = models.IntegerField(default=0)
    paid_days = models.BigIntegerField(default=0)            # Σ days arrival → payment
    paid_amount = models.DecimalField(**MONEY)
    # by completion day (deadlines met that day, every node)
    nodes_met = models.IntegerField(default=0)
    nodes_on_time = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("指标日汇总")
        verbose_name_plural = _("指标日汇总")
        constraints = [models.UniqueConstraint(fields=["court", "day"], name="uniq_court_day_stats")]
        indexes = [models.Index(fields=["day", "court"], name="court_day_stats_day_idx")]

    def __str__(self) -> str:
        return f"{self.court_id} {self.day}"


class NodeDayStats(models.Model):
    """Deadlines met per (court, local completion day, node): the per-node on-time rate (SPEC §8)."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    node = models.CharField(max_length=40)
    met = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("节点按期完成日汇总")
        verbose_name_plural = _("节点按期完成日汇总")
        constraints = [models.UniqueConstraint(fields=["court", "day", "node"], name="uniq_node_day_stats")]

    def __str__(self) -> str:
        return f"{self.court_id} {self.day} {self.node}"


class StatsRefresh(models.Model):
    """When the summary tables were last rebuilt (shown on the page as the figures' date)."""

    finished_at = models.DateTimeField()
    seconds = models.FloatField()
    rows = models.IntegerField()

    class Meta:
        verbose_name = _("指标汇总刷新记录")
        verbose_name_plural = _("指标汇总刷新记录")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"
