"""Network property queries and their feedback (SPEC §6.1, §13; [004 §13]), and the five-year
periodic review of a terminated-round case (SPEC §4 ROUND_REVIEW)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from cases import services as case_services
from cases.models import (
    Case,
    CaseStatus,
    Closure,
    MilestoneKind,
    PartyRole,
    Property,
    PropertyQuery,
    PropertyType,
    QueryFeedback,
)
from cases.models.property import ALL_CATEGORIES, QueryChannel
from cases.parties import services as parties_services
from cases.property import rules as prules
from cases.property.services._common import (
    _check_actor,
    _lock_case,
    _subject,
    _validate_categories,
)
from deadlines import services as clock
from deadlines.calendar import add_months, end_of_day
from deadlines.services import Subject
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.models import Role, User
from enforcement.timeutil import resolve_occurred_at


@dataclass
class FoundProperty:
    type: str
    description: str
    value: Decimal | None = None
    online_controllable: bool = False
    exempt_kind: str = ""



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
        raise Conflict(gettext("案件当前状态为“%(value)s”，不能发起网络查控。") % {"value": case.get_status_display()})
    bad = [c for c in channels if c not in QueryChannel.values]
    if not channels or bad:
        raise InvalidInput({"channels": [gettext("查询渠道须为 national（总对总）和/或 provincial（点对点）。")]})
    categories = _validate_categories(categories or list(ALL_CATEGORIES), "categories")
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    q = PropertyQuery.objects.create(case=case, channels=list(dict.fromkeys(channels)), categories=categories,
                                     initiated_at=at, initiated_by=actor, last_event_at=at)
    audit_record(actor=actor, action=events.QUERY_INITIATE, obj=q, court=case.court_id, case_id=case.pk, occurred_at=at,
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
            raise InvalidInput({f"properties[{i}].type": [gettext("未知的财产类型。")]})
        if p.type not in categories and p.type not in q.categories:
            raise InvalidInput({f"properties[{i}].type": [gettext("反馈的财产类型不在本次查询范围内。")]})
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
    with translation.override(settings.LANGUAGE_CODE):  # parties read Chinese
        found: dict[str, int] = {}
        for prop in created:
            found[prop.get_type_display()] = found.get(prop.get_type_display(), 0) + 1
        parties_services.parties_tell_query_result(
            case=case, at=at, covered=[str(PropertyType(c).label) for c in categories], found=found)
    audit_record(actor=actor, action=events.QUERY_FEEDBACK, obj=q, court=case.court_id, case_id=case.pk, occurred_at=at,
                 after={"categories": categories, "covered": q.covered, "complete": q.complete,
                        "properties": [p.pk for p in created]})
    if created and case.status == CaseStatus.CLOSED and case.closure == Closure.TERMINATED_ROUND:
        # [002]: property found on a terminated-round case → restore within 3 working days.
        clock.deadlines_on_event(event="property.found", at=at, subject=Subject.of_case(case), court=case.court,
                                 actor=actor, responsible=case.judge)
    return q
