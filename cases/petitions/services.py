"""Every write about petitions (信访, SPEC §11; [004 §30]): received, registered within 5 working days,
concluded with an answer within 30 working days of receipt."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext
from django_fsm import can_proceed

from cases.models import Case, Petition
from cases.services import _require_court, _require_role
from deadlines import services as clock
from deadlines.services import Subject
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.models import Court, Role, User
from enforcement.timeutil import resolve_occurred_at

# Petitions are taken in by the filing division or the bureau, and supervised by the supervisors.
INTAKE_ROLES = (Role.FILING_CLERK, Role.BUREAU_CLERK, Role.SUPERVISOR, Role.BUREAU_HEAD)
RESOLVE_ROLES = (Role.SUPERVISOR, Role.BUREAU_HEAD, Role.POST_JUDGE)


def _subject(p: Petition) -> Subject:
    return Subject("petition", p.pk, p.case_id, p.court_id)


def _snapshot(p: Petition) -> dict:
    return {"status": p.status, "registered_at": p.registered_at, "resolved_at": p.resolved_at}


@transaction.atomic
def petition_receive(*, actor: User, petitioner: str, content: str, court: Court | None = None,
                     case: Case | None = None, occurred_at: datetime | None = None) -> Petition:
    _require_role(actor, *INTAKE_ROLES)
    court = case.court if case is not None else (court or actor.court)
    if court is None:
        raise InvalidInput({"court": [gettext("请指定法院。")]})
    _require_court(actor, court.pk)
    errors = {}
    if not petitioner.strip():
        errors["petitioner"] = ["请填写信访人。"]
    if not content.strip():
        errors["content"] = ["请填写信访事项。"]
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(occurred_at, previous=None)
    p = Petition.objects.create(court=court, case=case, petitioner=petitioner.strip(), content=content.strip(),
                                received_at=at, received_by=actor, last_event_at=at)
    audit_record(actor=actor, action=events.PETITION_RECEIVE, obj=p, court=court, case_id=p.case_id, occurred_at=at,
                 after={**_snapshot(p), "petitioner": p.petitioner})
    # [004 §30]: entered in the system within 5 working days, concluded within 30 working days.
    clock.deadlines_on_event(event="petition.received", at=at, subject=_subject(p), court=court, actor=actor,
                             responsible=case.judge if case is not None else None)
    return p


def _lock(p: Petition) -> Petition:
    return Petition.objects.select_for_update(of=("self",)).select_related("court", "case").get(pk=p.pk)


@transaction.atomic
def petition_register(*, petition: Petition, actor: User, occurred_at: datetime | None = None) -> Petition:
    p = _lock(petition)
    _require_role(actor, *INTAKE_ROLES)
    _require_court(actor, p.court_id)
    if not can_proceed(p.register):
        raise Conflict(gettext("信访当前状态为“%(value)s”，不能录入。") % {"value": p.get_status_display()})
    at = resolve_occurred_at(occurred_at, previous=p.last_event_at)
    before = _snapshot(p)
    p.register()
    p.registered_at = p.last_event_at = at
    p.save(update_fields=["status", "registered_at", "last_event_at"])
    clock.deadline_meet(node="PETITION_REGISTER", subject=_subject(p), at=at, actor=actor)
    audit_record(actor=actor, action=events.PETITION_REGISTER, obj=p, court=p.court_id, case_id=p.case_id,
                 occurred_at=at, before=before, after=_snapshot(p))
    return p


@transaction.atomic
def petition_resolve(*, petition: Petition, actor: User, answer: str, occurred_at: datetime | None = None) -> Petition:
    p = _lock(petition)
    _require_role(actor, *RESOLVE_ROLES)
    _require_court(actor, p.court_id)
    if actor.has_role(Role.POST_JUDGE) and not actor.has_role(Role.SUPERVISOR, Role.BUREAU_HEAD) and (
        p.case is None or p.case.judge_id != actor.pk
    ):
        raise InvalidInput({"answer": [gettext("只有涉及案件的承办法官或监管人员、执行局长可以答复办结。")]})
    if not can_proceed(p.resolve):
        raise Conflict(gettext("信访当前状态为“%(value)s”，不能办结。") % {"value": p.get_status_display()})
    if not answer.strip():
        raise InvalidInput({"answer": [gettext("办结须写明答复意见。")]})
    at = resolve_occurred_at(occurred_at, previous=p.last_event_at)
    before = _snapshot(p)
    p.resolve()
    p.answer = answer.strip()
    p.resolved_at = p.last_event_at = at
    if p.registered_at is None:
        p.registered_at = at
    p.save(update_fields=["status", "answer", "resolved_at", "registered_at", "last_event_at"])
    subject = _subject(p)
    clock.deadline_meet(node="PETITION_REGISTER", subject=subject, at=at, actor=actor)
    clock.deadline_meet(node="PETITION_RESOLVE", subject=subject, at=at, actor=actor)
    audit_record(actor=actor, action=events.PETITION_RESOLVE, obj=p, court=p.court_id, case_id=p.case_id,
                 occurred_at=at, before=before, after=_snapshot(p), reason=p.answer)
    return p
