"""Creditors' property leads (SPEC §6.1; [004 §13], [SPC2006 §6], [002]): receipt, verification,
confirmation (which makes a property) and rejection (which tells the creditor why)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django_fsm import can_proceed

from cases import services as case_services
from cases.models import (
    Case,
    CaseStatus,
    Closure,
    Lead,
    PartyRole,
    Property,
)
from cases.models.property import ALL_CATEGORIES
from cases.parties import services as parties_services
from cases.property.services._common import (
    _check_actor,
    _lock_case,
)
from deadlines import services as clock
from deadlines.services import Subject
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.models import Role, User
from enforcement.timeutil import resolve_occurred_at

# --- leads (SPEC §6.1; [004 §13], [SPC2006 §6], [002]) -------------------------------------

@transaction.atomic
def lead_receive(*, case: Case, actor: User, description: str, urgent: bool = False,
                 occurred_at: datetime | None = None) -> Lead:
    case = _lock_case(case)
    case_services._require_court(actor, case.court_id)
    case_services._require_role(actor, Role.POST_JUDGE, Role.OFFICER, Role.FILING_CLERK, Role.BUREAU_CLERK)
    if case.status == CaseStatus.CLOSED and case.closure != Closure.TERMINATED_ROUND:
        raise Conflict(gettext("案件已结案，不能接收财产线索。"))
    if not description.strip():
        raise InvalidInput({"description": [gettext("请填写线索内容。")]})
    at = resolve_occurred_at(occurred_at, previous=case.filed_at)
    lead = Lead.objects.create(case=case, description=description.strip(), urgent=urgent, received_at=at,
                               recorded_by=actor, last_event_at=at)
    audit_record(actor=actor, action=events.LEAD_RECEIVE, obj=lead, court=case.court_id, case_id=case.pk,
                 occurred_at=at, after={"urgent": urgent, "status": lead.status})
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
        raise Conflict(gettext("线索当前状态为“%(value)s”，不能开始核查。") % {"value": lead.get_status_display()})
    at = resolve_occurred_at(occurred_at, previous=lead.last_event_at)
    lead.start_verification()
    lead.verification_started_at = lead.last_event_at = at
    lead.save(update_fields=["status", "verification_started_at", "last_event_at"])
    clock.deadline_meet(node="LEAD_URGENT", subject=_lead_subject(lead), at=at, actor=actor)
    audit_record(actor=actor, action=events.LEAD_START_VERIFICATION, obj=lead, court=lead.case.court_id,
                 case_id=lead.case_id, occurred_at=at, after={"status": lead.status})
    return lead


def _inform_creditor(lead: Lead, result: Callable[[], str]) -> None:
    """The verification result is told to the creditor [SPC2006 §6] (SPEC §10 ``lead_result``), in Chinese
    whatever the acting user's interface language."""
    assert lead.decided_at is not None  # told once decided
    with translation.override(settings.LANGUAGE_CODE):
        parties_services.parties_tell_lead_result(case=lead.case, at=lead.decided_at, result=result())


@transaction.atomic
def lead_confirm(*, lead: Lead, actor: User, type: str, description: str = "", value: Decimal | None = None,
                 online_controllable: bool = False, occurred_at: datetime | None = None) -> Lead:
    lead = _lock_lead(lead)
    case = lead.case
    _check_actor(actor, case, officer_ok=False)
    if not can_proceed(lead.confirm):
        raise Conflict(gettext("线索当前状态为“%(value)s”，不能认定。") % {"value": lead.get_status_display()})
    if type not in ALL_CATEGORIES:
        raise InvalidInput({"type": [gettext("未知的财产类型。")]})
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
    audit_record(actor=actor, action=events.LEAD_CONFIRM, obj=lead, court=case.court_id, case_id=case.pk,
                 occurred_at=at, after={"status": lead.status, "property": prop.pk})
    _inform_creditor(lead, lambda: f"您提供的财产线索经核查属实，法院已登记该财产（{prop.get_type_display()}）。")
    if case.status == CaseStatus.CLOSED and case.closure == Closure.TERMINATED_ROUND:
        clock.deadlines_on_event(event="property.found", at=at, subject=Subject.of_case(case), court=case.court,
                                 actor=actor, responsible=case.judge)
    return lead


@transaction.atomic
def lead_reject(*, lead: Lead, actor: User, reason: str, occurred_at: datetime | None = None) -> Lead:
    lead = _lock_lead(lead)
    _check_actor(actor, lead.case, officer_ok=False)
    if not can_proceed(lead.reject):
        raise Conflict(gettext("线索当前状态为“%(value)s”，不能作出不予认定。") % {"value": lead.get_status_display()})
    if not reason.strip():
        raise InvalidInput({"reason": [gettext("不予认定须写明理由（将告知申请执行人）。")]})
    at = resolve_occurred_at(occurred_at, previous=lead.last_event_at)
    lead.reject()
    lead.decided_at = lead.creditor_informed_at = lead.last_event_at = at
    lead.reason = reason.strip()
    lead.save(update_fields=["status", "decided_at", "creditor_informed_at", "last_event_at", "reason"])
    subject = _lead_subject(lead)
    clock.deadline_meet(node="LEAD_URGENT", subject=subject, at=at, actor=actor)
    clock.deadline_meet(node="LEAD_VERIFY", subject=subject, at=at, actor=actor)
    audit_record(actor=actor, action=events.LEAD_REJECT, obj=lead, court=lead.case.court_id, case_id=lead.case_id,
                 occurred_at=at, after={"status": lead.status}, reason=reason)
    _inform_creditor(lead, lambda: f"您提供的财产线索经核查不予认定，理由：{lead.reason}")
    return lead
