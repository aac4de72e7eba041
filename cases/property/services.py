"""Every write about the debtor's property (SPEC §6.2): network queries and their feedback, creditor
leads, and the property state machine with its guards (SPEC §7) and deadlines (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from cases import ports
from cases import services as case_services
from cases.models import (
    AuctionResult,
    AuctionRound,
    Case,
    CaseStatus,
    Closure,
    Lead,
    MilestoneKind,
    OverrideStatus,
    PartyRole,
    Property,
    PropertyQuery,
    PropertyStatus,
    PropertyType,
    QueryFeedback,
)
from cases.models.property import ALL_CATEGORIES, MONEY_TYPES, DisposalMethod, QueryChannel, ValuationMethod
from cases.property import rules as prules
from deadlines import services as clock
from deadlines.calendar import add_months, end_of_day
from deadlines.services import Subject
from enforcement.approvals import self_approval
from enforcement.audit import audit_record
from enforcement.errors import Conflict, GuardFailed, Guards, InvalidInput
from enforcement.models import Notification, Role, User
from enforcement.notifications import queue as queue_notifications
from enforcement.timeutil import resolve_occurred_at


@dataclass
class FoundProperty:
    type: str
    description: str
    value: Decimal | None = None
    online_controllable: bool = False
    exempt_kind: str = ""


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("court", "judge").get(pk=case.pk)


def _lock_property(prop: Property) -> Property:
    return (
        Property.objects.select_for_update(of=("self",))
        .select_related("case__court", "case__judge", "owner")
        .get(pk=prop.pk)
    )


def _check_actor(actor: User, case: Case, *, officer_ok: bool) -> None:
    """Decisions are the case judge's [001]; officers may record the work they were given."""
    case_services._require_court(actor, case.court_id)
    if officer_ok and actor.has_role(Role.OFFICER):
        return
    case_services._ensure_judge(actor, case)


def _ensure_case_open(case: Case) -> None:
    if case.status != CaseStatus.IN_PROGRESS:
        raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能办理财产事项。")


def _ensure(prop: Property, method, label: str) -> None:
    if not can_proceed(method):
        raise Conflict(f"财产当前状态为“{prop.get_status_display()}”，不能{label}。")


def _subject(prop: Property) -> Subject:
    return Subject("property", prop.pk, prop.case_id, prop.case.court_id)


def _snapshot(prop: Property) -> dict:
    return {"status": prop.status, "measure": prop.measure, "freeze_amount": prop.freeze_amount,
            "controlled_value": prop.controlled_value, "reference_price": prop.reference_price}


def _audit(actor, prop: Property, action: str, at: datetime, before: dict | None = None, reason: str = "",
           **extra) -> None:
    audit_record(actor=actor, action=action, obj=prop, court=prop.case.court_id, case_id=prop.case_id,
                 occurred_at=at, before=before, after={**_snapshot(prop), **extra}, reason=reason)


def _use_override(case: Case, code: str, at: datetime, actor: User) -> bool:
    """Consume a bureau head's one-time approval for ``code`` on this case, if granted (SPEC §7)."""
    o = (case.overrides.select_for_update(of=("self",)).select_related("approved_by")
         .filter(code=code, status=OverrideStatus.GRANTED).first())
    if o is None:
        return False
    # SPEC §12: an approver of an act is never its actor, whatever roles he holds.
    v = self_approval(approver=o.approved_by, actor=actor, what=f"例外审批（{code}）")
    if v:
        raise GuardFailed([v])
    o.status, o.used_at = OverrideStatus.USED, at
    o.save(update_fields=["status", "used_at"])
    audit_record(actor=actor, action="override.use", obj=o, court=case.court_id, case_id=case.pk, occurred_at=at,
                 after={"code": code, "approved_by": o.approved_by_id}, reason=o.reason)
    return True


def _guard(violations: list, case: Case, at: datetime, actor: User, *, overridable: str | None = None) -> None:
    """Raise all violations, letting a granted override pass the one overridable code."""
    g = Guards()
    for v in violations:
        if overridable and v.code == overridable and _use_override(case, overridable, at, actor):
            continue
        g.add(v)
    g.raise_if_any()


def _validate_categories(values, field: str) -> list[str]:
    bad = [c for c in values if c not in ALL_CATEGORIES]
    if bad:
        raise InvalidInput({field: [f"未知的财产类型：{', '.join(map(str, bad))}。"]})
    return list(dict.fromkeys(values))


# --- network queries (SPEC §6.1, §13; [004 §13]) -------------------------------------------

ROUND_REVIEW_YEARS = 5  # SPEC §4 ROUND_REVIEW: every 6 months for 5 years from the 终本 closure


def round_review_ends(case: Case) -> datetime:
    """The end of the fifth year after the 终本 closure (the last day on which a review is due)."""
    closed = timezone.localdate(case.closed_at)
    return end_of_day(add_months(closed, 12 * ROUND_REVIEW_YEARS))


@transaction.atomic
def query_initiate(*, case: Case, actor: User, channels: list[str], categories: list[str] | None = None,
                   occurred_at: datetime | None = None) -> PropertyQuery:
    case = _lock_case(case)
    _check_actor(actor, case, officer_ok=True)
    round_review = case.status == CaseStatus.CLOSED and case.closure == Closure.TERMINATED_ROUND
    if case.status not in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS) and not round_review:
        raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能发起网络查控。")
    bad = [c for c in channels if c not in QueryChannel.values]
    if not channels or bad:
        raise InvalidInput({"channels": ["查询渠道须为 national（总对总）和/或 provincial（点对点）。"]})
    categories = _validate_categories(categories or list(ALL_CATEGORIES), "categories")
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    q = PropertyQuery.objects.create(case=case, channels=list(dict.fromkeys(channels)), categories=categories,
                                     initiated_at=at, initiated_by=actor, last_event_at=at)
    audit_record(actor=actor, action="query.initiate", obj=q, court=case.court_id, case_id=case.pk, occurred_at=at,
                 after={"channels": q.channels, "categories": categories, "round_review": round_review})
    if round_review:
        # Terminated-round cases are re-queried every 6 months for 5 years (SPEC §4 ROUND_REVIEW): a
        # review whose next one would fall after the fifth anniversary of the 终本 closure ends the series.
        subject = Subject.of_case(case)
        clock.deadline_meet(node="ROUND_REVIEW", subject=subject, at=at, actor=actor)
        clock.deadlines_on_event(event="query.round_review", at=at, subject=subject, court=case.court, actor=actor,
                                 responsible=case.judge, horizon=round_review_ends(case))
    else:
        case_services.case_record_milestone(case=case, actor=actor, kind=MilestoneKind.QUERY_INITIATED,
                                            occurred_at=at)
    return q


@transaction.atomic
def query_feedback(*, query: PropertyQuery, actor: User, categories: list[str], properties: list[FoundProperty],
                   occurred_at: datetime | None = None) -> PropertyQuery:
    """(Part of) the query system's answer: covered categories and the property found [004 §13]."""
    q = PropertyQuery.objects.select_for_update().get(pk=query.pk)
    case = _lock_case(q.case)
    case_services._require_court(actor, case.court_id)
    case_services._require_role(actor, Role.POST_JUDGE, Role.OFFICER, Role.ADMIN)
    categories = _validate_categories(categories, "categories")
    for i, p in enumerate(properties):
        if p.type not in ALL_CATEGORIES:
            raise InvalidInput({f"properties[{i}].type": ["未知的财产类型。"]})
        if p.type not in categories and p.type not in q.categories:
            raise InvalidInput({f"properties[{i}].type": ["反馈的财产类型不在本次查询范围内。"]})
    at = resolve_occurred_at(occurred_at, previous=q.last_event_at)
    QueryFeedback.objects.create(query=q, categories=categories, received_at=at, recorded_by=actor)
    respondent = case.parties.filter(role=PartyRole.RESPONDENT).order_by("id").first()
    created = []
    for p in properties:
        prop = Property.objects.create(
            case=case, owner=respondent, query=q, type=p.type, description=p.description, value=p.value,
            online_controllable=p.online_controllable, exempt_kind=p.exempt_kind, discovered_at=at, last_event_at=at,
        )
        created.append(prop)
        if prules.exempt_property(prop, at):
            # [003 §2], [000 §7]: exempt property is recorded but never controlled, so no control clock runs.
            continue
        # [004 §13]: online-controllable property is controlled at once, the rest within 3 working days.
        clock.deadlines_on_event(event="query.feedback", at=at, subject=_subject(prop), court=case.court,
                                 actor=actor, context={"online_controllable": p.online_controllable},
                                 responsible=case.judge)
    q.covered = sorted(set(q.covered) | set(categories))
    q.last_event_at = at
    fields = ["covered", "last_event_at"]
    if q.completed_at is None and set(q.categories) <= set(q.covered):
        q.completed_at = at
        fields.append("completed_at")
    q.save(update_fields=fields)
    audit_record(actor=actor, action="query.feedback", obj=q, court=case.court_id, case_id=case.pk, occurred_at=at,
                 after={"categories": categories, "covered": q.covered, "complete": q.complete,
                        "properties": [p.pk for p in created]})
    if created and case.status == CaseStatus.CLOSED and case.closure == Closure.TERMINATED_ROUND:
        # [002]: property found on a terminated-round case → restore within 3 working days.
        clock.deadlines_on_event(event="property.found", at=at, subject=Subject.of_case(case), court=case.court,
                                 actor=actor, responsible=case.judge)
    return q


# --- leads (SPEC §6.1; [004 §13], [SPC2006 §6], [002]) -------------------------------------

@transaction.atomic
def lead_receive(*, case: Case, actor: User, description: str, urgent: bool = False,
                 occurred_at: datetime | None = None) -> Lead:
    case = _lock_case(case)
    case_services._require_court(actor, case.court_id)
    case_services._require_role(actor, Role.POST_JUDGE, Role.OFFICER, Role.FILING_CLERK, Role.BUREAU_CLERK)
    if case.status == CaseStatus.CLOSED and case.closure != Closure.TERMINATED_ROUND:
        raise Conflict("案件已结案，不能接收财产线索。")
    if not description.strip():
        raise InvalidInput({"description": ["请填写线索内容。"]})
    at = resolve_occurred_at(occurred_at, previous=case.filed_at)
    lead = Lead.objects.create(case=case, description=description.strip(), urgent=urgent, received_at=at,
                               recorded_by=actor, last_event_at=at)
    audit_record(actor=actor, action="lead.receive", obj=lead, court=case.court_id, case_id=case.pk, occurred_at=at,
                 after={"urgent": urgent, "status": lead.status})
    # LEAD_URGENT (24 h, urgent leads) and LEAD_VERIFY (5 days; 7 working days in Zhejiang).
    clock.deadlines_on_event(event="lead.received", at=at, subject=Subject("lead", lead.pk, case.pk, case.court_id),
                             court=case.court, actor=actor, context={"urgent": urgent}, responsible=case.judge)
    return lead


def _lock_lead(lead: Lead) -> Lead:
    return Lead.objects.select_for_update(of=("self",)).select_related("case__court", "case__judge").get(pk=lead.pk)


def _lead_subject(lead: Lead) -> Subject:
    return Subject("lead", lead.pk, lead.case_id, lead.case.court_id)


@transaction.atomic
def lead_start_verification(*, lead: Lead, actor: User, occurred_at: datetime | None = None) -> Lead:
    lead = _lock_lead(lead)
    _check_actor(actor, lead.case, officer_ok=True)
    if not can_proceed(lead.start_verification):
        raise Conflict(f"线索当前状态为“{lead.get_status_display()}”，不能开始核查。")
    at = resolve_occurred_at(occurred_at, previous=lead.last_event_at)
    lead.start_verification()
    lead.verification_started_at = lead.last_event_at = at
    lead.save(update_fields=["status", "verification_started_at", "last_event_at"])
    clock.deadline_meet(node="LEAD_URGENT", subject=_lead_subject(lead), at=at, actor=actor)
    audit_record(actor=actor, action="lead.start_verification", obj=lead, court=lead.case.court_id,
                 case_id=lead.case_id, occurred_at=at, after={"status": lead.status})
    return lead


def _inform_creditor(lead: Lead, result: str) -> None:
    """The verification result is told to the creditor [SPC2006 §6]: queued to the applicant's phone."""
    rows = [
        Notification(address=p.phone, channel="sms", kind="lead.result", case_id=lead.case_id,
                     title=f"{lead.case.number} 财产线索核查结果", body=result)
        for p in lead.case.parties.filter(role=PartyRole.APPLICANT).exclude(phone="")
    ]
    queue_notifications(rows)


@transaction.atomic
def lead_confirm(*, lead: Lead, actor: User, type: str, description: str = "", value: Decimal | None = None,
                 online_controllable: bool = False, occurred_at: datetime | None = None) -> Lead:
    lead = _lock_lead(lead)
    case = lead.case
    _check_actor(actor, case, officer_ok=False)
    if not can_proceed(lead.confirm):
        raise Conflict(f"线索当前状态为“{lead.get_status_display()}”，不能认定。")
    if type not in ALL_CATEGORIES:
        raise InvalidInput({"type": ["未知的财产类型。"]})
    at = resolve_occurred_at(occurred_at, previous=lead.last_event_at)
    lead.confirm()
    lead.decided_at = lead.creditor_informed_at = lead.last_event_at = at
    lead.reason = "线索属实，已确认财产"
    lead.save(update_fields=["status", "decided_at", "creditor_informed_at", "last_event_at", "reason"])
    respondent = case.parties.filter(role=PartyRole.RESPONDENT).order_by("id").first()
    prop = Property.objects.create(case=case, owner=respondent, lead=lead, type=type,
                                   description=description.strip() or lead.description, value=value,
                                   online_controllable=online_controllable, discovered_at=at, last_event_at=at)
    subject = _lead_subject(lead)
    clock.deadline_meet(node="LEAD_URGENT", subject=subject, at=at, actor=actor)
    clock.deadline_meet(node="LEAD_VERIFY", subject=subject, at=at, actor=actor)
    audit_record(actor=actor, action="lead.confirm", obj=lead, court=case.court_id, case_id=case.pk, occurred_at=at,
                 after={"status": lead.status, "property": prop.pk})
    _inform_creditor(lead, f"您提供的财产线索经核查属实，法院已登记该财产（{prop.get_type_display()}）。")
    if case.status == CaseStatus.CLOSED and case.closure == Closure.TERMINATED_ROUND:
        clock.deadlines_on_event(event="property.found", at=at, subject=Subject.of_case(case), court=case.court,
                                 actor=actor, responsible=case.judge)
    return lead


@transaction.atomic
def lead_reject(*, lead: Lead, actor: User, reason: str, occurred_at: datetime | None = None) -> Lead:
    lead = _lock_lead(lead)
    _check_actor(actor, lead.case, officer_ok=False)
    if not can_proceed(lead.reject):
        raise Conflict(f"线索当前状态为“{lead.get_status_display()}”，不能作出不予认定。")
    if not reason.strip():
        raise InvalidInput({"reason": ["不予认定须写明理由（将告知申请执行人）。"]})
    at = resolve_occurred_at(occurred_at, previous=lead.last_event_at)
    lead.reject()
    lead.decided_at = lead.creditor_informed_at = lead.last_event_at = at
    lead.reason = reason.strip()
    lead.save(update_fields=["status", "decided_at", "creditor_informed_at", "last_event_at", "reason"])
    subject = _lead_subject(lead)
    clock.deadline_meet(node="LEAD_URGENT", subject=subject, at=at, actor=actor)
    clock.deadline_meet(node="LEAD_VERIFY", subject=subject, at=at, actor=actor)
    audit_record(actor=actor, action="lead.reject", obj=lead, court=lead.case.court_id, case_id=lead.case_id,
                 occurred_at=at, after={"status": lead.status}, reason=reason)
    _inform_creditor(lead, f"您提供的财产线索经核查不予认定，理由：{lead.reason}")
    return lead


# --- the property state machine (SPEC §6.2) -------------------------------------------------

MEASURES_BY_TYPE = {
    PropertyType.BANK_DEPOSIT: {"freeze"}, PropertyType.ONLINE_PAYMENT: {"freeze"},
    PropertyType.EQUITY: {"freeze"}, PropertyType.SECURITIES: {"freeze"}, PropertyType.INSURANCE: {"freeze"},
    PropertyType.REAL_ESTATE: {"seize"}, PropertyType.VEHICLE: {"seize", "detain"},
    PropertyType.OTHER: {"seize", "detain", "freeze"},
}


@transaction.atomic
def property_control(*, prop: Property, actor: User, measure: str, mode: str = "live", queue: str = "first",
                     amount: Decimal | None = None, value: Decimal | None = None, online: bool | None = None,
                     previous_close_value: Decimal | None = None, occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure_case_open(case)
    _ensure(prop, prop.control, "采取控制措施")
    errors = {}
    if measure not in MEASURES_BY_TYPE[prop.type]:
        errors["measure"] = [f"{prop.get_type_display()}不能采取该控制措施。"]
    if mode not in ("live", "dead"):
        errors["mode"] = ["查封方式须为 live（活封）或 dead（死封）。"]
    if queue not in ("first", "waiting"):
        errors["queue"] = ["查封顺位须为 first（首封）或 waiting（轮候）。"]
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    if measure == "freeze" and prop.type in MONEY_TYPES:
        control_value = amount
    else:
        control_value = value if value is not None else prop.value
        if control_value is None:
            errors["value"] = ["请填写被控制财产的价值（用于审查是否超标的查控）。"]
        if prop.type == PropertyType.SECURITIES and previous_close_value is not None and control_value is not None:
            # [003 §3]: listed shares are valued at the previous close, within a band of 20 %.
            low = previous_close_value * (1 - prules.LISTED_SHARE_BAND)
            high = previous_close_value * (1 + prules.LISTED_SHARE_BAND)
            if not low <= control_value <= high:
                errors["value"] = [f"上市股票价值应以前一交易日收盘价 {previous_close_value:,.2f} 元为基准，"
                                   f"上下浮动不超过 20%（{low:,.2f}–{high:,.2f} 元）。"]
    if errors:
        raise InvalidInput(errors)
    violations = [
        *prules.freeze_amount_missing(prop, measure, amount),
        *prules.exempt_property(prop, at),
    ]
    if control_value is not None and control_value > 0:
        violations += prules.over_seizure(prop, control_value, queue, at)
    _guard(violations, case, at, actor, overridable="over_seizure")
    before = _snapshot(prop)
    prop.control()
    prop.measure, prop.mode, prop.queue = measure, mode, queue
    prop.freeze_amount = amount if measure == "freeze" else None
    prop.controlled_value = control_value
    prop.controlled_online = prop.online_controllable if online is None else online
    prop.controlled_at = prop.last_event_at = at
    subject = _subject(prop)
    clock.deadline_meet(node="CONTROL_ONLINE", subject=subject, at=at, actor=actor)
    clock.deadline_meet(node="CONTROL_OFFLINE", subject=subject, at=at, actor=actor)
    started = clock.deadlines_on_event(
        event="property.controlled", at=at, subject=subject, court=case.court, actor=actor,
        context={"needs_sale": prop.needs_sale, "control_class": prop.control_class}, responsible=case.judge,
    )
    expiry = next((d for d in started if d.node == "CONTROL_EXPIRY"), None)
    prop.control_expires_at = expiry.due_at if expiry else None
    prop.save()
    _audit(actor, prop, "property.control", at, before)
    return prop


@transaction.atomic
def property_renew(*, prop: Property, actor: User, occurred_at: datetime | None = None) -> Property:
    """续封/续冻 before the control lapses (SPEC §4 CONTROL_EXPIRY)."""
    prop = _lock_property(prop)
    _check_actor(actor, prop.case, officer_ok=False)
    if prop.status not in prules.UNDISPOSED:
        raise Conflict(f"财产当前状态为“{prop.get_status_display()}”，不能续行查封、冻结。")
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    if prop.control_expires_at and at > prop.control_expires_at:
        raise Conflict("控制期限已经届满，不能续行；须重新采取控制措施。", code="control_lapsed")
    before = _snapshot(prop)
    subject = _subject(prop)
    clock.deadline_meet(node="CONTROL_EXPIRY", subject=subject, at=at, actor=actor)
    started = clock.deadlines_on_event(event="property.renewed", at=at, subject=subject, court=prop.case.court,
                                       actor=actor, context={"control_class": prop.control_class},
                                       responsible=prop.case.judge)
    expiry = next((d for d in started if d.node == "CONTROL_EXPIRY"), None)
    prop.control_expires_at = expiry.due_at if expiry else prop.control_expires_at
    prop.renewals += 1
    prop.last_event_at = at
    prop.save(update_fields=["control_expires_at", "renewals", "last_event_at"])
    _audit(actor, prop, "property.renew", at, before, renewals=prop.renewals)
    return prop


@transaction.atomic
def property_start_valuation(*, prop: Property, actor: User, method: str,
                             occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure_case_open(case)
    _ensure(prop, prop.start_valuation, "启动确定参考价程序")
    if method not in ValuationMethod.values:
        raise InvalidInput({"method": ["确定参考价的方式无效。"]})
    if not prop.needs_sale:
        raise Conflict("存款、网络支付余额无需确定参考价，可直接划拨。", code="valuation_not_needed")
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    _guard(prules.appraisal_not_approved(prop, method, approved=False), case, at, actor,
           overridable="appraisal_not_approved")
    before = _snapshot(prop)
    prop.start_valuation()
    prop.valuation_method = method
    prop.valuation_started_at = prop.last_event_at = at
    prop.save()
    clock.deadline_meet(node="PRICE_START", subject=_subject(prop), at=at, actor=actor)
    _audit(actor, prop, "property.start_valuation", at, before, method=method)
    return prop


@transaction.atomic
def property_set_reference_price(*, prop: Property, actor: User, amount: Decimal,
                                 occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.set_reference_price, "确定参考价")
    if amount is None or amount <= 0:
        raise InvalidInput({"amount": ["参考价须大于零。"]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    prop.set_reference_price()
    prop.reference_price = amount
    prop.priced_at = prop.last_event_at = at
    prop.save()
    # [004 §16]: the sale starts within 10 days of the reference price (Luoyang: auction within 30 days).
    clock.deadlines_on_event(event="property.priced", at=at, subject=_subject(prop), court=case.court, actor=actor,
                             responsible=case.judge)
    _audit(actor, prop, "property.set_reference_price", at, before)
    return prop


# [004 §17]: while the debtor's self-disposal runs, the court's own price and sale clocks do not.
SELF_DISPOSAL_HOLD = "self_disposal"
SELF_DISPOSAL_PAUSES = ("PRICE_START", "DISPOSAL_START")


@transaction.atomic
def property_start_disposal(*, prop: Property, actor: User, method: str, until: datetime | None = None,
                            occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure_case_open(case)
    _ensure(prop, prop.start_disposal, "启动处置程序")
    if method not in DisposalMethod.values:
        raise InvalidInput({"method": ["处置方式无效。"]})
    if prop.status == PropertyStatus.CONTROLLED and method != DisposalMethod.SELF_DISPOSAL:
        raise Conflict("须先确定财产处置参考价，方可拍卖、变卖或以物抵债。", code="reference_price_missing")
    if prop.status == PropertyStatus.DISPOSING:
        # [SPC2016 §26]: 再次拍卖流拍的，可以依法变卖 (or set off in kind) — the only way on from here.
        if not auction_exhausted(prop):
            raise Conflict("财产正在处置中，不能另行启动处置程序。")
        if method not in (DisposalMethod.SALE, DisposalMethod.SET_OFF):
            raise InvalidInput({"method": ["再次拍卖流拍后，只能依法变卖或以物抵债。"]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    self_disposal = method == DisposalMethod.SELF_DISPOSAL
    if self_disposal:
        if until is None:
            raise InvalidInput({"until": ["准许被执行人自行处置的，须明确处置期限。"]})
        if until <= at:
            raise InvalidInput({"until": ["自行处置期限须晚于准许之日。"]})
        _guard(prules.self_disposal_too_long(at, until), case, at, actor)
    before = _snapshot(prop)
    previous_method = prop.disposal_method
    prop.start_disposal()
    prop.disposal_method = method
    prop.disposal_started_at = prop.last_event_at = at
    prop.self_disposal_until = until if self_disposal else None
    prop.save()
    subject = _subject(prop)
    if self_disposal:
        # [004 §17]: the debtor disposes; PRICE_START and DISPOSAL_START are not running meanwhile —
        # paused if running, and met by nothing: they run again if the self-disposal ends unsold.
        clock.deadlines_hold(case_id=case.pk, subject=subject, nodes=SELF_DISPOSAL_PAUSES, hold=SELF_DISPOSAL_HOLD,
                             at=at, actor=actor, reason="准许被执行人自行处置，确定参考价及处置期限暂停计算")
        clock.deadlines_on_event(event="property.self_disposal_allowed", at=at, subject=subject, court=case.court,
                                 actor=actor, responsible=case.judge, due_at=until)
    else:
        clock.deadline_meet(node="DISPOSAL_START", subject=subject, at=at, actor=actor)
    _audit(actor, prop, "property.start_disposal", at, before, method=method, previous_method=previous_method)
    return prop


def _end_self_disposal_pause(prop: Property, at: datetime, actor: User, *, sold: bool) -> None:
    subject = _subject(prop)
    if sold:
        # Sold by the debtor: the court's own price and sale procedure is no longer needed.
        clock.deadlines_cancel(subject=subject, at=at, actor=actor, nodes=SELF_DISPOSAL_PAUSES,
                               reason="被执行人自行处置成交，无需启动确定参考价、处置程序")
    else:
        clock.deadlines_release(case_id=prop.case_id, subject=subject, nodes=SELF_DISPOSAL_PAUSES,
                                hold=SELF_DISPOSAL_HOLD, at=at, actor=actor,
                                reason="被执行人自行处置结束未成交，期限恢复计算并顺延")


@transaction.atomic
def property_end_self_disposal(*, prop: Property, actor: User, reason: str,
                               occurred_at: datetime | None = None) -> Property:
    """The debtor's self-disposal ended without a sale (期满或终止, [004 §17]): the property returns to
    the court's procedure — valued if it has a reference price, else controlled — and PRICE_START /
    DISPOSAL_START run on, moved by the time they were paused."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    if prop.status != PropertyStatus.DISPOSING or prop.disposal_method != DisposalMethod.SELF_DISPOSAL:
        raise Conflict("该财产不在被执行人自行处置中。", code="not_self_disposal")
    if not (reason or "").strip():
        raise InvalidInput({"reason": ["请写明自行处置结束的情况。"]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    prop.end_self_disposal()
    prop.disposal_method, prop.self_disposal_until = "", None
    prop.last_event_at = at
    prop.save()
    clock.deadline_meet(node="SELF_DISPOSAL_END", subject=_subject(prop), at=at, actor=actor)
    _end_self_disposal_pause(prop, at, actor, sold=False)
    _audit(actor, prop, "property.end_self_disposal", at, before, reason=reason.strip())
    return prop


def _last_round(prop: Property) -> AuctionRound | None:
    return prop.auction_rounds.order_by("-round_no").first()


def auction_exhausted(prop: Property) -> bool:
    """Both online rounds have failed: the property goes to sale or set-off in kind [SPC2016 §26]."""
    rounds = list(prop.auction_rounds.all())  # prefetched on the case page
    return (prop.disposal_method == DisposalMethod.ONLINE_AUCTION and len(rounds) >= prules.MAX_AUCTION_ROUNDS
            and all(r.result == AuctionResult.FAILED for r in rounds))


@transaction.atomic
def property_schedule_auction(*, prop: Property, actor: User, announced_at: datetime, auction_at: datetime,
                              starting_price: Decimal, round: int | None = None,
                              occurred_at: datetime | None = None) -> Property:
    """Announce an auction round (SPEC §6.2, §13 "Auctions"): the first at ≥ 70 % of the reference
    price [001], a later one at most 20 % below the previous start with 7 / 15 days' notice
    [SPC2016 §26] (cut in full where the rule set requires it [002 §4]); meets AUCTION_RELIST."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.schedule_auction, "安排拍卖")
    if prop.disposal_method != DisposalMethod.ONLINE_AUCTION:
        raise Conflict("该财产的处置方式不是网络司法拍卖。", code="not_an_auction")
    previous = _last_round(prop)
    if previous is not None and previous.result == AuctionResult.PENDING:
        raise Conflict("上一轮拍卖尚未有结果，不能安排新一轮拍卖。", code="auction_pending")
    next_round = previous.round_no + 1 if previous else 1
    if next_round > prules.MAX_AUCTION_ROUNDS:
        raise Conflict("再次拍卖已流拍，不能再行拍卖；可依法变卖或以物抵债。", code="auction_rounds_exhausted")
    errors = {}
    if round is not None and round != next_round:
        errors["round"] = [f"本财产下一次拍卖应为第{next_round}次拍卖。"]
    if starting_price is None or starting_price <= 0:
        errors["starting_price"] = ["起拍价须大于零。"]
    if auction_at <= announced_at:
        errors["auction_at"] = ["拍卖时间须晚于公告时间。"]
    if previous is not None and announced_at < previous.auction_at:
        errors["announced_at"] = ["再次拍卖的公告时间不能早于前次拍卖时间。"]
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    previous_start = previous.starting_price if previous else None
    on = timezone.localdate(at)
    _guard([*prules.starting_price_too_low(prop, next_round, starting_price, previous_start),
            *prules.auction_cut_not_full(prop, next_round, starting_price, previous_start, on),
            *prules.announcement_too_short(prop, next_round, announced_at, auction_at)],
           case, at, actor, overridable="auction_cut_not_full")
    prop.schedule_auction()
    AuctionRound.objects.create(property=prop, round_no=next_round, announced_at=announced_at, auction_at=auction_at,
                                starting_price=starting_price)
    prop.last_event_at = at
    prop.save(update_fields=["last_event_at"])
    if previous is not None:
        # [SPC2016 §26]: 流拍后应当在三十日内再次拍卖 — announcing the next round meets AUCTION_RELIST.
        clock.deadline_meet(node="AUCTION_RELIST", subject=_subject(prop), at=at, actor=actor)
    _audit(actor, prop, "property.schedule_auction", at, round=next_round, starting_price=starting_price,
           announced_at=announced_at, auction_at=auction_at)
    return prop


@transaction.atomic
def property_record_auction_result(*, prop: Property, actor: User, sold: bool, price: Decimal | None = None,
                                   occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=True)
    if prop.status != PropertyStatus.DISPOSING:
        raise Conflict(f"财产当前状态为“{prop.get_status_display()}”，不能记录处置结果。")
    if sold and (price is None or price <= 0):
        raise InvalidInput({"price": ["成交的，须填写成交价。"]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    rnd = None
    if prop.disposal_method == DisposalMethod.ONLINE_AUCTION:
        rnd = prop.auction_rounds.filter(result=AuctionResult.PENDING).order_by("-round_no").first()
        if rnd is None:
            raise Conflict("没有待出结果的拍卖轮次。", code="no_pending_auction")
        if at < rnd.auction_at:
            raise InvalidInput({"occurred_at": ["拍卖结果不能早于拍卖时间。"]})
        rnd.result = AuctionResult.SOLD if sold else AuctionResult.FAILED
        rnd.price = price if sold else None
        rnd.recorded_at = at
        rnd.save(update_fields=["result", "price", "recorded_at"])
    elif not sold:
        raise InvalidInput({"sold": ["变卖、以物抵债、自行处置只记录成交结果。"]})
    before = _snapshot(prop)
    subject = _subject(prop)
    if sold:
        prop.sell()
        prop.sold_price, prop.sold_at = price, at
        if prop.disposal_method == DisposalMethod.SELF_DISPOSAL:
            clock.deadline_meet(node="SELF_DISPOSAL_END", subject=subject, at=at, actor=actor)
            _end_self_disposal_pause(prop, at, actor, sold=True)
    elif rnd is not None:
        # 流拍 [SPC2016 §26]: the next round within 30 days (AUCTION_RELIST) — unless this was the
        # last online round, after which the property may be sold (变卖) or set off in kind.
        clock.deadlines_on_event(event="property.auction_failed", at=at, subject=subject, court=case.court,
                                 actor=actor, context={"relist": rnd.round_no < prules.MAX_AUCTION_ROUNDS},
                                 responsible=case.judge)
    prop.last_event_at = at
    prop.save()
    _audit(actor, prop, "property.record_auction_result", at, before, sold=sold, price=price,
           round=rnd.round_no if rnd else None)
    return prop


@transaction.atomic
def property_realize(*, prop: Property, actor: User, receipt: int, occurred_at: datetime | None = None) -> Property:
    """The sale money (or a frozen deposit transferred) has arrived in the case account; links the receipt."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.realize, "登记价款到账")
    if prop.status == PropertyStatus.CONTROLLED and prop.type not in MONEY_TYPES:
        raise Conflict("非货币财产须经处置成交后方可登记价款到账。")
    if ports.money.receipt_of_case(case=case, pk=receipt) is None:
        raise InvalidInput({"receipt": ["该到账记录不存在或不属于本案案款账户。"]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    prop.realize()
    prop.receipt_id = int(receipt)
    prop.realized_at = prop.last_event_at = at
    prop.save()
    _audit(actor, prop, "property.realize", at, before, receipt=receipt)
    return prop


@transaction.atomic
def property_release(*, prop: Property, actor: User, reason: str, amount: Decimal | None = None,
                     occurred_at: datetime | None = None) -> Property:
    """Release, in full or — for a freeze — in part (rolling release, [003 §6])."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.release, "解除控制")
    if not reason.strip():
        raise InvalidInput({"reason": ["请写明解除理由。"]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    remaining = (prop.freeze_amount or Decimal("0")) - prop.released_amount
    if amount is not None:
        if prop.measure != "freeze" or prop.freeze_amount is None:
            raise InvalidInput({"amount": ["只有冻结的款项可以部分解除。"]})
        if amount <= 0 or amount > remaining:
            raise InvalidInput({"amount": [f"部分解除金额须大于零且不超过尚在冻结的 {remaining:,.2f} 元。"]})
    if amount is not None and amount < remaining:
        prop.released_amount += amount
        prop.controlled_value = (prop.controlled_value or Decimal("0")) - amount
        prop.last_event_at = at
        prop.save(update_fields=["released_amount", "controlled_value", "last_event_at"])
        _audit(actor, prop, "property.partial_release", at, before, reason=reason, amount=amount)
        return prop
    prop.release()
    prop.released_at = prop.last_event_at = at
    prop.release_reason = reason.strip()
    if amount is not None:
        prop.released_amount += amount
    prop.save()
    clock.deadlines_cancel(subject=_subject(prop), at=at, actor=actor, reason=f"财产已解除控制：{reason}")
    _audit(actor, prop, "property.release", at, before, reason=reason)
    return prop


# --- restoration (SPEC §4 ROUND_REVIEW, §6.1 restore) ----------------------------------------------

def on_case_event(case: Case, event: str, at: datetime, actor: User, **extra) -> None:
    """Registered with ``cases.services.on_case_lifecycle``. On restoration, the property found on the
    terminated-round case after its closure (by a review query or a creditor's lead) is what the
    restored case enforces: it moves to the new case, with its clocks and its owner among the new
    case's parties; the old case keeps its closure and its query history."""
    if event != "restore":
        return
    new = extra["new_case"]
    found = list(Property.objects.select_for_update(of=("self",)).select_related("owner")
                 .filter(case=case, discovered_at__gt=case.closed_at)
                 .exclude(status__in=[PropertyStatus.RELEASED, PropertyStatus.REALIZED]))
    if not found:
        return
    parties = {(p.role, p.name): p for p in new.parties.all()}
    for prop in found:
        before = {"case": case.pk, "owner": prop.owner_id}
        prop.case = new
        if prop.owner is not None:
            prop.owner = parties.get((prop.owner.role, prop.owner.name))
        prop.save(update_fields=["case", "owner"])
        audit_record(actor=actor, action="property.transfer_to_restored", obj=prop, court=new.court_id,
                     case_id=new.pk, occurred_at=at, before=before,
                     after={"case": new.pk, "owner": prop.owner_id, "from_case": case.number},
                     reason=f"恢复执行：终本案件 {case.number} 定期查控发现的财产转入恢复执行案件 {new.number}")
    clock.deadlines_move_to_case(subject_type="property", subject_ids=[p.pk for p in found], case_id=new.pk)
