"""Every write of the rule what-if (SPEC §11b): drafts, their rules, a replay's report, adoption.

Who: a court's administrator, bureau head or supervisor of an intermediate or higher court, for that
court and the courts below it (a basic court has no subtree to try a local rule on). Adoption is the
bureau head's or the administrator's. Nothing here writes a live deadline: a replay writes only the
draft's report, and adoption creates a rule set that times deadlines started from its effective date.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from enforcement.models import Court, CourtLevel, Role, User
from enforcement.outbox import outbox_handler, outbox_send
from enforcement.selectors import court_ids_visible_to

from ..models import Deadline, DraftRule, DraftStatus, Rule, RuleDraft, RuleSet, RunStatus, Unit
from ..rules_data import EVENTS, NODE_NAMES
from ..selectors import rules_in_force
from . import replay as replay_mod

log = logging.getLogger(__name__)

DRAFT_ROLES = (Role.ADMIN, Role.BUREAU_HEAD, Role.SUPERVISOR)
ADOPT_ROLES = (Role.ADMIN, Role.BUREAU_HEAD)
DRAFT_COURT_LEVELS = (CourtLevel.SUPREME, CourtLevel.HIGH, CourtLevel.INTERMEDIATE)
# A replay over more deadlines than this runs as a Celery task with its progress on the page.
SYNC_LIMIT = getattr(settings, "WHATIF_SYNC_LIMIT", 5000)


def _visible(actor: User, court_id: int) -> bool:
    ids = court_ids_visible_to(actor)
    if isinstance(ids, list):
        return court_id in ids
    return ids.filter(pk=court_id).exists()


def check_may_draft(actor: User, court: Court) -> None:
    """SPEC §11b: the court's own administrator, bureau head or supervisor; other courts see nothing."""
    if not actor.is_superuser and not _visible(actor, court.pk):
        raise NotFound(gettext("未找到该法院。"))
    if not (actor.is_superuser or actor.has_role(*DRAFT_ROLES)):
        raise PermissionDenied(gettext("只有系统管理员、执行局长或专人监管人员可以推演规则草案。"))
    if court.level not in DRAFT_COURT_LEVELS:
        raise InvalidInput({"court": [gettext("规则推演面向中级以上法院及其辖区，请选择中级以上法院。")]})


def _draft_for(actor: User, draft: RuleDraft, *, lock: bool = False) -> RuleDraft:
    qs = RuleDraft.objects.select_related("court")
    if lock:
        qs = qs.select_for_update(of=("self",))
    draft = qs.get(pk=draft.pk)
    check_may_draft(actor, draft.court)
    return draft


def _ensure_editable(draft: RuleDraft) -> None:
    if draft.status != DraftStatus.DRAFT:
        raise Conflict(gettext("草案已采用，不能再修改；请另拟新草案。"))


def _validate_period(date_from: date, date_to: date) -> None:
    if date_from > date_to:
        raise InvalidInput({"period_to": [gettext("推演期间的截止日期不得早于起始日期。")]})
    if date_to > timezone.localdate():
        raise InvalidInput({"period_to": [gettext("推演只针对已经发生的案件，截止日期不得晚于今日。")]})


def _validate_rule(*, node: str, start_event: str, period, unit: str) -> None:
    errors = {}
    if node not in NODE_NAMES:
        errors["node"] = ["未知的节点。"]
    if start_event not in EVENTS:
        errors["start_event"] = ["未知的起算事件。"]
    if unit not in Unit.values:
        errors["unit"] = ["未知的期间单位。"]
    if isinstance(period, bool) or not isinstance(period, int) or period < 0 or period > 3650:
        errors["period"] = ["期间须为 0 至 3650 之间的整数。"]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def draft_create(*, actor: User, court: Court, name: str, period_from: date, period_to: date,
                 note: str = "") -> RuleDraft:
    """A new draft holding a copy of every rule in force for ``court`` today."""
    check_may_draft(actor, court)
    name = (name or "").strip()
    if not name:
        raise InvalidInput({"name": [gettext("请填写草案名称。")]})
    _validate_period(period_from, period_to)
    draft = RuleDraft.objects.create(court=court, name=name, note=note.strip(), period_from=period_from,
                                     period_to=period_to, created_by=actor)
    rows = []
    for r in rules_in_force(court=court, on=timezone.localdate()):  # today's versions (SPEC §4)
        rows.append(DraftRule(draft=draft, origin=r, node=r.node, name=r.name, start_event=r.start_event,
                              period=r.period, unit=r.unit, condition=r.condition, source=r.source))
    DraftRule.objects.bulk_create(rows)
    audit_record(actor=actor, action=events.RULEDRAFT_CREATE, obj=draft, court=court.pk,
                 after={"name": name, "from": period_from.isoformat(), "to": period_to.isoformat(),
                        "rules": len(rows)})
    return draft


@transaction.atomic
def draft_set_period(*, actor: User, draft: RuleDraft, period_from: date, period_to: date) -> RuleDraft:
    draft = _draft_for(actor, draft, lock=True)
    _ensure_editable(draft)
    _validate_period(period_from, period_to)
    before = {"from": draft.period_from.isoformat(), "to": draft.period_to.isoformat()}
    draft.period_from, draft.period_to = period_from, period_to
    draft.save(update_fields=["period_from", "period_to"])
    audit_record(actor=actor, action=events.RULEDRAFT_SET_PERIOD, obj=draft, court=draft.court_id, before=before,
                 after={"from": period_from.isoformat(), "to": period_to.isoformat()})
    return draft


@transaction.atomic
def draft_rule_change(*, actor: User, rule: DraftRule, period: int, unit: str, start_event: str) -> DraftRule:
    """Change a rule of the draft (its period, unit or start event)."""
    draft = _draft_for(actor, rule.draft, lock=True)
    _ensure_editable(draft)
    rule = DraftRule.objects.get(pk=rule.pk, draft=draft)
    _validate_rule(node=rule.node, start_event=start_event, period=period, unit=unit)
    before = {"period": rule.period, "unit": rule.unit, "start_event": rule.start_event}
    rule.period, rule.unit, rule.start_event = period, unit, start_event
    rule.save(update_fields=["period", "unit", "start_event"])
    audit_record(actor=actor, action=events.RULEDRAFT_CHANGE_RULE, obj=draft, court=draft.court_id, before=before,
                 after={"node": rule.node, "period": period, "unit": unit, "start_event": start_event})
    return rule


@transaction.atomic
def draft_rule_add(*, actor: User, draft: RuleDraft, node: str, start_event: str, period: int, unit: str,
                   source: str = "") -> DraftRule:
    """Add a rule to the draft: a further rule for a node (the earliest due binds) or a new node's rule."""
    draft = _draft_for(actor, draft, lock=True)
    _ensure_editable(draft)
    _validate_rule(node=node, start_event=start_event, period=period, unit=unit)
    rule = DraftRule.objects.create(draft=draft, node=node, name=NODE_NAMES[node], start_event=start_event,
                                    period=period, unit=unit, source=source.strip() or f"规则草案：{draft.name}")
    audit_record(actor=actor, action=events.RULEDRAFT_ADD_RULE, obj=draft, court=draft.court_id,
                 after={"node": node, "period": period, "unit": unit, "start_event": start_event})
    return rule


@transaction.atomic
def draft_rule_remove(*, actor: User, rule: DraftRule) -> None:
    """Remove a rule the draft added, or undo the changes to a copied one."""
    draft = _draft_for(actor, rule.draft, lock=True)
    _ensure_editable(draft)
    rule = DraftRule.objects.select_related("origin").get(pk=rule.pk, draft=draft)
    before = {"node": rule.node, "period": rule.period, "unit": rule.unit, "start_event": rule.start_event}
    if rule.origin is None:
        rule.delete()
    else:
        o = rule.origin
        rule.period, rule.unit, rule.start_event = o.period, o.unit, o.start_event
        rule.save(update_fields=["period", "unit", "start_event"])
    audit_record(actor=actor, action=events.RULEDRAFT_REMOVE_RULE, obj=draft, court=draft.court_id, before=before)


def _rows_to_replay(draft: RuleDraft, trial) -> int:
    start = replay_mod._day_start(draft.period_from)
    end = replay_mod._day_start(draft.period_to + timedelta(days=1))
    return Deadline.objects.filter(court__path__startswith=draft.court.path, node__in={t.node for t in trial},
                                   case__filed_at__gte=start, case__filed_at__lt=end).count()


@transaction.atomic
def draft_run(*, actor: User, draft: RuleDraft) -> RuleDraft:
    """Replay the draft. A short replay answers at once; a long one is queued (progress on the page)."""
    draft = _draft_for(actor, draft, lock=True)
    if draft.run_status in (RunStatus.QUEUED, RunStatus.RUNNING):
        raise Conflict(gettext("该草案正在推演，请等待完成。"), code="already_running")
    trial = replay_mod.trial_rules_from_draft(draft)
    if not trial:
        raise InvalidInput({"rules": [gettext("草案与现行规则相同：请先修改或新增规则，再进行推演。")]})
    audit_record(actor=actor, action=events.RULEDRAFT_RUN, obj=draft, court=draft.court_id,
                 after={"rules": [{"node": t.node, "period": t.period, "unit": t.unit} for t in trial]})
    if _rows_to_replay(draft, trial) <= SYNC_LIMIT:
        _store(draft, replay_mod.replay(court=draft.court, date_from=draft.period_from, date_to=draft.period_to,
                                        trial=trial))
        return draft
    draft.run_status, draft.run_progress, draft.run_error = RunStatus.QUEUED, 0, ""
    draft.run_started_at, draft.run_finished_at = timezone.now(), None
    draft.save(update_fields=["run_status", "run_progress", "run_error", "run_started_at", "run_finished_at"])
    # The replay leaves through the outbox: a broker outage delays it, the draft waits queued.
    outbox_send(topic=REPLAY_TOPIC, payload={"pk": draft.pk})
    return draft


def _store(draft: RuleDraft, report: dict) -> None:
    draft.report, draft.run_status, draft.run_progress, draft.run_error = report, RunStatus.DONE, 100, ""
    draft.run_started_at = draft.run_started_at or timezone.now()
    draft.run_finished_at = timezone.now()
    draft.save(update_fields=["report", "run_status", "run_progress", "run_error", "run_started_at",
                              "run_finished_at"])


REPLAY_TOPIC = "whatif.replay"


@outbox_handler(REPLAY_TOPIC)
def draft_run_execute(pk: int) -> None:
    """The queued replay (Celery). Progress is saved in its own small transactions as batches finish."""
    with transaction.atomic():
        draft = RuleDraft.objects.select_for_update(of=("self",)).select_related("court").get(pk=pk)
        if draft.run_status != RunStatus.QUEUED:
            return
        draft.run_status = RunStatus.RUNNING
        draft.save(update_fields=["run_status"])

    def progress(p: int) -> None:
        RuleDraft.objects.filter(pk=pk).update(run_progress=min(p, 99))

    try:
        report = replay_mod.replay(court=draft.court, date_from=draft.period_from, date_to=draft.period_to,
                                   trial=replay_mod.trial_rules_from_draft(draft), progress=progress)
    except Exception as exc:
        log.exception("replay of draft %s failed", pk)
        RuleDraft.objects.filter(pk=pk).update(run_status=RunStatus.FAILED, run_error=str(exc)[:500],
                                               run_finished_at=timezone.now())
        raise
    with transaction.atomic():
        draft = RuleDraft.objects.select_for_update(of=("self",)).get(pk=pk)
        _store(draft, report)


@transaction.atomic
def draft_adopt(*, actor: User, draft: RuleDraft, effective_from: date) -> RuleSet:
    """Adopt the draft: its changed and added rules become a local rule set of the draft's court,
    in force from ``effective_from`` (today or later). A deadline is timed by the rule sets in force on
    its start event's date (SPEC §4), so nothing started before that date is re-timed."""
    draft = _draft_for(actor, draft, lock=True)
    _ensure_editable(draft)
    if not (actor.is_superuser or actor.has_role(*ADOPT_ROLES)):
        raise PermissionDenied(gettext("只有执行局长或系统管理员可以采用规则草案。"))
    if effective_from < timezone.localdate():
        raise InvalidInput({"effective_from": [gettext("生效日期不得早于今日：已经起算的期限不因新规则而改变。")]})
    changed = [r for r in draft.rules.select_related("origin") if r.changed]
    if not changed:
        raise InvalidInput({"rules": [gettext("草案与现行规则相同，无可采用的规则。")]})
    rs = RuleSet.objects.create(code=f"draft-{draft.pk}", name=draft.name, source=f"规则草案：{draft.name}",
                                effective_from=effective_from)
    rs.courts.add(draft.court)
    Rule.objects.bulk_create([
        Rule(rule_set=rs, node=r.node, name=r.name, start_event=r.start_event, period=r.period, unit=r.unit,
             condition=r.condition, source=r.source or f"规则草案：{draft.name}") for r in changed
    ])
    draft.status, draft.adopted_at, draft.adopted_by, draft.adopted_rule_set = (
        DraftStatus.ADOPTED, timezone.now(), actor, rs)
    draft.save(update_fields=["status", "adopted_at", "adopted_by", "adopted_rule_set"])
    audit_record(actor=actor, action=events.RULEDRAFT_ADOPT, obj=draft, court=draft.court_id,
                 after={"rule_set": rs.code, "effective_from": effective_from.isoformat(),
                        "rules": [{"node": r.node, "period": r.period, "unit": r.unit, "start_event": r.start_event}
                                  for r in changed]})
    return rs


def what_if(*, actor: User, court: Court, date_from: date, date_to: date, changes: list[dict]) -> dict:
    """``POST /api/v1/rulesets/what-if/``: replay ``changes`` at once; writes nothing at all."""
    check_may_draft(actor, court)
    _validate_period(date_from, date_to)
    trial = replay_mod.trial_rules_from_changes(court, changes, timezone.localdate())
    return replay_mod.replay(court=court, date_from=date_from, date_to=date_to, trial=trial)
