"""A supervisor's acts on an alert beyond acknowledging it (SPEC §5; [004 §8]: the designated
supervisor prompts the handling team to correct a breach, and reports to the responsible leaders
when it is not corrected). Acknowledging is ``deadlines.services.alert_acknowledge``."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from enforcement.models import Court, Role, User
from enforcement.notifications import notify
from enforcement.selectors import court_ids_visible_to

from .models import Alert, AlertLevel, AlertStatus
from .rules_data import NODE_NAMES

SUPERVISING_ROLES = (Role.SUPERVISOR, Role.BUREAU_HEAD)
NOTE_MAX = 2000


def _lock(alert: Alert) -> Alert:
    return (
        Alert.objects.select_for_update(of=("self",))
        .select_related("deadline", "case", "court", "handler", "deadline__responsible")
        .get(pk=alert.pk)
    )


def _require_supervisor(actor: User, alert: Alert) -> None:
    visible = court_ids_visible_to(actor)
    ok = alert.court_id in visible if isinstance(visible, list) else visible.filter(pk=alert.court_id).exists()
    if not ok:
        raise NotFound(gettext("未找到。"))
    if not actor.has_role(*SUPERVISING_ROLES):
        raise PermissionDenied(gettext("只有专人监管人员或执行局长可以督促、升级预警。"))


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput({"note": [gettext("处理意见不超过 %(NOTE_MAX)s 字。") % {"NOTE_MAX": NOTE_MAX}]})
    return note


def _title(alert: Alert, tag: str) -> str:
    number = alert.case.number if alert.case is not None else ""
    return f"【{tag}】{number} {NODE_NAMES.get(alert.node, alert.node)}".strip()


@transaction.atomic
def alert_prompt(*, alert: Alert, actor: User, note: str = "") -> Alert:
    """Prompt the handler to act on the node: a notification to the handler, audited
    (``alert.prompt``). The alert stays as it is; it resolves itself when the node is done."""
    alert = _lock(alert)
    _require_supervisor(actor, alert)
    note = _clean_note(note)
    if alert.status == AlertStatus.RESOLVED:
        raise Conflict(gettext("该预警已解除（节点已完成），无需督促。"))
    handler = alert.handler or alert.deadline.responsible or (alert.case.judge if alert.case is not None else None)
    if handler is None:
        raise Conflict(gettext("该节点尚无承办人，请先指定承办法官。"), code="no_handler")
    due = timezone.localtime(alert.deadline.due_at).strftime("%Y-%m-%d %H:%M")
    node = NODE_NAMES.get(alert.node, alert.node)
    body = f"{actor.display_name}（专人监管）督促：节点“{node}”届满时间 {due}，请及时办理。"
    if note:
        body += f"\n意见：{note}"
    notify(recipients=[handler], kind="alert.prompt", title=lambda: _title(alert, "督促办理"), body=lambda: body,
           case_id=alert.case_id)
    audit_record(actor=actor, action=events.ALERT_PROMPT, obj=alert, court=alert.court_id, case_id=alert.case_id,
                 after={"handler": handler.pk, "level": alert.level, "node": alert.node}, reason=note)
    return alert


def _bureau_heads(court: Court) -> list[User]:
    """Bureau heads of the alert's court; if it has none, of the nearest court above that has one."""
    lineage = [court, *reversed(court.ancestors())]
    heads = list(
        User.objects.filter(court__in=lineage, is_active=True, role_rows__role=Role.BUREAU_HEAD).distinct()
    )
    for c in lineage:
        found = [u for u in heads if u.court_id == c.pk]
        if found:
            return found
    return []


@transaction.atomic
def alert_escalate(*, alert: Alert, actor: User, note: str = "") -> Alert:
    """Escalate now: raise the node's ``escalated`` alert without waiting for the scan, and notify
    the bureau heads (SPEC §5). At most one escalated alert per deadline (the unique (deadline,
    level) constraint): escalating twice is a conflict, and a later scan adds nothing. The
    deadline's own alert progression is left to the scan. Returns the escalated alert."""
    alert = _lock(alert)
    _require_supervisor(actor, alert)
    note = _clean_note(note)
    deadline = alert.deadline
    if not deadline.is_open:
        raise Conflict(gettext("该节点已完成或撤销，不能升级。"))
    if Alert.objects.filter(deadline=deadline, level=AlertLevel.ESCALATED).exists():
        raise Conflict(gettext("该节点已升级报告执行局长。"), code="already_escalated")
    now = timezone.now()
    try:
        with transaction.atomic():
            escalated = Alert.objects.create(
                deadline=deadline, level=AlertLevel.ESCALATED, node=alert.node, case_id=alert.case_id,
                court_id=alert.court_id, handler_id=alert.handler_id, raised_at=now, due_at=deadline.due_at,
                note=note,
            )
    except IntegrityError:  # the scan raised it a moment ago
        raise Conflict(gettext("该节点已升级报告执行局长。"), code="already_escalated") from None
    due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
    body = f"{actor.display_name}（专人监管）报告：节点“{NODE_NAMES.get(alert.node, alert.node)}”届满时间 {due}，" \
           f"承办人未及时纠正，请督办。"
    if note:
        body += f"\n意见：{note}"
    notify(recipients=_bureau_heads(alert.court), kind="alert.escalated", title=lambda: _title(alert, "超期升级"),
           body=lambda: body, case_id=alert.case_id)
    audit_record(actor=actor, action=events.ALERT_ESCALATE, obj=escalated, court=alert.court_id, case_id=alert.case_id,
                 after={"from_alert": alert.pk, "level": AlertLevel.ESCALATED, "node": alert.node}, reason=note)
    return escalated
