"""The legal clock's writes (SPEC §4): start, meet, stop, restart, cancel and correct deadlines.

Every caller passes the *event* that happened (``case.received``, ``funds.arrived`` …); which
nodes it starts, and how long they run, is data (``Rule`` rows of the rule sets that apply to the
court on the event's date). Where several rules time one node the earliest due binds
(``bound_rule``), and a later event that brings another rule into play recomputes the due as the
earliest of them all.

Longer than the house's ~400 lines by design: it is the one place where a deadline's due is set,
shifted, paused, corrected and re-timed, and every path must keep the stored alert moments
(``set_alert_moments``) and the rule version in step — splitting it would scatter that invariant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.models import Court, User

from . import calendar as cal_mod
from . import selectors
from .models import (
    OPEN_Q,
    Alert,
    AlertStatus,
    Deadline,
    DeadlineStatus,
    Rule,
    RuleSet,
    Unit,
)
from .rules_data import EVENTS, NODE_NAMES, RULE_SETS

# Nodes that legitimately run again for the same subject after being met.
REPEATING_NODES = {"ROUND_REVIEW", "CONTROL_EXPIRY"}


@dataclass(frozen=True)
class Subject:
    type: str
    id: int
    case_id: int | None
    court_id: int

    @classmethod
    def of_case(cls, case) -> Subject:
        return cls("case", case.pk, case.pk, case.court_id)


def _iso(dt: datetime) -> str:
    # The court's time zone (settings.TIME_ZONE); astimezone on the cached default zone is much cheaper than
    # timezone.localtime's lookup of the active zone, and no request activates another one.
    return dt.astimezone(timezone.get_default_timezone()).isoformat()


# --- rule lookup ---------------------------------------------------------------------------

def rule_sets_for(court: Court, on) -> Sequence[RuleSet]:
    """The national set plus every set attached to the court or an ancestor, in force on ``on``."""
    return selectors.rule_sets_in_force(court=court, on=on)


def rules_for_event(court: Court, event: str, on, context: dict) -> dict[str, list[Rule]]:
    """The rule versions in force on ``on`` (the start event's date, SPEC §4) that ``event`` starts."""
    by_node: dict[str, list[Rule]] = {}
    for rule in selectors.rules_in_force(court=court, on=on):
        if rule.start_event == event and rule.matches(context):
            by_node.setdefault(rule.node, []).append(rule)
    return by_node


# --- alert timing --------------------------------------------------------------------------

# One due-soon rule for the workbench light, its legend, the "today" list and the due-soon alert
# (issue 17): a rule-set setting, the most local set that sets it winning; 3 working days by default.
DUE_SOON_SETTING = "due_soon_working_days"
DUE_SOON_WORKING_DAYS = 3
ESCALATE_AFTER_WORKING_DAYS = 2  # SPEC §5 default


def due_soon_working_days(court: Court | int | None, on=None) -> int:
    """How many working days before its due a deadline of ``court`` turns due soon (one query)."""
    if court is None:  # a user of no court (a system administrator): the national default
        return DUE_SOON_WORKING_DAYS
    court_id = court.pk if isinstance(court, Court) else court
    path = court.path if isinstance(court, Court) else Court.objects.values_list("path", flat=True).get(pk=court_id)
    lineage = [int(p) for p in path.strip("/").split("/") if p]
    on = on or timezone.localdate()
    value = None
    rows = (RuleSet.objects.filter(Q(applies_everywhere=True) | Q(courts__in=lineage)).distinct()
            .values_list("settings", "applies_everywhere", "effective_from", "effective_to"))
    for settings, everywhere, start, end in rows:
        if (start and on < start) or (end and on > end):
            continue
        v = (settings or {}).get(DUE_SOON_SETTING)
        if v is not None and (value is None or not everywhere):
            value = v
    try:
        return max(int(value), 0) if value is not None else DUE_SOON_WORKING_DAYS
    except (TypeError, ValueError):
        return DUE_SOON_WORKING_DAYS


def _previous_working_day(d, cal):
    d = d - timedelta(days=1)
    while not cal.is_working_day(d):
        d -= timedelta(days=1)
    return d


def due_soon_from(deadline: Deadline, cal, days: int | None = None) -> datetime:
    """Start of the due-soon window: ``warn_before_days`` calendar days if the rule sets them, else
    the start of the day from which no more than ``days`` working days (the court's
    ``due_soon_working_days``) remain before the due date — the workbench's "due within 3 working
    days" and the due-soon alert are this one moment."""
    due_local = timezone.localtime(deadline.due_at)
    warn = deadline.bound_rule.warn_before_days if deadline.bound_rule_id else None
    if warn:
        return deadline.due_at - timedelta(days=warn)
    if days is None:
        days = due_soon_working_days(deadline.court_id)
    d = due_local.date()
    for _ in range(days):
        d = _previous_working_day(d, cal)
    if days == 0:
        return deadline.due_at
    return timezone.make_aware(datetime.combine(d, time.min), due_local.tzinfo)


def escalate_at(deadline: Deadline, cal) -> datetime:
    """The moment a breach not yet handled is escalated (SPEC §5): the same time of day, the
    given number of working days after the due."""
    due_local = timezone.localtime(deadline.due_at)
    d = cal_mod.add_working_days(due_local.date(), ESCALATE_AFTER_WORKING_DAYS, cal)
    return due_local.replace(year=d.year, month=d.month, day=d.day)


def next_alert_time(deadline: Deadline) -> datetime | None:
    """When the scan must next look at a running/breached deadline (see Deadline docstring), read
    from the stored level moments (``set_alert_moments``).

    Independent of the current time: the scan itself skips a level whose moment has passed.
    """
    if deadline.status not in (DeadlineStatus.RUNNING, DeadlineStatus.BREACHED):
        return None
    raised = deadline.alert_level
    if not raised:
        return deadline.due_soon_at
    if raised == "due_soon":
        return deadline.due_at
    if raised == "breached":
        return deadline.escalate_at
    return None


def set_alert_moments(deadline: Deadline, cal, due_soon_days: int | None = None) -> None:
    """Store the moments each alert level is due and the scan's next look. Called wherever a due is
    set, shifted, paused or corrected, so the scan compares columns and does no calendar arithmetic."""
    deadline.due_soon_at = due_soon_from(deadline, cal, due_soon_days)
    deadline.escalate_at = escalate_at(deadline, cal)
    deadline.next_alert_at = next_alert_time(deadline)
    if deadline.pk is not None:
        Alert.objects.filter(deadline_id=deadline.pk).exclude(due_at=deadline.due_at).update(due_at=deadline.due_at)


# --- starting ------------------------------------------------------------------------------

def _candidate(rule, started_at: datetime, court: Court, event: str, *,
               cal: cal_mod.CalendarView | None = None, memo: dict | None = None) -> dict:
    """One rule's due for one start event. ``rule`` is a ``Rule`` or anything with ``pk``, ``period`` and
    ``unit`` (the what-if replay passes draft rules through this same function).

    ``memo`` (a dict the caller keeps for one calendar) reuses dues of periods counted in days, working
    days, months or "immediately", which depend only on the start's date (SPEC §3: the start day is not
    counted; the period ends at 24:00); hours are counted to the minute and never reused."""
    key = None
    if memo is not None and rule.unit != Unit.HOURS:
        key = (rule.period, rule.unit, started_at.astimezone(cal_mod.SHANGHAI).date())
        hit = memo.get(key)
        if hit is not None:
            return {"rule": rule.pk, "due": hit[0], "event": event, "started_at": _iso(started_at),
                    "provisional": hit[1]}
    result = cal_mod.compute_due(started_at, rule.period, rule.unit, court=court, cal=cal)
    due = _iso(result.due)
    if key is not None and memo is not None:
        memo[key] = (due, result.provisional)
    return {"rule": rule.pk, "due": due, "event": event, "started_at": _iso(started_at),
            "provisional": result.provisional}


def binding(candidates: list[dict]) -> dict:
    """SPEC §4: where several rules time one node, the earliest due binds."""
    return min(candidates, key=lambda c: c["due"])


def retime(entries, *, shifts: list[dict], unit_of, court: Court, cal: cal_mod.CalendarView,
           memo: dict | None = None) -> tuple[list[dict], dict, datetime, list[dict]]:
    """Time one node from its rules: ``entries`` are (rule, started_at, event) triples; the earliest due
    binds; the clock stops already applied (``shifts``) are re-applied to the binding due, in the binding
    rule's unit (``unit_of(candidate)``). Returns (candidates, binding candidate, due, shifts).

    Live recomputation (``_recompute``) and the rule what-if replay both time deadlines through here."""
    candidates = [_candidate(rule, started_at, court, event, cal=cal, memo=memo)
                  for rule, started_at, event in entries]
    best = binding(candidates)
    due = datetime.fromisoformat(best["due"])
    unit = unit_of(best)
    new_shifts = []
    for s in shifts:
        new_due = cal_mod.shift_due(due, datetime.fromisoformat(s["from"]), datetime.fromisoformat(s["to"]),
                                    unit, cal)
        new_shifts.append({**s, "old_due": _iso(due), "new_due": _iso(new_due)})
        due = new_due
    return candidates, best, due, new_shifts


def deadlines_on_event(
    *,
    event: str,
    at: datetime,
    subject: Subject,
    court: Court,
    actor: User | None = None,
    context: dict | None = None,
    responsible: User | None = None,
    due_at: datetime | None = None,
    horizon: datetime | None = None,
) -> list[Deadline]:
    """Start (or re-time) every node that ``event`` starts for ``subject``. Returns touched deadlines.

    ``horizon``: the end of a duty that repeats for a set time (ROUND_REVIEW: 5 years from the 终本
    closure) — a new clock whose due would fall after it is not started."""
    assert event in EVENTS, event
    context = context or {}
    touched = []
    local_date = timezone.localdate(at)
    for node, rules in rules_for_event(court, event, local_date, context).items():
        existing = (
            Deadline.objects.select_for_update()
            .filter(OPEN_Q, node=node, subject_type=subject.type, subject_id=subject.id)
            .first()
        )
        if existing is not None and existing.breached_by(at):
            continue  # SPEC §4: a breached clock keeps its due; no later event re-times it
        if existing is None and node not in REPEATING_NODES and Deadline.objects.filter(
            node=node, subject_type=subject.type, subject_id=subject.id, status=DeadlineStatus.MET
        ).exists():
            continue  # the node is already done for this subject
        candidates = list(existing.candidates) if existing else []
        for rule in rules:
            cand = _candidate(rule, at, court, event)
            if due_at is not None:  # a period set by the decision itself (e.g. self-disposal ``until``)
                cand["due"] = _iso(due_at)
            candidates.append(cand)
        best = binding(candidates)
        by_id = {r.pk: r for r in rules}
        bound = by_id.get(best["rule"]) or Rule.objects.get(pk=best["rule"])
        due = datetime.fromisoformat(best["due"])
        if existing is None and horizon is not None and due > horizon:
            continue
        cal = cal_mod.calendar_for(court)
        if existing:
            before = {"due_at": _iso(existing.due_at), "bound_rule": existing.bound_rule_id}
            existing.candidates = candidates
            if due != existing.due_at or bound.pk != existing.bound_rule_id:
                existing.due_at, existing.bound_rule, existing.unit = due, bound, bound.unit
                existing.started_at = datetime.fromisoformat(best["started_at"])
                existing.start_event = best["event"]
                existing.provisional = best["provisional"]
                existing.alert_level = "" if existing.status == DeadlineStatus.RUNNING else existing.alert_level
                set_alert_moments(existing, cal)
            existing.save()
            audit_record(actor=actor, action=events.DEADLINE_RETIME, obj=existing, court=court, case_id=subject.case_id,
                         occurred_at=at, before=before,
                         after={"due_at": _iso(existing.due_at), "bound_rule": existing.bound_rule_id,
                                "event": event})
            touched.append(existing)
            continue
        d = Deadline(
            node=node, bound_rule=bound, case_id=subject.case_id, court=court, subject_type=subject.type,
            subject_id=subject.id, responsible=responsible, start_event=best["event"],
            started_at=datetime.fromisoformat(best["started_at"]), due_at=due, unit=bound.unit,
            provisional=best["provisional"], candidates=candidates,
        )
        set_alert_moments(d, cal)
        d.save()
        audit_record(actor=actor, action=events.DEADLINE_START, obj=d, court=court, case_id=subject.case_id,
                     occurred_at=at, after={"node": node, "due_at": _iso(due), "bound_rule": bound.pk,
                                            "source": bound.source, "provisional": d.provisional})
        touched.append(d)
    return touched


# --- meeting, cancelling -------------------------------------------------------------------

def deadline_meet(*, node: str, subject: Subject, at: datetime, actor: User | None = None) -> Deadline | None:
    """The node's event was recorded: complete its open deadline (late if after due) and resolve alerts."""
    d = (
        Deadline.objects.select_for_update()
        .filter(OPEN_Q, node=node, subject_type=subject.type, subject_id=subject.id)
        .first()
    )
    if d is None:
        return None
    before = d.status
    d.status = DeadlineStatus.MET
    d.completed_at = at
    d.completed_late = at > d.due_at
    d.next_alert_at = None
    d.save(update_fields=["status", "completed_at", "completed_late", "next_alert_at"])
    _resolve_alerts(d, "节点已逾期完成，超期记录保留。" if d.completed_late else "节点已完成。")
    audit_record(actor=actor, action=events.DEADLINE_MEET, obj=d, court=d.court_id, case_id=d.case_id, occurred_at=at,
                 before={"status": before}, after={"status": d.status, "late": d.completed_late, "node": node})
    return d


def _resolve_alerts(d: Deadline, note: str) -> None:
    """The node's clock ended: its open alerts resolve, saying why; nothing is deleted (SPEC §5)."""
    for alert in Alert.objects.filter(deadline=d, status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]):
        alert.status, alert.resolved_at = AlertStatus.RESOLVED, timezone.now()
        alert.note = f"{alert.note}\n{note}".strip() if alert.note else note
        alert.save(update_fields=["status", "resolved_at", "note"])


def deadlines_cancel(*, subject: Subject, at: datetime, actor: User | None = None, reason: str,
                     nodes: Iterable[str] | None = None, case_id: int | None = None) -> int:
    """The subject's clocks end (closure, release, lifting …). Only clocks still running and not
    yet due are cancelled; a clock already overdue stays ``breached`` for ever with its due, ends
    (``completed_at``), and keeps counting in every indicator (SPEC §4). Returns the number cancelled."""
    qs = Deadline.objects.select_for_update().filter(OPEN_Q)
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    else:
        qs = qs.filter(subject_type=subject.type, subject_id=subject.id)
    if nodes is not None:
        qs = qs.filter(node__in=list(nodes))
    count = 0
    for d in qs:
        d.completed_at = at
        d.next_alert_at = None
        if d.breached_by(at):
            d.status = DeadlineStatus.BREACHED
            d.save(update_fields=["status", "completed_at", "next_alert_at"])
            _resolve_alerts(d, f"{reason}；该节点已超期，超期记录保留。")
            audit_record(actor=actor, action=events.DEADLINE_END_BREACHED, obj=d, court=d.court_id, case_id=d.case_id,
                         occurred_at=at, after={"node": d.node, "status": d.status, "due_at": _iso(d.due_at)},
                         reason=reason)
            continue
        d.status = DeadlineStatus.CANCELLED
        d.save(update_fields=["status", "completed_at", "next_alert_at"])
        _resolve_alerts(d, reason)
        audit_record(actor=actor, action=events.DEADLINE_CANCEL, obj=d, court=d.court_id, case_id=d.case_id,
                     occurred_at=at, after={"node": d.node}, reason=reason)
        count += 1
    return count


# --- clock stops (SPEC §3) ------------------------------------------------------------------

SUSPENSION_HOLD = "suspension"


def _stop_scope(*, case_id: int, subject: Subject | None, nodes: Iterable[str] | None):
    qs = Deadline.objects.select_for_update(of=("self",)).filter(case_id=case_id, completed_at__isnull=True)
    if subject is not None:
        qs = qs.filter(subject_type=subject.type, subject_id=subject.id)
    if nodes is not None:
        qs = qs.filter(node__in=list(nodes))
    return qs


def deadlines_hold(*, case_id: int, hold: str, at: datetime, actor: User | None, reason: str,
                   subject: Subject | None = None, nodes: Iterable[str] | None = None) -> int:
    """Stop the clocks of a case (or of one subject, or some nodes) for the stop ``hold``.

    A clock pauses at ``at`` only if it was still running then (SPEC §4: a stop, even one entered late
    with an earlier ``occurred_at``, pauses only the deadlines still running at its ``occurred_at``;
    one already overdue then stays breached with its original due, and resumption never moves it).
    A clock another stop already holds keeps its pause and also waits for this one. Returns the
    number of clocks held."""
    qs = list(_stop_scope(case_id=case_id, subject=subject, nodes=nodes)
              .filter(status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED, DeadlineStatus.PAUSED]))
    held = []
    for d in qs:
        if hold in d.holds:
            continue
        if d.status != DeadlineStatus.PAUSED:
            if d.breached_by(at):
                continue  # overdue before the stop began: stays breached, its due never moves
            # Running at ``at`` (a scan may have marked it since; the alerts it raised stay on record).
            d.status, d.paused_at, d.next_alert_at = DeadlineStatus.PAUSED, at, None
        d.holds = [*d.holds, hold]
        d.save(update_fields=["status", "paused_at", "next_alert_at", "holds"])
        held.append(d)
    if held:
        audit_record(actor=actor, action=events.DEADLINE_PAUSE, object_type="cases.case", object_id=case_id,
                     court=held[0].court_id, case_id=case_id, occurred_at=at,
                     after={"deadlines": [d.pk for d in held], "hold": hold}, reason=reason)
    return len(held)


def deadlines_release(*, case_id: int, hold: str, at: datetime, actor: User | None, reason: str = "",
                      subject: Subject | None = None, nodes: Iterable[str] | None = None) -> list[Deadline]:
    """The stop ``hold`` ended: each clock it held whose last stop this was runs again, its due moved
    by the stopped time (working-day periods by the working days lost), counted from its pause."""
    qs = list(_stop_scope(case_id=case_id, subject=subject, nodes=nodes).select_related("court", "bound_rule")
              .filter(status=DeadlineStatus.PAUSED))
    changes, resumed = [], []
    for d in qs:
        if hold not in d.holds:
            continue  # held by other stops only
        d.holds = [h for h in d.holds if h != hold]
        if d.holds:
            d.save(update_fields=["holds"])
            continue
        cal = cal_mod.calendar_for(d.court)
        old_due = d.due_at
        # A days/months due rolled over a holiday shifts from its nominal last day, not the rolled one.
        rolled_from = None
        if not d.shifts and d.unit in (Unit.DAYS, Unit.MONTHS):
            rolled_from = cal_mod.compute_due(d.started_at, d.bound_rule.period, d.unit, cal=cal).rolled_from
        d.due_at = cal_mod.shift_due(d.due_at, d.paused_at, at, d.unit, cal, rolled_from=rolled_from)
        d.shifts = [*d.shifts, {"from": _iso(d.paused_at), "to": _iso(at), "old_due": _iso(old_due),
                                "new_due": _iso(d.due_at), "unit": d.unit, "hold": hold}]
        d.status, d.paused_at = DeadlineStatus.RUNNING, None
        d.alert_level = ""
        set_alert_moments(d, cal)
        d.save(update_fields=["due_at", "shifts", "status", "paused_at", "alert_level", "next_alert_at", "holds",
                              "due_soon_at", "escalate_at"])
        changes.append({"deadline": d.pk, "node": d.node, "old_due": _iso(old_due), "new_due": _iso(d.due_at)})
        resumed.append(d)
    if resumed:
        audit_record(actor=actor, action=events.DEADLINE_RESUME, object_type="cases.case", object_id=case_id,
                     court=resumed[0].court_id, case_id=case_id, occurred_at=at,
                     after={"shifted": changes, "hold": hold}, reason=reason)
    return resumed


def deadlines_pause(*, case_id: int, at: datetime, actor: User | None, reason: str) -> int:
    """Suspension / postponement / grace: the case's running clocks stop."""
    return deadlines_hold(case_id=case_id, hold=SUSPENSION_HOLD, at=at, actor=actor, reason=reason)


def deadlines_resume(*, case_id: int, at: datetime, actor: User | None, reason: str = "") -> list[Deadline]:
    """On resumption each paused due moves by the stopped time (working-day periods by working days lost)."""
    return deadlines_release(case_id=case_id, hold=SUSPENSION_HOLD, at=at, actor=actor, reason=reason)


# --- recomputation -------------------------------------------------------------------------

def _recompute(d: Deadline, *, retime_versions: bool = False) -> None:
    """Recompute the due from the stored candidates' rules and start times, then re-apply stops.

    ``retime_versions``: a start time was corrected, so each candidate is timed by the version of
    its rule in force on its (corrected) start date (SPEC §4), not the one chosen for the old date."""
    court = d.court
    cal = cal_mod.calendar_for(court)
    rules = {r.pk: r for r in Rule.objects.filter(pk__in=[c["rule"] for c in d.candidates])}
    entries = []
    for c in d.candidates:
        rule = rules.get(c["rule"])
        if rule is None:
            continue
        started = datetime.fromisoformat(c["started_at"])
        if retime_versions:
            rule = selectors.rule_version_on(rule, timezone.localdate(started)) or rule
            rules[rule.pk] = rule
        entries.append((rule, started, c["event"]))
    unit_of = (lambda c: rules[c["rule"]].unit) if retime_versions else (lambda _c: d.unit)
    candidates, best, due, shifts = retime(entries, shifts=d.shifts, unit_of=unit_of, court=court, cal=cal)
    d.candidates, d.shifts, d.due_at = candidates, shifts, due
    d.bound_rule_id = best["rule"]
    d.unit = rules[best["rule"]].unit
    d.provisional = any(c["provisional"] for c in candidates if c["rule"] == best["rule"])
    d.started_at = datetime.fromisoformat(best["started_at"])
    if d.status in (DeadlineStatus.RUNNING, DeadlineStatus.BREACHED):
        if d.status == DeadlineStatus.BREACHED and due >= timezone.now():
            d.status = DeadlineStatus.RUNNING
        if d.status == DeadlineStatus.RUNNING:
            d.alert_level = ""  # re-timed: the alerts start over (the unique constraint keeps old ones single)
    set_alert_moments(d, cal)


@transaction.atomic
def deadlines_recompute_provisional(*, year: int | None = None, actor: User | None = None) -> int:
    """A calendar year was loaded: recompute every running provisional deadline (and audit it)."""
    qs = Deadline.objects.select_for_update(of=("self",)).select_related("court").filter(
        OPEN_Q, provisional=True
    )
    count = 0
    for d in qs:
        if d.breached_by(timezone.now()):
            continue  # SPEC §4: a breach already reported keeps its due
        before = {"due_at": _iso(d.due_at), "provisional": True}
        _recompute(d)
        d.save()
        audit_record(actor=actor, action=events.DEADLINE_RECOMPUTE, obj=d, court=d.court_id, case_id=d.case_id,
                     before=before, after={"due_at": _iso(d.due_at), "provisional": d.provisional},
                     reason=f"载入{year or ''}年度节假日安排")
        count += 1
    return count


def deadlines_move_to_case(*, subject_type: str, subject_ids: list[int], case_id: int) -> int:
    """Subjects that moved to another case (e.g. property found on a 终本 case, on its restoration)
    take their clocks with them; the clocks themselves, their dues and histories, are unchanged."""
    return Deadline.objects.filter(subject_type=subject_type, subject_id__in=subject_ids).update(case_id=case_id)


def deadlines_move_court(*, case_id: int, from_court_id: int, to_court_id: int) -> int:
    """A case transferred to another court (SPEC §11 提级执行 / 指令执行) takes its clocks along: the
    same dues, stops and histories, now kept and watched by the receiving court, with their alerts.
    Clocks the case has at other courts (a delegated task, a dispute at the upper court) stay there.
    The open ones have no handler until the receiving court assigns a judge."""
    ids = list(Deadline.objects.filter(case_id=case_id, court_id=from_court_id).values_list("pk", flat=True))
    Deadline.objects.filter(pk__in=ids).update(court_id=to_court_id)
    Deadline.objects.filter(OPEN_Q, pk__in=ids).update(responsible=None)
    Alert.objects.filter(deadline_id__in=ids).update(court_id=to_court_id)
    return len(ids)


def deadlines_set_responsible(*, case_id: int, user: User | None) -> int:
    return Deadline.objects.filter(OPEN_Q, case_id=case_id).update(responsible=user)


# --- rule sets -----------------------------------------------------------------------------

@transaction.atomic
def rulesets_seed(*, actor: User | None = None) -> int:
    """Create the national, Luoyang-2021 and Zhejiang-2016 sets (SPEC §4, §13) and any rule row of
    ``rules_data`` a set lacks (matched by node, start event and condition). Idempotent; rules an
    admin edited keep their edits. Returns the number of rules created."""
    created = 0
    for spec in RULE_SETS:
        rs, _ = RuleSet.objects.get_or_create(
            code=spec["code"],
            defaults={k: spec[k] for k in ("name", "source", "applies_everywhere", "effective_from",
                                            "effective_to", "settings")},
        )
        rs.courts.add(*Court.objects.filter(name__in=spec["courts"]))
        # Parameters a later release adds reach sets seeded earlier; values an admin set are kept.
        missing_settings = {k: v for k, v in spec["settings"].items() if k not in (rs.settings or {})}
        if missing_settings:
            before_settings = dict(rs.settings or {})
            rs.settings = {**before_settings, **missing_settings}
            rs.save(update_fields=["settings"])
            audit_record(actor=actor, action=events.RULESET_SEED, obj=rs, before={"settings": before_settings},
                         after={"code": rs.code, "settings": rs.settings})
        have = {(r.node, r.start_event, repr(sorted(r.condition.items()))) for r in rs.rules.all()}
        missing = [
            Rule(rule_set=rs, node=node, name=NODE_NAMES[node], start_event=event, period=period, unit=unit,
                 condition=cond, source=source, warn_before_days=30 if node == "CONTROL_EXPIRY" else None)
            for node, event, period, unit, cond, source in spec["rules"]
            if (node, event, repr(sorted(cond.items()))) not in have
        ]
        if missing:
            Rule.objects.bulk_create(missing)
            audit_record(actor=actor, action=events.RULESET_SEED, obj=rs,
                         after={"code": rs.code, "added": [f"{r.node}:{r.start_event}" for r in missing]})
            created += len(missing)
    return created


def unit_label(unit: str) -> str:
    return str(Unit(unit).label)


# --- alerts --------------------------------------------------------------------------------

ACK_ROLES = ("supervisor", "bureau_head")


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor: User, note: str = "") -> Alert:
    """A supervisor (or the handler) acknowledges an alert with a note (SPEC §5). Nothing is deleted."""
    from enforcement.errors import Conflict, PermissionDenied

    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not (actor.has_role(*ACK_ROLES) or actor.pk == alert.handler_id):
        raise PermissionDenied(gettext("只有监管人员、执行局长或承办人可以确认预警。"))
    if alert.status != AlertStatus.OPEN:
        raise Conflict(gettext("预警当前状态为“%(value)s”，不能确认。") % {"value": alert.get_status_display()})
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at, alert.acknowledged_by, alert.note = timezone.now(), actor, note.strip()
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "note"])
    audit_record(actor=actor, action=events.ALERT_ACKNOWLEDGE, obj=alert, court=alert.court_id, case_id=alert.case_id,
                 before={"status": AlertStatus.OPEN}, after={"status": alert.status}, reason=note)
    return alert
