"""Replay a draft rule set over the real deadlines of a court subtree (SPEC §11b).

The draft is a local rule set: its rules add to those in force and the earliest due binds (SPEC §4),
exactly as they would once adopted. For every deadline of a node the draft touches, of the cases filed
in the period, the replay times the draft's rules from the same start events through the same code as
live deadlines (``deadlines.services.retime``: the calendar module, earliest-due binding, the clock
stops already applied re-applied), and compares with what the rules in force gave (the stored due):

* re-timed: the draft's due is earlier than the stored one (a draft rule binds);
* breach added: not overdue under the rules in force, overdue under the draft — the node was done, or
  its duty ended (closure, release), after the draft's due, or it is still open and the draft's due has
  passed; breach removed: the reverse (possible only where a stored due is later than the draft's);
* slack: days between the due and the moment the node was done, for done nodes (median per node).

It reads in batches and writes nothing; the caller keeps the report (on the draft, or in the answer).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.errors import InvalidInput
from enforcement.models import Court

from .. import calendar as cal_mod
from ..models import Deadline, DeadlineStatus, Unit
from ..rules_data import EVENTS, NODE_NAMES
from ..selectors import rules_in_force
from ..services import binding, retime

BATCH = 2000


@dataclass(frozen=True)
class TrialRule:
    """A draft rule as the replay sees it. ``pk`` is never a live rule id, so a candidate it produces
    can always be told from a live one."""

    pk: str
    node: str
    start_event: str
    period: int
    unit: str
    origin_id: int | None = None
    conditioned: bool = False  # copied from a rule with a condition: applies only where that rule did

    def applies_to(self, live_rule_ids: set[int]) -> bool:
        return not self.conditioned or self.origin_id in live_rule_ids


def trial_rules_from_draft(draft) -> list[TrialRule]:
    """The draft's rules that take part: the added ones and the copies changed from their origin."""
    out = []
    for r in draft.rules.select_related("origin"):
        if r.changed:
            out.append(TrialRule(pk=f"draft:{r.pk}", node=r.node, start_event=r.start_event, period=r.period,
                                 unit=r.unit, origin_id=r.origin_id, conditioned=bool(r.condition)))
    return out


def trial_rules_from_changes(court: Court, changes: Iterable[dict[str, Any]], on: date) -> list[TrialRule]:
    """``changes`` as the API takes them: ``[{"node", "period", "unit", "start_event"?}]``. Each changes
    every rule in force for the node in ``court`` on ``on`` (keeping its start event unless one is given);
    a node with no rule in force needs a ``start_event`` and becomes a new rule."""
    live_by_node = defaultdict(list)
    for rule in rules_in_force(court=court, on=on):  # the versions in force on ``on`` (SPEC §4)
        live_by_node[rule.node].append(rule)
    out, errors = [], {}
    node: Any  # the request's values, unchecked until ``problems`` is empty
    unit: Any
    period: Any
    for i, ch in enumerate(changes):
        node, unit, event = ch.get("node"), ch.get("unit"), ch.get("start_event")
        period = ch.get("period")
        problems = []
        if node not in NODE_NAMES:
            problems.append(f"未知的节点：{node}。")
        if unit not in Unit.values:
            problems.append(f"未知的期间单位：{unit}。")
        if isinstance(period, bool) or not isinstance(period, int) or period < 0:
            problems.append("期间须为非负整数。")
        if event is not None and event not in EVENTS:
            problems.append(f"未知的起算事件：{event}。")
        if not problems and not live_by_node.get(node) and event is None:
            problems.append(f"节点“{NODE_NAMES[node]}”在该法院没有现行规则，新增规则须写明起算事件 start_event。")
        if problems:
            errors[f"changes[{i}]"] = problems
            continue
        origins: list[Any] = live_by_node.get(node) or [None]  # Rule versions, or None for a new rule
        for j, o in enumerate(origins):
            out.append(TrialRule(pk=f"change:{i}:{j}", node=node, start_event=event or o.start_event,
                                 period=period, unit=unit, origin_id=o.pk if o else None,
                                 conditioned=bool(o and o.condition)))
    if errors:
        raise InvalidInput(errors)
    if not out:
        raise InvalidInput({"changes": [gettext("至少须修改或新增一条规则。")]})
    return out


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min), cal_mod.SHANGHAI)


def _iso_local(dt: datetime | None) -> str | None:
    return dt.astimezone(cal_mod.SHANGHAI).isoformat() if dt else None


def _days(delta: timedelta) -> float:
    return round(delta.total_seconds() / 86400, 1)


def replay(*, court: Court, date_from: date, date_to: date, trial: list[TrialRule], now: datetime | None = None,
           progress: Callable[[int], None] | None = None) -> dict:
    """The report of ``trial`` over the cases of ``court``'s subtree filed from ``date_from`` to ``date_to``."""
    now = now or timezone.now()
    nodes = sorted({t.node for t in trial})
    by_node_rules = defaultdict(list)
    for t in trial:
        by_node_rules[t.node].append(t)
    trial_by_pk = {t.pk: t for t in trial}
    start, end = _day_start(date_from), _day_start(date_to + timedelta(days=1))
    courts = list(Court.objects.filter(path__startswith=court.path).values_list("pk", flat=True))
    Case = apps.get_model("cases", "Case")
    case_count = Case.objects.filter(court_id__in=courts, filed_at__gte=start, filed_at__lt=end).count()

    rows = list(
        Deadline.objects.filter(court_id__in=courts, case__filed_at__gte=start, case__filed_at__lt=end,
                                node__in=nodes)
        .exclude(candidates=[])
        .order_by("id")
        .values_list("id", "node", "case_id", "case__number", "case__filed_at", "case__judge_id",
                     "case__judge__name", "court_id", "subject_type", "subject_id", "due_at", "completed_at",
                     "status", "candidates", "shifts")
    )
    # A draft rule may start from an event the node's own clock did not start from: read the subject's
    # other clocks for the moments of such events (one query per batch of subjects).
    wanted = {node: {t.start_event for t in rules} for node, rules in by_node_rules.items()}
    missing = {(r[8], r[9]) for r in rows if not wanted[r[1]] <= {c["event"] for c in r[13]}}
    timeline: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    missing_ids = defaultdict(list)
    for st, sid in missing:
        missing_ids[st].append(sid)
    for st, ids in missing_ids.items():
        for i in range(0, len(ids), BATCH):
            for sid, cands in Deadline.objects.filter(subject_type=st, subject_id__in=ids[i:i + BATCH]).values_list(
                    "subject_id", "candidates"):
                for c in cands:
                    seen = timeline[(st, sid)]
                    if c["event"] not in seen or c["started_at"] < seen[c["event"]]:
                        seen[c["event"]] = c["started_at"]

    calendars: dict[int, cal_mod.CalendarView] = {}
    memos: dict[int, dict] = defaultdict(dict)  # per court: dues by (period, unit, start date)
    court_objs = {c.pk: c for c in Court.objects.filter(pk__in=courts)}
    node_stats: dict[str, dict[str, Any]] = {n: {"node": n, "name": NODE_NAMES.get(n, n), "deadlines": 0, "retimed": 0,
                      "breaches_live": 0, "breaches_draft": 0, "breaches_added": 0, "breaches_removed": 0,
                      "_slack_live": [], "_slack_draft": []} for n in nodes}
    judges: dict[int | None, dict] = {}
    months: dict[str, dict] = {}
    added: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []

    for k, r in enumerate(rows):
        if progress and k % BATCH == 0:
            progress(int(100 * k / max(1, len(rows))))
        (pk, node, case_id, number, filed_at, judge_id, judge_name, court_id, st, sid, due_at, done_at, status,
         candidates, shifts) = r
        ns = node_stats[node]
        ns["deadlines"] += 1
        live_ids = {c["rule"] for c in candidates}
        events = {c["event"]: c["started_at"] for c in candidates}
        entries = []
        for t in by_node_rules[node]:
            if not t.applies_to(live_ids):
                continue
            at = events.get(t.start_event) or timeline.get((st, sid), {}).get(t.start_event)
            if at is not None:
                entries.append((t, datetime.fromisoformat(at), t.start_event))
        draft_due = due_at
        if entries:
            cal = calendars.get(court_id) or calendars.setdefault(court_id, cal_mod.calendar_for(court_objs[court_id]))
            _cands, best, due, _shifts = retime(entries, shifts=shifts, court=court_objs[court_id], cal=cal,
                                                unit_of=lambda c: trial_by_pk[c["rule"]].unit,
                                                memo=memos[court_id])
            if best["due"] < binding(candidates)["due"]:  # a draft rule binds (earliest due binds)
                draft_due = due
        finished = status in (DeadlineStatus.MET, DeadlineStatus.CANCELLED) and done_at is not None
        until = done_at if finished and done_at is not None else now
        live_breach, draft_breach = due_at < until, draft_due < until
        if status == DeadlineStatus.MET and done_at is not None:
            ns["_slack_live"].append(_days(due_at - done_at))
            ns["_slack_draft"].append(_days(draft_due - done_at))
        ns["breaches_live"] += live_breach
        ns["breaches_draft"] += draft_breach
        if draft_due != due_at:
            ns["retimed"] += 1
        if live_breach == draft_breach:
            continue
        j = judges.setdefault(judge_id, {"judge": judge_id, "judge_name": judge_name or "未分案",
                                         "breaches_added": 0, "breaches_removed": 0})
        month = filed_at.astimezone(cal_mod.SHANGHAI).strftime("%Y-%m")
        m = months.setdefault(month, {"month": month, "breaches_added": 0, "breaches_removed": 0})
        item = {"deadline": pk, "case": case_id, "case_number": number, "node": node,
                "due": _iso_local(draft_due), "live_due": _iso_local(due_at), "done_at": _iso_local(done_at),
                "judge": judge_id, "judge_name": judge_name or "未分案"}
        key = "breaches_added" if draft_breach else "breaches_removed"
        ns[key] += 1
        j[key] += 1
        m[key] += 1
        (added if draft_breach else removed).append(item)

    for ns in node_stats.values():
        live, draft = ns.pop("_slack_live"), ns.pop("_slack_draft")
        ns["median_slack_days_live"] = statistics.median(live) if live else None
        ns["median_slack_days"] = statistics.median(draft) if draft else None
    if progress:
        progress(100)
    return {
        "court": court.pk, "court_name": court.name, "from": date_from.isoformat(), "to": date_to.isoformat(),
        "generated_at": _iso_local(now), "cases": case_count, "deadlines": len(rows),
        "rules": [{"node": t.node, "start_event": t.start_event, "period": t.period, "unit": t.unit} for t in trial],
        "by_node": list(node_stats.values()),
        "by_judge": sorted(judges.values(), key=lambda j: (-j["breaches_added"], j["judge_name"])),
        "by_month": sorted(months.values(), key=lambda m: m["month"]),
        "added": added,
        "removed": removed,
    }
