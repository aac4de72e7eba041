"""A stop of the case limit (CASE_LIMIT only), with its reason, approver and start and end."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LimitStopKind(models.TextChoices):
    # [SPC2006 §13]: 公告送达、请示上级法院、执行争议协调期间不计入执行期限.
    PUBLIC_NOTICE = "public_notice", _("公告送达")
    INSTRUCTION_REQUEST = "instruction_request", _("请示上级法院")
    DISPUTE_COORDINATION = "dispute_coordination", _("执行争议协调")


class CaseLimitStop(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="limit_stops")
    kind = models.CharField(_("扣除事由"), max_length=30, choices=LimitStopKind.choices)
    reason = models.TextField(_("具体情况"))
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办法官"), on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人（执行局长）"),
                                    on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("结束登记人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    end_note = models.TextField(_("结束情况"), blank=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    # Set by the page code for templates (cases.clockstops.views).
    forms: list

    class Meta:
        app_label = "cases"
        verbose_name = _("审限扣除")
        verbose_name_plural = _("审限扣除")
        ordering = ["started_at", "id"]
        constraints = [
            # One open stop of a kind per case: a second public notice starts when the first has ended.
            models.UniqueConstraint(fields=["case", "kind"], condition=models.Q(ended_at__isnull=True),
                                    name="uniq_open_limit_stop_per_kind"),
            models.CheckConstraint(condition=models.Q(ended_at__isnull=True)
                                   | models.Q(ended_at__gte=models.F("started_at")),
                                   name="limit_stop_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.reason[:20]}）"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def hold(self) -> str:
        """The name this stop holds CASE_LIMIT by (deadlines.services.deadlines_hold)."""
        return f"case_stop:{self.pk}"
