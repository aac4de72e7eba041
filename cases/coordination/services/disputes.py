"""Inter-court disputes (执行争议协调, SPEC §11, [004 §27]).

Between two courts: a bureau head reports it; it goes to their lowest common upper court (strictly
above both) — ``reported`` → ``resolved`` (that court's coordination decision, DISPUTE_RESOLVE,
1 month) → ``implemented`` (each of the two courts records that it carried it out,
DISPUTE_IMPLEMENT, 15 working days from the decision). While it is unresolved the case's CASE_LIMIT
is stopped [SPC2006 §13] through the case-limit stop mechanism (``cases.clockstops``).

With another state organ (检察、公安、税务、海关…): when negotiation failed and the upper court must
coordinate, the court has 5 working days to refer it (DISPUTE_REFER) and the upper court 10
working days to start coordinating with the other department (DISPUTE_COORDINATE) —
``awaiting_referral`` → ``reported`` → ``coordinating`` → ``resolved``. SPEC ties the CASE_LIMIT stop
to disputes between courts, so these do not stop it, and there is no implementation clock.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from deadlines import services as clock
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, GuardFailed, InvalidInput, PermissionDenied, Violation
from enforcement.models import Court, Role, User
from enforcement.notifications import notify
from enforcement.timeutil import resolve_occurred_at

from ... import services as case_services
from ...clockstops import services as stops
from ...clockstops.models import LimitStopKind
from ...models import Case
from ..models import Dispute, DisputeKind, DisputeStatus
from .common import UPPER_ROLES, lowest_common_upper, require_open_case, require_text, subject

IMPLEMENT_ROLES = (Role.BUREAU_HEAD, Role.BUREAU_CLERK, Role.POST_JUDGE)


def _snapshot(d: Dispute) -> dict:
    return {"status": d.status, "kind": d.kind, "upper_court": d.upper_court_id, "other_court": d.other_court_id,
            "other_organ": d.other_organ}


def _subject(d: Dispute, court_id: int):
    return subject("dispute", d, court_id)


def _officers(court: Court, roles) -> list[User]:
    return list(User.objects.filter(court=court, is_active=True, role_rows__role__in=list(roles)).distinct())


def _lock(d: Dispute) -> tuple[Case, Dispute]:
    case = case_services._lock(Case(pk=d.case_id))
    d = (Dispute.objects.select_for_update(of=("self",))
         .select_related("reporting_court", "other_court", "upper_court", "limit_stop").get(pk=d.pk))
    d.case = case
    return case, d


@transaction.atomic
def dispute_report(*, case: Case, actor: User, summary: str, other_court: Court | None = None,
                   kind: str = DisputeKind.COURT, other_organ: str = "",
                   occurred_at: datetime | None = None) -> Dispute:
    if kind not in DisputeKind.values:
        raise InvalidInput({"kind": [gettext("争议类型无效。")]})
    case = case_services._lock(case)
    case_services._require_court(actor, case.court_id)
    if not actor.has_role(Role.BUREAU_HEAD) or actor.court_id != case.court_id:
        raise PermissionDenied(gettext("执行争议由承办法院的执行局长报请协调。"))
    require_open_case(case, "报请协调执行争议")
    text = require_text(summary, "summary", "请写明争议情况及协商经过。")
    at = resolve_occurred_at(occurred_at, previous=case.filed_at)
    reporting = case.court
    if kind == DisputeKind.COURT:
        if other_court is None:
            raise InvalidInput({"other_court": [gettext("请选择发生争议的对方法院。")]})
        if other_court.pk == reporting.pk:
            raise InvalidInput({"other_court": [gettext("对方法院不能是本院。")]})
        # [004 §27] 协商不成的，应逐级报共同上级人民法院协调解决 — strictly above both (SPEC §11).
        upper = lowest_common_upper(reporting, other_court)
        if upper is None:
            raise GuardFailed(
                [
                    Violation(
                        "no_common_upper_court",
                        gettext("本院与%(name)s没有共同上级法院。") % {"name": other_court.name},
                        "[004 §27]",
                    )
                ]
            )
        organ = ""
    else:
        organ = require_text(other_organ, "other_organ", "请写明发生争议的执法机关（如某某市公安局）。")
        if other_court is not None:
            raise InvalidInput({"other_court": [gettext("与其他执法机关的争议不填对方法院。")]})
        upper = reporting.parent
        if upper is None:
            raise GuardFailed([Violation("no_common_upper_court", gettext("本院没有上级法院。"), "[004 §27]")])
    d = Dispute.objects.create(
        case=case,
        kind=kind,
        reporting_court=reporting,
        other_court=other_court,
        other_organ=organ,
        upper_court=upper,
        summary=text,
        reported_by=actor,
        reported_at=at,
        last_event_at=at,
        status=DisputeStatus.REPORTED if kind == DisputeKind.COURT else DisputeStatus.AWAITING_REFERRAL,
    )
    if kind == DisputeKind.COURT:
        assert other_court is not None
        # [SPC2006 §13]: the coordination period is not counted in the case limit.
        d.limit_stop = stops.case_limit_stop_follow(
            case=case,
            actor=actor,
            kind=LimitStopKind.DISPUTE_COORDINATION,
            reason=f"与{other_court.name}的执行争议报请{upper.name}协调",
            at=at,
        )
        d.save(update_fields=["limit_stop"])
        clock.deadlines_on_event(
            event="dispute.reported", at=at, subject=_subject(d, upper.pk), court=upper, actor=actor
        )
        recipients = _officers(upper, UPPER_ROLES) + _officers(other_court, [Role.BUREAU_HEAD])
    else:
        clock.deadlines_on_event(
            event="dispute.organ_unresolved",
            at=at,
            subject=_subject(d, reporting.pk),
            court=reporting,
            actor=actor,
            responsible=actor,
        )
        recipients = []
    audit_record(
        actor=actor,
        action=events.DISPUTE_REPORT,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        after={**_snapshot(d), "upper_court_name": upper.name},
        reason=text,
    )
    notify(
        recipients=recipients,
        kind="dispute_reported",
        title=lambda: (gettext("执行争议报请协调：%(number)s（%(other_party)s）")
        % {"number": case.number, "other_party": d.other_party}),
        body=lambda: text,
    )
    return d


def _require_upper(actor: User, d: Dispute, what: str) -> None:
    if actor.court_id != d.upper_court_id or not actor.has_role(*UPPER_ROLES):
        raise PermissionDenied(
            gettext("%(what)s由%(name)s的专人监管或执行局长办理。") % {"what": what, "name": d.upper_court.name}
        )


@transaction.atomic
def dispute_refer(*, dispute: Dispute, actor: User, occurred_at: datetime | None = None) -> Dispute:
    """State-organ dispute: the court refers it to its upper court (DISPUTE_REFER, 5 working days)."""
    case, d = _lock(dispute)
    if d.status != DisputeStatus.AWAITING_REFERRAL:
        raise Conflict(gettext("争议当前状态为“%(value)s”，不能报请上级法院。") % {"value": d.get_status_display()})
    if actor.court_id != d.reporting_court_id or not actor.has_role(Role.BUREAU_HEAD):
        raise PermissionDenied(gettext("由报请法院的执行局长报请上级法院协调。"))
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.refer()
    d.referred_at = d.last_event_at = at
    d.save(update_fields=["status", "referred_at", "last_event_at"])
    clock.deadline_meet(node="DISPUTE_REFER", subject=_subject(d, d.reporting_court_id), at=at, actor=actor)
    clock.deadlines_on_event(
        event="dispute.organ_referred", at=at, subject=_subject(d, d.upper_court_id), court=d.upper_court, actor=actor
    )
    audit_record(
        actor=actor,
        action=events.DISPUTE_REFER,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(d),
    )
    notify(
        recipients=_officers(d.upper_court, UPPER_ROLES),
        kind="dispute_reported",
        title=lambda: (gettext("报请协调与%(other_organ)s的执行争议：%(number)s")
        % {"other_organ": d.other_organ, "number": case.number}),
        body=lambda: d.summary,
    )
    return d


@transaction.atomic
def dispute_start_coordination(
    *, dispute: Dispute, actor: User, note: str = "", occurred_at: datetime | None = None
) -> Dispute:
    """State-organ dispute: the upper court starts coordinating with the other department
    (DISPUTE_COORDINATE, 10 working days from the referral)."""
    case, d = _lock(dispute)
    if d.status != DisputeStatus.REPORTED or d.kind != DisputeKind.STATE_ORGAN:
        raise Conflict(gettext("争议当前状态为“%(value)s”，不能启动协调。") % {"value": d.get_status_display()})
    _require_upper(actor, d, "启动与其他部门的协调")
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.start_coordination()
    d.coordination_started_at = d.last_event_at = at
    d.save(update_fields=["status", "coordination_started_at", "last_event_at"])
    clock.deadline_meet(node="DISPUTE_COORDINATE", subject=_subject(d, d.upper_court_id), at=at, actor=actor)
    audit_record(
        actor=actor,
        action=events.DISPUTE_START_COORDINATION,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(d),
        reason=(note or "").strip(),
    )
    return d


@transaction.atomic
def dispute_resolve(*, dispute: Dispute, actor: User, decision: str, occurred_at: datetime | None = None) -> Dispute:
    """The upper court's coordination decision (DISPUTE_RESOLVE met); between courts it starts
    DISPUTE_IMPLEMENT and the case limit runs on, moved by the coordination period."""
    case, d = _lock(dispute)
    if d.status not in (DisputeStatus.REPORTED, DisputeStatus.COORDINATING) or (
        d.kind == DisputeKind.STATE_ORGAN and d.status != DisputeStatus.COORDINATING
    ):
        raise Conflict(gettext("争议当前状态为“%(value)s”，不能作出协调意见。") % {"value": d.get_status_display()})
    _require_upper(actor, d, "协调意见")
    text = require_text(decision, "decision", "请写明协调意见。")
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.resolve()
    d.decision, d.resolved_by, d.resolved_at, d.last_event_at = text, actor, at, at
    d.save(update_fields=["status", "decision", "resolved_by", "resolved_at", "last_event_at"])
    recipients = _officers(d.reporting_court, [Role.BUREAU_HEAD]) + [case.judge]
    if d.kind == DisputeKind.COURT:
        clock.deadline_meet(node="DISPUTE_RESOLVE", subject=_subject(d, d.upper_court_id), at=at, actor=actor)
        clock.deadlines_on_event(
            event="dispute.resolved",
            at=at,
            subject=_subject(d, d.reporting_court_id),
            court=d.reporting_court,
            actor=actor,
            responsible=case.judge,
        )
        still_needed = (
            Dispute.objects.filter(limit_stop=d.limit_stop_id, status=DisputeStatus.REPORTED).exclude(pk=d.pk).exists()
        )
        if not still_needed and d.limit_stop is not None:
            stops.case_limit_stop_end_following(
                stop=d.limit_stop, actor=actor, at=at, note=f"{d.upper_court.name}已作出协调意见"
            )
        assert d.other_court is not None
        recipients += _officers(d.other_court, [Role.BUREAU_HEAD])
    audit_record(
        actor=actor,
        action=events.DISPUTE_RESOLVE,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(d),
        reason=text,
    )
    notify(
        recipients=recipients,
        kind="dispute_resolved",
        title=lambda: gettext("%(name)s协调意见：%(number)s") % {"name": d.upper_court.name, "number": case.number},
        body=lambda: text,
    )
    return d


@transaction.atomic
def dispute_implement(*, dispute: Dispute, actor: User, note: str, occurred_at: datetime | None = None) -> Dispute:
    """One of the two courts records that it carried out the decision; when both have, the dispute is
    implemented and DISPUTE_IMPLEMENT is met (one clock for the dispute: SPEC names one node)."""
    case, d = _lock(dispute)
    if d.status != DisputeStatus.RESOLVED or d.kind != DisputeKind.COURT:
        raise Conflict(gettext("争议当前状态为“%(value)s”，不能登记落实。") % {"value": d.get_status_display()})
    if actor.court_id not in (d.reporting_court_id, d.other_court_id) or not actor.has_role(*IMPLEMENT_ROLES):
        raise PermissionDenied(gettext("由争议双方法院的执行人员登记落实情况。"))
    side = "reporting" if actor.court_id == d.reporting_court_id else "other"
    if getattr(d, f"{side}_implemented_at") is not None:
        raise Conflict(gettext("贵院已经登记过落实情况。"), code="already_implemented")
    text = require_text(note, "note", "请写明落实情况。")
    at = resolve_occurred_at(occurred_at, previous=d.resolved_at)
    before = _snapshot(d)
    setattr(d, f"{side}_implemented_at", at)
    setattr(d, f"{side}_note", text)
    fields = [f"{side}_implemented_at", f"{side}_note", "last_event_at"]
    d.last_event_at = max(d.last_event_at, at)
    if d.reporting_implemented_at and d.other_implemented_at:
        d.implement()
        fields.append("status")
        clock.deadline_meet(node="DISPUTE_IMPLEMENT", subject=_subject(d, d.reporting_court_id), at=at, actor=actor)
    d.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=events.DISPUTE_IMPLEMENT,
        obj=d,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after={**_snapshot(d), "side": actor.court.name if actor.court is not None else ""},
        reason=text,
    )
    return d
