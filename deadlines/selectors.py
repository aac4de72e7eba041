"""Reads of deadlines and alerts, court-scoped like everything else (SPEC §1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.models import Court, User
from enforcement.selectors import court_id_list_visible_to

from . import calendar as cal_mod
from .models import Alert, Deadline, Rule, RuleSet
from .rules_data import EVENTS, NODE_NAMES

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- the rules in force (SPEC §4) -----------------------------------------------------------

class _InForce(TypedDict):
    rules_in_force: list[Rule]


def rule_sets_in_force(*, court: Court, on: date) -> list[WithAnnotations[RuleSet, _InForce]]:
    """The national set plus every set attached to ``court`` or an ancestor, in force on ``on``,
    each with ``rules_in_force`` prefetched: the active rule versions in force on ``on``."""
    lineage = [c.pk for c in court.ancestors()] + [court.pk]
    versions = Rule.objects.filter(active=True, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)).order_by("node", "id")
    sets = (
        RuleSet.objects.filter(Q(applies_everywhere=True) | Q(courts__in=lineage))
        .distinct()
        .prefetch_related(Prefetch("rules", queryset=versions, to_attr="rules_in_force"))
    )
    return [s for s in sets if s.in_force_on(on)]


def rules_in_force(*, court: Court, on: date) -> list[Rule]:
    """The rules that time deadlines for ``court`` on the date ``on``: of every rule set that applies
    to the court (the national set, and the sets of the court and its ancestors) in force on ``on``,
    the version of each rule in force on ``on``. Two queries whatever the number of rules. The one
    answer to "which rules applied here, then" — the clock starts deadlines with it, and a what-if
    compares a draft against it."""
    return [rule for rs in rule_sets_in_force(court=court, on=on) for rule in rs.rules_in_force]


def rule_versions(rule: Rule) -> QuerySet[Rule]:
    """Every version of ``rule``, oldest first (the rule-set admin's history)."""
    lineage = rule.lineage_id
    return Rule.objects.filter(Q(pk=lineage) | Q(origin_id=lineage)).order_by("version")


def rule_version_on(rule: Rule, on: date) -> Rule | None:
    """The version of ``rule`` (any version of it) in force on ``on``, or None."""
    return next((r for r in rule_versions(rule) if r.in_force_on(on)), None)


# --- deadlines and alerts ------------------------------------------------------------------

def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(court_id__in=court_id_list_visible_to(user))
        .select_related("bound_rule__rule_set", "case", "responsible")
    )


def deadline_for_user(*, user: User, pk) -> Deadline:
    return get_object_or_404(deadlines_visible_to(user).select_related("court"), pk=pk)


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    return (
        Alert.objects.filter(court_id__in=court_id_list_visible_to(user))
        .select_related("deadline", "case", "court", "handler", "acknowledged_by")
    )


def alert_for_user(*, user: User, pk) -> Alert:
    return get_object_or_404(alerts_visible_to(user), pk=pk)


def _fmt(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M:%S")


def _short(iso: str) -> str:
    return iso[:16].replace("T", " ")


def deadline_explain(d: Deadline) -> dict:
    """Why the due is what it is: the rule and source that bound it, the start event, every rule
    considered, and the holidays, make-up days and clock stops that moved it (SPEC §4)."""
    cal = cal_mod.calendar_for(d.court)
    rules = {r.pk: r for r in Rule.objects.select_related("rule_set").filter(pk__in=[c["rule"] for c in d.candidates])}
    considered = []
    for c in d.candidates:
        r = rules.get(c["rule"])
        if r is None:
            continue
        considered.append({
            "rule": r.pk, "rule_set": r.rule_set.code, "rule_set_name": r.rule_set.name, "source": r.source,
            "period": r.period, "unit": r.unit, "period_text": r.period_display(), "event": c["event"],
            "event_text": EVENTS.get(c["event"], c["event"]), "started_at": c["started_at"], "due": c["due"],
            "binds": r.pk == d.bound_rule_id, "version": r.version, "version_text": r.version_display(),
        })
    bound = d.bound_rule
    base = cal_mod.compute_due(d.started_at, bound.period, bound.unit, cal=cal)
    node_name = NODE_NAMES.get(d.node, d.node)
    lines = [
        gettext("节点：%(node_name)s（%(node)s）。") % {"node_name": node_name, "node": d.node},
        gettext(
            "约束规则：%(name)s（%(value)s），%(source)s，自“%(value2)s”（%(value3)s）起%(value4)s；按起算事件发生之日施行的规则版本计算。"
        )
        % {
            "name": bound.rule_set.name,
            "value": bound.version_display(),
            "source": bound.source,
            "value2": EVENTS.get(d.start_event, d.start_event),
            "value3": _fmt(d.started_at),
            "value4": bound.period_display(),
        },
        base.explain_zh(),
    ]
    if len(considered) > 1:
        others = gettext("；").join(
            f"{c['rule_set_name']} {c['period_text']}→{c['due'][:10]}" for c in considered if not c["binds"]
        )
        lines.append(gettext("同一节点的其他规则：%(others)s；以最早届满者为准。") % {"others": others})
    for s in d.shifts:
        lines.append(
            gettext("因中止/暂缓（%(value)s 至 %(value2)s），届满时间由 %(value3)s 顺延至 %(value4)s。")
            % {
                "value": s["from"][:16].replace("T", " "),
                "value2": s["to"][:16].replace("T", " "),
                "value3": s["old_due"][:16].replace("T", " "),
                "value4": s["new_due"][:16].replace("T", " "),
            }
        )
    for c in d.corrections:
        b, a = c["before"], c["after"]
        lines.append(
            gettext(
                "起算时间经%(value)s（执行局长）于 %(value2)s 更正：%(value3)s → %(value4)s"
                        "，届满时间 %(value5)s → %(value6)s；理由：%(value7)s。"
                        "此前已发出的预警保留在案。"
            )
            % {
                "value": c["by_name"],
                "value2": c["at"][:16].replace("T", " "),
                "value3": b["started_at"][:16].replace("T", " "),
                "value4": a["started_at"][:16].replace("T", " "),
                "value5": b["due_at"][:16].replace("T", " "),
                "value6": a["due_at"][:16].replace("T", " "),
                "value7": c["reason"],
            }
        )
    status = d.current_status
    if status == "breached":
        lines.append(
            gettext(
                "已超期：届满时间 %(value)s 已过而节点未完成。超期是时间事实，此后的中止、"
                        "结案等均不改变其届满时间，超期记录永久保留。"
            )
            % {"value": _fmt(d.due_at)}
        )
    if d.provisional:
        lines.append(
            gettext("注意：期间跨越尚未公布节假日安排的年度，按周末推算，届满时间为暂定，载入该年度安排后自动重算。")
        )
    return {
        "deadline": d.pk,
        "rule": d.node,
        "node_name": node_name,
        "bound_by": bound.rule_set.code,
        "bound_rule": {
            "id": bound.pk,
            "rule_set": bound.rule_set.code,
            "rule_set_name": bound.rule_set.name,
            "source": bound.source,
            "period": bound.period,
            "unit": bound.unit,
            "version": bound.version,
            "version_text": bound.version_display(),
            "effective_from": bound.effective_from.isoformat(),
            "effective_to": bound.effective_to.isoformat() if bound.effective_to else None,
        },
        "status": status,
        "start_event": d.start_event,
        "started_at": timezone.localtime(d.started_at).isoformat(),
        "due_at": timezone.localtime(d.due_at).isoformat(),
        "provisional": d.provisional,
        "considered": considered,
        "skipped_holidays": [{"date": str(day), "name": name} for day, name in base.skipped_holidays],
        "makeup_days": [{"date": str(day), "name": name} for day, name in base.makeup_days],
        "rolled_from": str(base.rolled_from) if base.rolled_from else None,
        "clock_stops": d.shifts,
        "corrections": d.corrections,
        "correction_rows": [
            {
                "at": _short(c["at"]),
                "by_name": c["by_name"],
                "reason": c["reason"],
                "started": f"{_short(c['before']['started_at'])} → {_short(c['after']['started_at'])}",
                "due": f"{_short(c['before']['due_at'])} → {_short(c['after']['due_at'])}",
            }
            for c in d.corrections
        ],
        "explanation": "\n".join(lines),
    }


def unconfirmed_next_year(today=None) -> int | None:
    """From 1 November, the coming year if its national schedule is not loaded yet (SPEC §3:
    admins add next year's schedule when published, usually in November)."""
    from .models import CalendarYear

    today = today or timezone.localdate()
    if today.month < 11:
        return None
    year = today.year + 1
    if CalendarYear.objects.filter(calendar__court__isnull=True, year=year).exists():
        return None
    return year
