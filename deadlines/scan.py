"""The breach scan (SPEC §5): due-soon, breached and escalated alerts, at most one per level.

It reads only deadlines whose ``next_alert_at`` has passed (partial index ``deadline_scan_idx``),
in bounded batches locked with ``SKIP LOCKED`` on PostgreSQL, so two workers never process one
row, and each processed row's ``next_alert_at`` moves on — a repeated run finds nothing. The
``(deadline, level)`` unique constraint is the last line: even a duplicate attempt inserts nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from enforcement.models import Notification, Role, UserRole
from enforcement.notifications import queue

from . import calendar as cal_mod
from .models import Alert, AlertLevel, Deadline, DeadlineStatus
from .rules_data import NODE_NAMES
from .services import due_soon_working_days, escalate_at, next_alert_time

BATCH_SIZE = 500


@dataclass
class ScanResult:
    raised: Counter = field(default_factory=Counter)
    batches: int = 0
    examined: int = 0
    alerts: list[tuple[int, str, str]] = field(default_factory=list)  # (deadline, node, level)

    def summary(self) -> str:
        parts = [f"{AlertLevel(k).label} {v}" for k, v in sorted(self.raised.items())]
        return f"检查 {self.examined} 个期限，{self.batches} 批；新增预警：" + ("、".join(parts) if parts else "无")


def _levels_due(d: Deadline, now: datetime, cal) -> list[AlertLevel]:
    """Levels to raise now. A level whose moment has already passed is skipped (a late scan does not
    raise "due soon" for a deadline already breached); escalation implies the breach is raised too."""
    levels: list[AlertLevel] = []
    raised = d.alert_level
    if now <= d.due_at:
        if not raised:
            levels.append(AlertLevel.DUE_SOON)
        return levels
    if raised in ("", AlertLevel.DUE_SOON):
        levels.append(AlertLevel.BREACHED)
    if now >= escalate_at(d, cal) and raised != AlertLevel.ESCALATED:
        levels.append(AlertLevel.ESCALATED)
    return levels


def _recipients(batch: list[Deadline]) -> dict[tuple[int, str], list[int]]:
    """Ids of the supervisors and bureau heads of the batch's courts, in one query."""
    court_ids = {d.court_id for d in batch}
    rows = UserRole.objects.filter(
        user__court_id__in=court_ids, user__is_active=True, role__in=[Role.SUPERVISOR, Role.BUREAU_HEAD]
    ).values_list("user__court_id", "role", "user_id")
    out: dict[tuple[int, str], list[int]] = {}
    for court_id, role, user_id in rows:
        out.setdefault((court_id, role), []).append(user_id)
    return out


def _process_batch(batch: list[Deadline], now: datetime, result: ScanResult) -> None:
    cals, soon = {}, {}
    wanted: list[Alert] = []
    for d in batch:
        if d.court_id not in cals:
            cals[d.court_id] = cal_mod.calendar_for(d.court_id)
            soon[d.court_id] = due_soon_working_days(d.court_id, timezone.localdate(now))
        cal = cals[d.court_id]
        handler_id = d.responsible_id
        for level in _levels_due(d, now, cal):
            wanted.append(Alert(deadline=d, level=level, node=d.node, case_id=d.case_id, court_id=d.court_id,
                                handler_id=handler_id, raised_at=now))
            d.alert_level = level
        if now > d.due_at and d.status == DeadlineStatus.RUNNING:
            d.status = DeadlineStatus.BREACHED
        d.next_alert_at = next_alert_time(d, cal, soon[d.court_id])
    existing = set(
        Alert.objects.filter(deadline_id__in=[d.pk for d in batch]).values_list("deadline_id", "level")
    )
    new = [a for a in wanted if (a.deadline_id, a.level) not in existing]
    Alert.objects.bulk_create(new, ignore_conflicts=True)
    _save_progress(batch)
    staff = _recipients(batch) if new else {}
    notes = []
    for a in new:
        d = a.deadline
        node = NODE_NAMES.get(d.node, d.node)
        number = d.case.number if d.case is not None else ""
        due = timezone.localtime(d.due_at).strftime("%Y-%m-%d %H:%M")
        title = {
            AlertLevel.DUE_SOON: f"【即将到期】{number} {node}",
            AlertLevel.BREACHED: f"【已超期】{number} {node}",
            AlertLevel.ESCALATED: f"【超期升级】{number} {node}",
        }[AlertLevel(a.level)]
        body = f"节点“{node}”届满时间 {due}。"
        # SPEC §5: due soon → handler; breached → handler + designated supervisor; escalated → bureau head.
        to = [a.handler_id] if a.level in (AlertLevel.DUE_SOON, AlertLevel.BREACHED) else []
        if a.level == AlertLevel.BREACHED:
            to += staff.get((d.court_id, Role.SUPERVISOR), [])
        if a.level == AlertLevel.ESCALATED:
            to += staff.get((d.court_id, Role.BUREAU_HEAD), [])
        for user_id in dict.fromkeys(u for u in to if u is not None):
            notes.append(Notification(recipient_id=user_id, kind=f"alert.{a.level}", title=title, body=body,
                                      case_id=d.case_id))
        result.raised[a.level] += 1
        result.alerts.append((d.pk, d.node, a.level))
    queue(notes)


def _save_progress(batch: list[Deadline]) -> None:
    """Write back each row's level, status and next look — one statement per batch."""
    if connection.vendor != "postgresql":
        Deadline.objects.bulk_update(batch, ["alert_level", "status", "next_alert_at"])
        return
    # Django's bulk_update builds a CASE per field and row; UPDATE … FROM (VALUES …) is ~10× cheaper.
    rows = ", ".join(["(%s, %s, %s, %s::timestamptz)"] * len(batch))
    params = [v for d in batch for v in (d.pk, d.alert_level, d.status, d.next_alert_at)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Deadline._meta.db_table} AS d SET alert_level = v.alert_level, status = v.status, "
            f"next_alert_at = v.next_alert_at FROM (VALUES {rows}) AS v(id, alert_level, status, next_alert_at) "
            f"WHERE d.id = v.id",
            params,
        )


def scan_deadlines(*, now: datetime | None = None, batch_size: int = BATCH_SIZE,
                   max_batches: int | None = None) -> ScanResult:
    """Raise every alert due as of ``now``. Safe to run repeatedly and concurrently."""
    now = now or timezone.now()
    result = ScanResult()
    skip_locked = connection.vendor == "postgresql"
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            qs = (
                Deadline.objects.filter(next_alert_at__lte=now)
                .select_related("case", "bound_rule")
                .only("id", "node", "case_id", "court_id", "responsible_id", "due_at", "status", "alert_level",
                      "next_alert_at", "bound_rule_id", "bound_rule__warn_before_days", "case__number")
                .order_by("next_alert_at")
            )
            if skip_locked:
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            batch = list(qs[:batch_size])
            if not batch:
                break
            _process_batch(batch, now, result)
        result.batches += 1
        result.examined += len(batch)
    return result


