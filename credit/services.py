"""Every write to a credit sanction (SPEC §6.4). One function per act: role + court check, guards,
FSM transition, deadlines, platform outbox, audit event — in one transaction.

One aggregate, the sanction, from proposal to lifting, with its correction requests and the
platform messages it sends: long, but one state machine whose helpers (lock, audit snapshot,
platform payload) every act shares, so it stays one module."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_fsm import can_proceed

from cases.models import Case, CaseStatus, Closure, Party, PartyKind, PartyRole
from cases.parties.services import parties_tell_sanction
from deadlines.calendar import add_months
from deadlines.services import Subject, deadline_meet, deadlines_on_event
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, Guards, InvalidInput, NotFound, PermissionDenied
from enforcement.models import Role, User
from enforcement.outbox import outbox_send
from enforcement.selectors import court_ids_visible_to
from enforcement.timeutil import resolve_occurred_at

from . import rules
from .delivery import PLATFORM_TOPIC
from .models import (
    JUDGE_LIFT_REASONS,
    LIFT_GROUNDS,
    LIFTABLE_STATUSES,
    LISTING_TERM_MONTHS,
    OPEN_SANCTION_STATUSES,
    TERMED_GROUNDS,
    CorrectionOutcome,
    CorrectionRequest,
    CreditPlatformMessage,
    LiftReason,
    ListingGround,
    PlatformAction,
    Sanction,
    SanctionKind,
    SanctionStatus,
)

logger = logging.getLogger("credit")

PROPOSER_ROLES = (Role.POST_JUDGE, Role.OFFICER)
RECORDER_ROLES = (Role.POST_JUDGE, Role.OFFICER, Role.FILING_CLERK, Role.BUREAU_CLERK)
# A sanction is proposed while the case is being enforced; a terminated-round case keeps its
# restrictions running, so its pending ones may still be decided and published after closure.
PROPOSABLE_CASE_STATES = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
GRACE_MONTHS = range(1, 4)  # [003 §8] 一至三个月
EXTEND_YEARS = range(1, 4)  # 失信期限可延长一至三年


# --- helpers -------------------------------------------------------------------------------

def _require_role(actor: User, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise PermissionDenied(gettext("您没有执行该操作的权限。"))


def _require_court(actor: User, court_id: int) -> None:
    visible = court_ids_visible_to(actor)
    ok = court_id in visible if isinstance(visible, list) else visible.filter(pk=court_id).exists()
    if not ok:
        raise NotFound(gettext("未找到。"))


def _ensure_judge(actor: User, case: Case) -> None:
    from cases.rules import not_case_judge

    v = not_case_judge(actor, case)
    if v:
        g = Guards()
        g.add(v)
        g.raise_if_any()


def _lock(sanction: Sanction) -> Sanction:
    """Lock the row and re-read it: concurrent transitions on one sanction serialise here."""
    return (
        Sanction.objects.select_for_update(of=("self",))
        .select_related("case", "case__judge", "case__court", "party", "court")
        .get(pk=sanction.pk)
    )


def _ensure_can(s: Sanction, method, label: str) -> None:
    if not can_proceed(method):
        raise Conflict(
            gettext("该措施当前状态为“%(value)s”，不能%(label)s。") % {"value": s.get_status_display(), "label": label}
        )


def _ensure_case_allows(s: Sanction, label: str) -> None:
    case = s.case
    if case.status == CaseStatus.CLOSED and case.closure != Closure.TERMINATED_ROUND:
        raise Conflict(
            gettext("案件已结案（%(value)s），不能%(label)s。") % {"value": case.get_closure_display(), "label": label},
            code="case_closed",
        )


def _subject(s: Sanction) -> Subject:
    return Subject("sanction", s.pk, s.case_id, s.court_id)


def _snapshot(s: Sanction) -> dict:
    return {
        "status": s.status,
        "kind": s.kind,
        "ground": s.ground,
        "served_at": s.served_at,
        "grace_until": s.grace_until,
        "term_until": s.term_until,
        "lift_ground": s.lift_ground,
        "lift_reason": s.lift_reason,
    }


def _audit(
    s: Sanction, actor: User | None, action: str, at: datetime, before: dict | None = None, reason: str = "", **extra
) -> None:
    audit_record(
        actor=actor,
        action=events.sanction(action),
        obj=s,
        court=s.court_id,
        case_id=s.case_id,
        occurred_at=at,
        before=before,
        after={**_snapshot(s), **extra},
        reason=reason,
    )


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def platform_payload(s: Sanction, action: str, at: datetime) -> dict:
    """Everything the platform (and the decision document) needs: court, case number, party identity,
    ground, decision and service dates, the persons named."""
    party = s.party
    return {
        "action": action,
        "occurred_at": _iso(at),
        "court": {"id": s.court_id, "name": s.court.name, "code": s.court.code},
        "case_number": s.case.number,
        "party": {
            "name": party.name,
            "kind": party.kind,
            "id_number": party.id_number,
            "legal_representative": party.legal_representative,
        },
        "persons": s.persons,
        "kind": s.kind,
        "ground": s.ground,
        "ground_label": _chinese(ListingGround(s.ground).label) if s.ground else "",
        "decided_at": _iso(s.decided_at),
        "served_at": _iso(s.served_at),
        "published_at": _iso(s.published_at),
        "term_until": _iso(s.term_until),
        "lift_reason": s.lift_reason,
    }


def _chinese(label) -> str:
    """A label as the credit platform reads it: Chinese whatever the acting user's interface language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _platform(s: Sanction, action: str, at: datetime) -> CreditPlatformMessage:
    """Queue a message to the credit platform; delivered after commit (outbox)."""
    n = CreditPlatformMessage.objects.filter(sanction=s, action=action).count() + 1
    message = CreditPlatformMessage.objects.create(
        sanction=s,
        court_id=s.court_id,
        action=action,
        key=f"sanction-{s.pk}-{action}-{n}",
        payload=platform_payload(s, action, at),
    )
    outbox_send(topic=PLATFORM_TOPIC, payload={"ids": [message.pk]})
    return message


# Sanctions lifted on the RESTRICTION_LIFT clock. A dishonest listing runs on the same 3-working-day
# clock as a restriction (SPEC §6.4 "Lifting", [004 §23]); an exit ban's lifting is not timed by the seeds.
LIFT_CLOCK_KINDS = (SanctionKind.CONSUMPTION_RESTRICTION, SanctionKind.DISHONEST_LIST)


def _start_lift_clock(s: Sanction, at: datetime, actor: User | None) -> None:
    """RESTRICTION_LIFT [004 §23]: 3 working days from the ground, at once on an urgent request."""
    if s.kind not in LIFT_CLOCK_KINDS:
        return
    deadlines_on_event(
        event="sanction.lift_ground",
        at=at,
        subject=_subject(s),
        court=s.court,
        actor=actor,
        context={"urgent": s.lift_urgent},
        responsible=s.case.judge,
    )


def _validate_persons(persons, party: Party) -> list[dict]:
    if persons is None or persons == []:
        # An organisation's restriction names its legal representative [004 §23], [000 §8].
        if party.kind == PartyKind.ORGANIZATION and party.legal_representative:
            return [{"name": party.legal_representative, "role": "法定代表人", "id_number": ""}]
        return []
    if party.kind != PartyKind.ORGANIZATION:
        raise InvalidInput({"persons": [gettext("只有被执行人为单位时才需列明法定代表人、主要负责人等有关人员。")]})
    out = []
    for p in persons:
        if not isinstance(p, dict) or not str(p.get("name", "")).strip():
            raise InvalidInput({"persons": [gettext("每名有关人员须写明姓名。")]})
        out.append(
            {
                "name": str(p["name"]).strip(),
                "role": str(p.get("role", "")).strip(),
                "id_number": str(p.get("id_number", "")).strip(),
            }
        )
    return out


# --- propose -------------------------------------------------------------------------------


@transaction.atomic
def sanction_propose(
    *,
    case: Case,
    party: Party,
    kind: str,
    actor: User,
    ground: str = "",
    persons: list[dict] | None = None,
    note: str = "",
    occurred_at: datetime | None = None,
) -> Sanction:
    _require_role(actor, *PROPOSER_ROLES)
    case = Case.objects.select_for_update(of=("self",)).select_related("court", "judge").get(pk=case.pk)
    _require_court(actor, case.court_id)
    errors: dict[str, list[str]] = {}
    if kind not in SanctionKind.values:
        errors["kind"] = [f"可选值：{', '.join(SanctionKind.values)}。"]
    if ground and ground not in ListingGround.values:
        errors["ground"] = [f"可选值：{', '.join(ListingGround.values)}。"]
    if party.case_id != case.pk or party.role != PartyRole.RESPONDENT:
        errors["party"] = ["只能对本案被执行人采取信用惩戒措施。"]
    if errors:
        raise InvalidInput(errors)
    persons = _validate_persons(persons, party)
    if case.status not in PROPOSABLE_CASE_STATES:
        raise Conflict(
            gettext("案件当前状态为“%(value)s”，不能提出信用惩戒措施。") % {"value": case.get_status_display()}
        )
    at = resolve_occurred_at(occurred_at, previous=case.filed_at)
    if Sanction.objects.filter(case=case, party=party, kind=kind, status__in=OPEN_SANCTION_STATUSES).exists():
        raise Conflict(
            gettext("已对%(name)s采取%(label)s措施，尚未解除。")
            % {"name": party.name, "label": SanctionKind(kind).label},
            code="sanction_exists",
        )
    guards = Guards()
    for v in (
        rules.protected_party(party, case, at),
        rules.dishonest_without_ground(kind, ground, None, need_service=False),
    ):
        if v:
            guards.add(v)
    guards.raise_if_any()
    s = _create(case=case, party=party, kind=kind, ground=ground, persons=persons, note=note, actor=actor, at=at)
    if (
        kind == SanctionKind.DISHONEST_LIST
        and not Sanction.objects.filter(
            case=case, party=party, kind=SanctionKind.CONSUMPTION_RESTRICTION, status__in=OPEN_SANCTION_STATUSES
        ).exists()
    ):
        # [004 §23] 符合失信情形的，纳入失信名单同时限制消费 (a restriction alone never implies listing).
        _create(
            case=case,
            party=party,
            kind=SanctionKind.CONSUMPTION_RESTRICTION,
            ground=ground,
            persons=persons,
            note="随纳入失信被执行人名单一并采取",
            actor=actor,
            at=at,
            companion_of=s,
        )
    return s


def _create(
    *,
    case: Case,
    party: Party,
    kind: str,
    ground: str,
    persons: list[dict],
    note: str,
    actor: User,
    at: datetime,
    companion_of: Sanction | None = None,
) -> Sanction:
    s = Sanction.objects.create(
        case=case,
        court_id=case.court_id,
        party=party,
        kind=kind,
        ground=ground,
        persons=persons,
        note=note.strip(),
        companion_of=companion_of,
        proposed_by=actor,
        proposed_at=at,
        last_event_at=at,
    )
    s.case, s.party = case, party
    _audit(
        s,
        actor,
        "propose",
        at,
        party=party.name,
        persons=persons,
        companion_of=companion_of.pk if companion_of else None,
    )
    return s


def _companions(s: Sanction, status: str) -> list[Sanction]:
    """The restriction created with a listing follows it through decide / grace / publish [004 §23]."""
    if s.kind != SanctionKind.DISHONEST_LIST:
        return []
    return list(
        Sanction.objects.select_for_update(of=("self",))
        .select_related("case", "case__judge", "party", "court")
        .filter(companion_of=s, status=status)
    )


# --- decide, serve, grace --------------------------------------------------------------------


@transaction.atomic
def sanction_decide(
    *, sanction: Sanction, actor: User, served_at: datetime | None = None, occurred_at: datetime | None = None
) -> Sanction:
    """The judge decides (decision document made); ``served_at`` when it has been served too."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    _ensure_can(s, s.decide, "作出决定")
    _ensure_case_allows(s, "作出惩戒决定")
    _ensure_judge(actor, s.case)
    at = resolve_occurred_at(occurred_at, previous=s.last_event_at)
    served = resolve_occurred_at(served_at, previous=at, field="served_at") if served_at else None
    guards = Guards()
    for v in (
        rules.protected_party(s.party, s.case, at),
        rules.dishonest_without_ground(s.kind, s.ground, None, need_service=False),
    ):
        if v:
            guards.add(v)
    guards.raise_if_any()
    companions = _companions(s, SanctionStatus.PROPOSED)
    for obj in (s, *companions):
        before = _snapshot(obj)
        obj.decide()
        obj.decided_at, obj.served_at, obj.last_event_at = at, served, served or at
        obj.save(update_fields=["status", "decided_at", "served_at", "last_event_at", "updated_at"])
        _audit(obj, actor, "decide", at, before)
    with translation.override(settings.LANGUAGE_CODE):  # parties read Chinese
        kinds = [o.get_kind_display() for o in (s, *companions)]
        parties_tell_sanction(case=s.case, debtor=s.party, at=at, kinds=kinds)
    return s


@transaction.atomic
def sanction_serve(*, sanction: Sanction, actor: User, served_at: datetime | None = None) -> Sanction:
    """The decision document has been served on the party (for a listing, a precondition of publication)."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    _require_role(actor, Role.POST_JUDGE, Role.OFFICER)
    if s.status not in (SanctionStatus.DECIDED, SanctionStatus.GRACE) or s.served_at is not None:
        raise Conflict(
            gettext("该措施当前状态为“%(value)s”%(value2)s，不能登记送达。")
            % {"value": s.get_status_display(), "value2": "，决定书已送达" if s.served_at else ""}
        )
    at = resolve_occurred_at(served_at, previous=s.last_event_at, field="served_at")
    companions = [c for c in _companions(s, s.status) if c.served_at is None]
    for obj in (s, *companions):
        before = _snapshot(obj)
        obj.served_at = obj.last_event_at = at
        obj.save(update_fields=["served_at", "last_event_at", "updated_at"])
        _audit(obj, actor, "serve", at, before)
    return s


@transaction.atomic
def sanction_grant_grace(
    *, sanction: Sanction, actor: User, months: int, occurred_at: datetime | None = None
) -> Sanction:
    """A grace period of one to three months, during which nothing is published [003 §8], [004 §23]."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    _ensure_can(s, s.grant_grace, "给予宽限期")
    _ensure_case_allows(s, "给予宽限期")
    _ensure_judge(actor, s.case)
    if months not in GRACE_MONTHS:
        raise InvalidInput({"months": [gettext("宽限期为一至三个月。")]})
    at = resolve_occurred_at(occurred_at, previous=s.last_event_at)
    until = add_months(timezone.localdate(at), months)
    for obj in (s, *_companions(s, SanctionStatus.DECIDED)):
        before = _snapshot(obj)
        obj.grant_grace()
        obj.grace_months, obj.grace_until, obj.last_event_at = months, until, at
        obj.save(update_fields=["status", "grace_months", "grace_until", "last_event_at", "updated_at"])
        _audit(obj, actor, "grant_grace", at, before, months=months)
    return s


# --- publish ---------------------------------------------------------------------------------


def _publish_violations(s: Sanction, at: datetime) -> list:
    return [
        v
        for v in (
            rules.protected_party(s.party, s.case, at),
            rules.dishonest_without_ground(s.kind, s.ground, s.served_at, need_service=True),
            rules.publish_in_grace(s, at),
        )
        if v
    ]


def _publish(s: Sanction, actor: User, at: datetime) -> None:
    before = _snapshot(s)
    s.publish()
    s.published_at = s.last_event_at = at
    fields = ["status", "published_at", "last_event_at", "updated_at"]
    if s.kind == SanctionKind.DISHONEST_LIST and s.ground in TERMED_GROUNDS:
        # Grounds 2–6: listed for two years from publication (失信名单规定 第二条).
        s.term_until = add_months(timezone.localdate(at), LISTING_TERM_MONTHS)
        fields.append("term_until")
    s.save(update_fields=fields)
    _platform(s, PlatformAction.PUBLISH, at)
    _audit(s, actor, "publish", at, before)


@transaction.atomic
def sanction_publish(*, sanction: Sanction, actor: User, occurred_at: datetime | None = None) -> Sanction:
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    _ensure_can(s, s.publish, "发布")
    _ensure_case_allows(s, "发布惩戒信息")
    _ensure_judge(actor, s.case)
    at = resolve_occurred_at(occurred_at, previous=s.last_event_at)
    guards = Guards(list(_publish_violations(s, at)))
    guards.raise_if_any()
    _publish(s, actor, at)
    for c in _companions(s, SanctionStatus.GRACE) + _companions(s, SanctionStatus.DECIDED):
        if not _publish_violations(c, at) and at >= c.last_event_at:
            _publish(c, actor, at)
    return s


# --- lifting ---------------------------------------------------------------------------------


def _record_lift_ground(s: Sanction, actor: User | None, reason: str, urgent: bool, at: datetime) -> None:
    before = _snapshot(s)
    s.lift_ground, s.lift_ground_at, s.lift_urgent = reason, at, urgent
    s.last_event_at = max(s.last_event_at, at)
    s.save(update_fields=["lift_ground", "lift_ground_at", "lift_urgent", "last_event_at", "updated_at"])
    _start_lift_clock(s, at, actor)
    _audit(s, actor, "lift_ground", at, before, urgent=urgent)


def _validate_lift_reason(s: Sanction, reason: str, urgent: bool, allowed) -> None:
    errors: dict[str, list[str]] = {}
    if reason not in allowed:
        errors["reason"] = [f"可选值：{', '.join(allowed)}。"]
    elif reason == LiftReason.REPRESENTATIVE_CHANGE and s.party.kind != PartyKind.ORGANIZATION:
        errors["reason"] = ["法定代表人变更仅适用于被执行人为单位的情形。"]
    elif reason == LiftReason.PROTECTED and not rules.party_is_protected(s.party, s.case, timezone.localdate()):
        errors["reason"] = ["该当事人未被标记为受保护主体，不能以此为由解除。"]
    if urgent and reason != LiftReason.PERFORMED:
        # [004 §23] 立即解除 applies to a debtor who has performed in full and urgently applies.
        errors["urgent"] = ["仅被执行人履行完毕且情况紧急申请立即解除的，方可立即解除。"]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def sanction_lift_ground(
    *, sanction: Sanction, actor: User, reason: str, urgent: bool = False, occurred_at: datetime | None = None
) -> Sanction:
    """Record a lifting ground (full performance, valid guarantee, creditor consent, change of legal
    representative on application) and start RESTRICTION_LIFT: 3 working days, at once if urgent."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    _require_role(actor, Role.POST_JUDGE, Role.OFFICER)
    if s.status not in LIFTABLE_STATUSES:
        raise Conflict(gettext("该措施当前状态为“%(value)s”，不能登记解除事由。") % {"value": s.get_status_display()})
    _validate_lift_reason(s, reason, urgent, LIFT_GROUNDS)
    if s.lift_ground and not (urgent and not s.lift_urgent):
        raise Conflict(
            gettext("已登记解除事由（%(value)s），等待解除。") % {"value": s.get_lift_ground_display()},
            code="lift_ground_recorded",
        )
    at = resolve_occurred_at(occurred_at, previous=s.proposed_at)
    _record_lift_ground(s, actor, reason, urgent, at)
    return s


def _lift(s: Sanction, actor: User | None, reason: str, at: datetime, note: str = "") -> None:
    was_published = s.status == SanctionStatus.ACTIVE
    before = _snapshot(s)
    s.lift()
    s.lifted_at, s.lift_reason, s.last_event_at = at, reason, max(s.last_event_at, at)
    s.save(update_fields=["status", "lifted_at", "lift_reason", "last_event_at", "updated_at"])
    deadline_meet(node="RESTRICTION_LIFT", subject=_subject(s), at=at, actor=actor)
    if was_published:
        _platform(s, PlatformAction.LIFT, at)
    _audit(s, actor, "lift", at, before, reason=note or str(LiftReason(reason).label))


@transaction.atomic
def sanction_lift(
    *,
    sanction: Sanction,
    actor: User,
    reason: str,
    urgent: bool = False,
    occurred_at: datetime | None = None,
    note: str = "",
) -> Sanction:
    """The judge lifts the measure; meets RESTRICTION_LIFT (late if after due). ``protected``
    suspends a sanction of a party that has become protected [000 §8] (可暂时删除、解除)."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    _ensure_can(s, s.lift, "解除")
    _ensure_judge(actor, s.case)
    _validate_lift_reason(s, reason, urgent, JUDGE_LIFT_REASONS)
    at = resolve_occurred_at(occurred_at, previous=s.last_event_at)
    if reason in LIFT_GROUNDS and not s.lift_ground:
        _record_lift_ground(s, actor, reason, urgent, at)
    _lift(s, actor, reason, at, note)
    return s


@transaction.atomic
def sanction_shield(
    *, sanction: Sanction, actor: User, occurred_at: datetime | None = None, note: str = ""
) -> Sanction:
    """Shield a published listing and tell the platform (case performed, [004 §23] 及时屏蔽失信信息)."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    if s.kind != SanctionKind.DISHONEST_LIST:
        raise Conflict(gettext("只有失信被执行人名单信息可以屏蔽；限制消费、限制出境请办理解除。"))
    _ensure_can(s, s.shield, "屏蔽")
    _ensure_judge(actor, s.case)
    at = resolve_occurred_at(occurred_at, previous=s.last_event_at)
    _shield(s, actor, at, note)
    return s


def _shield(s: Sanction, actor: User | None, at: datetime, note: str = "") -> None:
    before = _snapshot(s)
    s.shield()
    s.shielded_at, s.last_event_at = at, max(s.last_event_at, at)
    s.save(update_fields=["status", "shielded_at", "last_event_at", "updated_at"])
    # Shielding takes the listing off the public list: a lifting clock already running is met by it.
    deadline_meet(node="RESTRICTION_LIFT", subject=_subject(s), at=at, actor=actor)
    _platform(s, PlatformAction.SHIELD, at)
    _audit(s, actor, "shield", at, before, reason=note)


@transaction.atomic
def sanction_extend(
    *, sanction: Sanction, actor: User, years: int, reason: str, occurred_at: datetime | None = None
) -> Sanction:
    """A two-year listing extended by one to three years for a serious case (失信名单规定 第二条), once."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    if s.kind != SanctionKind.DISHONEST_LIST or s.status != SanctionStatus.ACTIVE or s.term_until is None:
        raise Conflict(gettext("只有已发布且有期限的失信名单可以延长期限。"))
    if s.extended_years:
        raise Conflict(
            gettext("失信期限已延长%(extended_years)s年，不能再次延长。") % {"extended_years": s.extended_years},
            code="already_extended",
        )
    _ensure_judge(actor, s.case)
    errors = {}
    if years not in EXTEND_YEARS:
        errors["years"] = ["可延长一至三年。"]
    if not reason.strip():
        errors["reason"] = ["延长失信期限须写明理由（情节严重的具体情形）。"]
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(occurred_at, previous=s.last_event_at)
    guards = Guards()
    if v := rules.protected_party(s.party, s.case, at):
        guards.add(v)
    guards.raise_if_any()
    before = _snapshot(s)
    s.term_until = add_months(s.term_until, 12 * years)
    s.extended_years, s.last_event_at = years, at
    s.save(update_fields=["term_until", "extended_years", "last_event_at", "updated_at"])
    _platform(s, PlatformAction.EXTEND, at)
    _audit(s, actor, "extend", at, before, reason=reason.strip(), years=years)
    return s


def sanctions_expire(*, now: datetime | None = None, batch: int = 500) -> list[int]:
    """Listings whose term has run out are removed: ``lifted`` with reason ``expired``, platform told.

    Safe to repeat and to run on two workers at once: rows are locked (SKIP LOCKED on PostgreSQL) and
    an expired row no longer matches.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    done: list[int] = []
    while True:
        with transaction.atomic():
            rows = list(
                Sanction.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("case", "case__judge", "party", "court")
                .filter(kind=SanctionKind.DISHONEST_LIST, status=SanctionStatus.ACTIVE, term_until__lt=today)
                .order_by("term_until", "id")[:batch]
            )
            for s in rows:
                _lift(s, None, LiftReason.EXPIRED, now, f"失信期限已于{s.term_until:%Y年%m月%d日}届满")
                done.append(s.pk)
        if len(rows) < batch:
            return done


# --- correction requests ---------------------------------------------------------------------


@transaction.atomic
def correction_receive(
    *, sanction: Sanction, actor: User, content: str, received_at: datetime | None = None
) -> CorrectionRequest:
    """A party asks to correct its listing: reviewed promptly, CORRECTION_REPLY (15 days) [004 §23]."""
    s = _lock(sanction)
    _require_court(actor, s.court_id)
    _require_role(actor, *RECORDER_ROLES)
    if not content.strip():
        raise InvalidInput({"content": [gettext("请填写纠正申请的内容。")]})
    if s.status == SanctionStatus.PROPOSED:
        raise Conflict(gettext("该措施尚未作出决定，无需纠正申请。"))
    at = resolve_occurred_at(received_at, previous=s.decided_at, field="received_at")
    c = CorrectionRequest.objects.create(sanction=s, received_at=at, content=content.strip(), received_by=actor)
    deadlines_on_event(
        event="sanction.correction_requested",
        at=at,
        subject=Subject("sanction_correction", c.pk, s.case_id, s.court_id),
        court=s.court,
        actor=actor,
        responsible=s.case.judge,
    )
    audit_record(
        actor=actor,
        action=events.CREDIT_CORRECTION_RECEIVE,
        obj=c,
        court=s.court_id,
        case_id=s.case_id,
        occurred_at=at,
        after={"sanction": s.pk, "content": c.content},
    )
    return c


@transaction.atomic
def correction_decide(
    *, correction: CorrectionRequest, actor: User, outcome: str, note: str, occurred_at: datetime | None = None
) -> CorrectionRequest:
    """The judge answers: ``corrected`` lifts the measure (and tells the platform); ``rejected`` keeps it."""
    c = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    s = _lock(c.sanction)
    _require_court(actor, s.court_id)
    if c.outcome != CorrectionOutcome.PENDING:
        raise Conflict(gettext("该纠正申请已审查（%(value)s）。") % {"value": c.get_outcome_display()})
    _ensure_judge(actor, s.case)
    errors = {}
    if outcome not in (CorrectionOutcome.CORRECTED, CorrectionOutcome.REJECTED):
        errors["outcome"] = ["可选值：corrected, rejected。"]
    if not note.strip():
        errors["note"] = ["请填写审查意见。"]
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(occurred_at, previous=c.received_at)
    c.outcome, c.outcome_note, c.decided_at, c.decided_by = outcome, note.strip(), at, actor
    c.save(update_fields=["outcome", "outcome_note", "decided_at", "decided_by"])
    deadline_meet(
        node="CORRECTION_REPLY", subject=Subject("sanction_correction", c.pk, s.case_id, s.court_id), at=at, actor=actor
    )
    audit_record(
        actor=actor,
        action=events.CREDIT_CORRECTION_DECIDE,
        obj=c,
        court=s.court_id,
        case_id=s.case_id,
        occurred_at=at,
        before={"outcome": CorrectionOutcome.PENDING},
        after={"outcome": outcome, "sanction": s.pk},
        reason=note.strip(),
    )
    if outcome == CorrectionOutcome.CORRECTED and s.status in LIFTABLE_STATUSES:
        _lift(s, actor, LiftReason.CORRECTED, at, note.strip())
    return c


# --- case lifecycle ---------------------------------------------------------------------------


def on_case_event(case: Case, event: str, at: datetime, actor: User, **extra) -> None:
    """Registered with ``cases.services.on_case_lifecycle``; runs inside the closing transaction."""
    if event == "transfer":
        # SPEC §11: a case taken up or reassigned takes its sanctions to the receiving court.
        Sanction.objects.filter(case=case).update(court=case.court)
        return
    if event != "close":
        return
    sanctions = list(
        Sanction.objects.select_for_update(of=("self",))
        .select_related("case", "case__judge", "party", "court")
        .filter(case=case, status__in=OPEN_SANCTION_STATUSES)
    )
    for s in sanctions:
        s.case = case
    # Closing ends only the case's own clocks (deadlines.lifecycle): lifting and correction clocks of
    # sanctions run on after closure.
    if case.closure != Closure.PERFORMED:
        return
    # [004 §23] 案件执行完毕的，及时屏蔽失信信息并向征信部门推送；履行完毕的，3 个工作日内解除限制消费令.
    for s in sanctions:
        if s.kind == SanctionKind.DISHONEST_LIST:
            if s.status == SanctionStatus.ACTIVE:
                _shield(s, actor, max(at, s.last_event_at), "案件执行完毕，屏蔽失信信息")
            elif s.status in LIFTABLE_STATUSES:
                _lift(s, actor, LiftReason.PERFORMED, max(at, s.last_event_at), "案件执行完毕，失信决定不再发布")
        elif s.status in LIFTABLE_STATUSES and not s.lift_ground:
            _record_lift_ground(s, actor, LiftReason.PERFORMED, False, at)
