"""Deadline instances and the alerts the scan raises on them (SPEC §4, §5)."""

from __future__ import annotations

import operator
from datetime import datetime
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.models import Court

from .rules import Rule, Unit


class DeadlineStatus(models.TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("已暂停")
    MET = "met", _("已完成")
    BREACHED = "breached", _("已超期")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED, DeadlineStatus.BREACHED)

# A clock still to be acted on: open, and not ended with its subject. A breached clock whose case
# was closed (or whose property was released, sanction lifted) keeps ``breached`` for ever but gets
# ``completed_at`` — the moment it stopped running (SPEC §4 "A breach is a fact of time").
OPEN_Q = Q(status__in=OPEN_STATUSES, completed_at__isnull=True)


def status_at(status: str, due_at: datetime, now: datetime) -> str:
    """The status a reader must see at ``now``: a running clock whose due has passed is breached,
    whether or not the scan has marked it yet (SPEC §4 "A breach is a fact of time")."""
    if status == DeadlineStatus.RUNNING and due_at < now:
        return DeadlineStatus.BREACHED
    return status


class DeadlineQuerySet(models.QuerySet):
    """Reads by status go through here, so a filter agrees with what the row shows (``status_at``)."""

    def open(self) -> DeadlineQuerySet:
        return self.filter(OPEN_Q)

    def with_status(self, status: str, *, now: datetime | None = None) -> DeadlineQuerySet:
        return self.filter(status_q(status, now=now))

    def breached(self, *, now: datetime | None = None) -> DeadlineQuerySet:
        return self.with_status(DeadlineStatus.BREACHED, now=now)


def status_parts(status: str, *, now: datetime | None = None, prefix: str = "") -> list[Q]:
    """The condition for "reads as ``status`` at ``now``" as disjoint conditions, each one index
    range: "breached" is a row marked breached, or a running row past its due that the scan has not
    reached yet (SPEC §4: a breach is a fact of time). Counted part by part, a count reads only
    the matching index entries."""
    now = now or timezone.now()
    f = lambda name: f"{prefix}{name}"  # noqa: E731
    if status == DeadlineStatus.BREACHED:
        return [Q(**{f("status"): DeadlineStatus.BREACHED}),
                Q(**{f("status"): DeadlineStatus.RUNNING, f("due_at__lt"): now})]
    if status == DeadlineStatus.RUNNING:
        return [Q(**{f("status"): DeadlineStatus.RUNNING, f("due_at__gte"): now})]
    return [Q(**{f("status"): status})]


def status_q(status: str, *, now: datetime | None = None, prefix: str = "") -> Q:
    """The condition for "reads as ``status`` at ``now``" (the database twin of ``status_at``)."""
    return reduce(operator.or_, status_parts(status, now=now, prefix=prefix))


class AlertLevel(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    BREACHED = "breached", _("已超期")
    ESCALATED = "escalated", _("超期未处理（升级）")


class Deadline(models.Model):
    """One node's clock for one subject (a case, property, receipt, sanction …).

    ``next_alert_at`` is when the scan must next look at this row (``due_soon_at``, the start of the
    due-soon window, then the due time, then ``escalate_at``); it is NULL once nothing more can be raised or
    while the clock is stopped. The scan reads only rows whose ``next_alert_at`` has passed, through
    a partial index, so its cost grows with what is due, never with the number of cases (SPEC §5).
    """

    node = models.CharField(_("节点"), max_length=40)
    bound_rule = models.ForeignKey(Rule, verbose_name=_("约束规则"), on_delete=models.PROTECT, related_name="+")
    # No single-column indexes on case, court, responsible: the composite indexes below lead with
    # them, and every index is one more write for each row the scan moves on.
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.CASCADE,
                             db_index=False,
                             related_name="deadlines")
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+", db_index=False)
    subject_type = models.CharField(_("对象类型"), max_length=30)
    subject_id = models.BigIntegerField(_("对象"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True,
                                    db_index=False,
                                    on_delete=models.SET_NULL, related_name="deadlines")
    start_event = models.CharField(_("起算事件"), max_length=60)
    started_at = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("届满时间"))
    unit = models.CharField(max_length=20, choices=Unit.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.RUNNING)
    provisional = models.BooleanField(_("暂定（日历未确认）"), default=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_late = models.BooleanField(_("逾期完成"), default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    # The open stops holding a paused clock (SPEC §3 "Clock stops"): "suspension" (中止/暂缓/宽限),
    # "case_stop:<id>" (公告送达、请示、争议协调, CASE_LIMIT only), "self_disposal" … The clock runs
    # again only when the last of them ends, so overlapping stops count their union once.
    holds = models.JSONField(default=list, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True)
    # The moments each alert level falls due, stored whenever the due is set or shifted
    # (``deadlines.services.set_alert_moments``): the scan compares columns, no calendar arithmetic.
    due_soon_at = models.DateTimeField(_("即将到期提醒时间"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("超期升级时间"), null=True, blank=True)
    alert_level = models.CharField(max_length=10, choices=AlertLevel.choices, blank=True)
    # Every rule evaluated for this node, with its due: [{"rule": id, "due": iso, "event", "started_at"}].
    candidates = models.JSONField(default=list)
    # Clock stops applied: [{"from": iso, "to": iso, "old_due": iso, "new_due": iso, "lost": "3 个工作日"}].
    shifts = models.JSONField(default=list)
    # Start corrections by the bureau head (SPEC §4): [{"at", "by", "by_name", "reason", "before", "after"}].
    corrections = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeadlineQuerySet.as_manager()

    # Set by the page code for templates (cases.sections, funds.web).
    light: str
    light_label: str
    node_name: str
    subject_label: str

    class Meta:
        verbose_name = _("节点期限")
        verbose_name_plural = _("节点期限")
        ordering = ["due_at", "id"]
        constraints = [
            # One open clock per node and subject; a met or cancelled one, or a breach that ended with
            # its subject, may be followed by a new one.
            models.UniqueConstraint(
                fields=["node", "subject_type", "subject_id"],
                condition=models.Q(status__in=["running", "paused", "breached"], completed_at__isnull=True),
                name="uniq_open_deadline_per_node_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["next_alert_at"], name="deadline_scan_idx",
                         condition=models.Q(next_alert_at__isnull=False)),
            models.Index(fields=["case", "status"], name="deadline_case_idx"),
            models.Index(fields=["court", "status", "due_at"], name="deadline_court_idx"),
            models.Index(fields=["responsible", "status", "due_at"], name="deadline_resp_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject_idx"),
            # The supervisors' watch lists count open clocks of one node in a court subtree (past CASE_LIMIT,
            # 终本 reviews due, restrictions awaiting lifting) without reading the closed history.
            # ``GET /api/v1/deadlines/`` in its order (due, id), first and last page alike (issue 16) …
            models.Index(fields=["due_at", "id"], name="deadline_due_idx"),
            # … and the open clocks alone in that order, so a list of open clocks (a watch list, a
            # status filter) walks them, not the closed history that the index above mostly holds.
            models.Index(fields=["due_at", "id"], name="deadline_open_due_idx",
                         condition=models.Q(status__in=["running", "breached"], completed_at__isnull=True)),
            # Only clocks still open (a breach kept when its case closed carries ``completed_at``):
            # the counts are index-only and the index stays the size of the open work.
            models.Index(fields=["node", "court", "due_at"], name="deadline_open_node_idx",
                         condition=models.Q(status__in=["running", "breached"], completed_at__isnull=True)),
            # ``GET /api/v1/deadlines/?rule=…`` counts every clock of one node in a court subtree, history
            # included: index-only, and small (a key repeats, so the index stores it once per run).
            models.Index(fields=["node", "court"], name="deadline_node_court_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.node} → {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.completed_at is None

    def status_at(self, now: datetime) -> str:
        return status_at(self.status, self.due_at, now)

    @property
    def current_status(self) -> str:
        """What every read reports (API, pages, exports): breached as soon as the due has passed."""
        return self.status_at(timezone.now())

    def get_current_status_display(self) -> str:
        return str(DeadlineStatus(self.current_status).label)

    def breached_by(self, at: datetime) -> bool:
        """Was this clock overdue before an act that occurred at ``at``? SPEC §4: "a deadline whose
        due is earlier than an event's ``occurred_at`` was breached before that event, whether or not
        the scan has marked it yet" — no such act may pause, cancel or re-time it; it stays breached
        with its original due. (A stop that really began before the due, entered late, does stop the
        clock: the question is when the act happened, not when the scan looked.)"""
        return self.status in (DeadlineStatus.RUNNING, DeadlineStatus.BREACHED) and self.due_at < at


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    RESOLVED = "resolved", _("已解除")


class Alert(models.Model):
    # deadline, court: led by the unique constraint and ``alert_court_idx``, no index of their own.
    deadline = models.ForeignKey(Deadline, verbose_name=_("期限"), on_delete=models.CASCADE, related_name="alerts",
                                 db_index=False)
    level = models.CharField(_("级别"), max_length=10, choices=AlertLevel.choices)
    status = models.CharField(_("状态"), max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    node = models.CharField(_("节点"), max_length=40)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", db_index=False)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    raised_at = models.DateTimeField(_("预警时间"))
    # The deadline's due, kept in step with it (``deadlines.services.set_alert_moments``), so the
    # console orders and pages alerts from their own index without joining the deadlines.
    due_at = models.DateTimeField(_("届满时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    note = models.TextField(_("处理意见"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            # At most one alert per (deadline, level): repeated or concurrent scans change nothing (SPEC §5).
            models.UniqueConstraint(fields=["deadline", "level"], name="uniq_alert_deadline_level"),
        ]
        indexes = [
            # The console: a court's open alerts, oldest due first (issue 16).
            models.Index(fields=["court", "status", "level", "due_at", "id"], name="alert_console_idx"),
            # The console's open alerts (the ones it lists, counts and polls), read from the index
            # alone: every column the facets, the one-row-per-deadline rule and the order need.
            # Partial, so acknowledged and resolved history does not grow it.
            models.Index(fields=["court", "due_at", "id"], name="alert_open_idx",
                         include=["level", "node", "handler", "raised_at", "deadline"],
                         condition=models.Q(status="open")),
            # ``GET /api/v1/alerts/`` pages newest first from either end (issue 16).
            models.Index(fields=["raised_at", "id"], name="alert_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.node}"
