"""The working-day calendar (SPEC §3): one row per exceptional date, per calendar.

The national calendar has ``court`` null; a court's local calendar (e.g. an autonomous region's
holidays) layers on the national one for that court and every court below it. A year is
*confirmed* for a calendar when a ``CalendarYear`` row says its schedule was loaded; a period that
runs through an unconfirmed year is computed on weekends alone and marked provisional.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.models import Court


class Calendar(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    court = models.OneToOneField(
        Court, verbose_name=_("适用法院（空=全国）"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="local_calendar",
    )

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        constraints = [
            models.UniqueConstraint(
                fields=["court"], condition=models.Q(court__isnull=True), name="one_national_calendar"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarYear(models.Model):
    """A year whose official schedule has been loaded into a calendar."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("来源"), max_length=200)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已确认年度")
        verbose_name_plural = _("已确认年度")
        ordering = ["calendar", "year"]
        constraints = [models.UniqueConstraint(fields=["calendar", "year"], name="uniq_calendar_year")]

    def __str__(self) -> str:
        return f"{self.calendar} {self.year}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班日")


class CalendarDay(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="uniq_calendar_date")]
        indexes = [models.Index(fields=["date"], name="calendarday_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
