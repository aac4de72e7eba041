"""Every write about complaints (SPEC §11, [001]): received (COMPLAINT_REPLY starts: 3 days), answered
by the judge — the answer is sent to the party — or referred to the collegial panel, whose answer then
completes it. Each complaint is the subject of its own clock, so two complaints have two clocks."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext
from django_fsm import can_proceed

from deadlines import services as clock
from deadlines.services import Subject
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput, PermissionDenied
from enforcement.models import Role, User
from enforcement.timeutil import resolve_occurred_at

from .. import services as case_services
from ..models import Case, Party
from ..parties import texts
from ..parties.models import PartyEvent
from ..parties.services import parties_tell
from .models import Complaint, ComplaintStatus

NODE = "COMPLAINT_REPLY"
# Complaints reach the court through the filing division, the bureau or the judge's own team.
INTAKE_ROLES = (Role.POST_JUDGE, Role.OFFICER, Role.FILING_CLERK, Role.BUREAU_CLERK, Role.BUREAU_HEAD,
                Role.SUPERVISOR)
# The panel's answer is recorded by one of its members: a post judge of the court, or the bureau head.
PANEL_ROLES = (Role.POST_JUDGE, Role.BUREAU_HEAD)


def subject_of(c: Complaint) -> Subject:
    return Subject("complaint", c.pk, c.case_id, c.case.court_id)


def _snapshot(c: Complaint) -> dict:
    return {"status": c.status, "referred_at": c.referred_at, "answered_at": c.answered_at,
            "answered_by_panel": c.answered_by_panel}


@transaction.atomic
def complaint_receive(*, case: Case, actor: User, party: Party, content: str,
                      received_at: datetime | None = None) -> Complaint:
    case = case_services._lock(case)
    case_services._require_court(actor, case.court_id)
    case_services._require_role(actor, *INTAKE_ROLES)
    errors = {}
    if party is None or party.case_id != case.pk:
        errors["party"] = ["投诉人须为本案当事人。"]
    if not (content or "").strip():
        errors["content"] = ["请填写投诉内容。"]
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(received_at, previous=None, field="received_at")
    c = Complaint.objects.create(case=case, party=party, content=content.strip(), received_at=at, received_by=actor,
                                 last_event_at=at)
    audit_record(actor=actor, action=events.COMPLAINT_RECEIVE, obj=c, court=case.court_id, case_id=case.pk,
                 occurred_at=at, after={**_snapshot(c), "party": party.pk})
    # [001]: the judge answers a party's complaint within 3 days — a clock of this complaint alone.
    clock.deadlines_on_event(event="complaint.received", at=at, subject=subject_of(c), court=case.court,
                             actor=actor, responsible=case.judge)
    return c


def _lock(c: Complaint) -> tuple[Case, Complaint]:
    case = case_services._lock(Case(pk=c.case_id))
    return case, Complaint.objects.select_for_update(of=("self",)).select_related("party").get(pk=c.pk)


def may_answer(user: User, c: Complaint, case: Case) -> bool:
    if c.status == ComplaintStatus.RECEIVED:
        return case.judge_id is not None and case.judge_id == user.pk
    if c.status == ComplaintStatus.REFERRED:
        return user.court_id == case.court_id and user.has_role(*PANEL_ROLES)
    return False


@transaction.atomic
def complaint_answer(*, complaint: Complaint, actor: User, answer: str,
                     occurred_at: datetime | None = None) -> Complaint:
    case, c = _lock(complaint)
    case_services._require_court(actor, case.court_id)
    if not can_proceed(c.mark_answered):
        raise Conflict(gettext("投诉当前状态为“%(value)s”，不能答复。") % {"value": c.get_status_display()})
    if not may_answer(actor, c, case):
        raise PermissionDenied(gettext("已提交合议庭的投诉由合议庭答复（本院员额法官或执行局长录入）。")
                               if c.status == ComplaintStatus.REFERRED else gettext("只有承办法官可以答复投诉。"))
    if not (answer or "").strip():
        raise InvalidInput({"answer": [gettext("请填写答复内容（将告知投诉人）。")]})
    at = resolve_occurred_at(occurred_at, previous=c.last_event_at)
    before = _snapshot(c)
    by_panel = c.status == ComplaintStatus.REFERRED
    c.mark_answered()
    c.answer, c.answered_at, c.answered_by, c.answered_by_panel = answer.strip(), at, actor, by_panel
    c.last_event_at = at
    c.save(update_fields=["status", "answer", "answered_at", "answered_by", "answered_by_panel", "last_event_at"])
    c.case = case
    clock.deadline_meet(node=NODE, subject=subject_of(c), at=at, actor=actor)
    audit_record(actor=actor, action=events.COMPLAINT_ANSWER, obj=c, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before, after=_snapshot(c), reason=c.answer)
    if c.party is not None:
        parties_tell(case=case, event=PartyEvent.COMPLAINT_ANSWERED, at=at, parties=[c.party],
                     text=lambda role: texts.complaint_answered(case, role, answer=c.answer, by_panel=by_panel))
    return c


@transaction.atomic
def complaint_refer(*, complaint: Complaint, actor: User, reason: str,
                    occurred_at: datetime | None = None) -> Complaint:
    """A major dispute goes to the collegial panel (SPEC §11); its clock runs on until the panel answers."""
    case, c = _lock(complaint)
    case_services._require_court(actor, case.court_id)
    if not can_proceed(c.refer):
        raise Conflict(gettext("投诉当前状态为“%(value)s”，不能提交合议庭。") % {"value": c.get_status_display()})
    case_services._ensure_judge(actor, case)
    if not (reason or "").strip():
        raise InvalidInput({"reason": [gettext("请写明提交合议庭的理由（重大争议的具体情况）。")]})
    at = resolve_occurred_at(occurred_at, previous=c.last_event_at)
    before = _snapshot(c)
    c.refer()
    c.referred_at, c.referral_reason, c.last_event_at = at, reason.strip(), at
    c.save(update_fields=["status", "referred_at", "referral_reason", "last_event_at"])
    audit_record(actor=actor, action=events.COMPLAINT_REFER, obj=c, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before, after=_snapshot(c), reason=c.referral_reason)
    return c
