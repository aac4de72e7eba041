"""Reads of the parties' side: a case's party messages (staff, court scope) and the public progress
of a case found by its number and query code (SPEC §10) — nothing private leaves this module."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext

from ..models import Case, CaseStatus, PartyRole
from . import codes
from .masking import mask_party_name
from .models import PRIVATE_EVENTS, PartyEvent, PartyMessage


def messages_of(case: Case) -> QuerySet[PartyMessage]:
    return (PartyMessage.objects.filter(case=case).select_related("party", "notification")
            .order_by("created_at", "id"))


@dataclass(frozen=True)
class Node:
    name: str
    at: datetime


@dataclass(frozen=True)
class Progress:
    number: str
    court: str
    status: str
    judge: str | None
    filed_at: datetime
    parties: list[dict]
    nodes: list[Node]


def case_by_number_and_code(number: str, code: str) -> tuple[Case | None, bool]:
    """(the case with that number or None, whether the code is its code). The caller answers an unknown
    number and a wrong code alike (SPEC §10); the case is returned for the audit trail only."""
    number, code = codes.normalize_number(number), codes.normalize_code(code)
    case = Case.objects.select_related("court", "judge").filter(number=number).first()
    stored = case.query_code if case is not None else ""
    # Compared in constant time, and compared even when the number is unknown.
    matches = hmac.compare_digest((stored or "-").encode(), code.encode())
    return case, case is not None and bool(stored) and matches


def public_status(case: Case) -> str:
    if case.status == CaseStatus.CLOSED and case.closure:
        return gettext("已结案（%(value)s）") % {"value": case.get_closure_display()}
    return case.get_status_display()


def progress_of(case: Case) -> Progress:
    """What the public page shows: court, status, judge, filing date, parties masked, the nodes done."""
    seen = (PartyMessage.objects.filter(case=case).exclude(event__in=PRIVATE_EVENTS)
            .values_list("event", "occurred_at").distinct().order_by("occurred_at", "event"))
    nodes = [Node(str(PartyEvent(event).label), at) for event, at in seen]
    if not any(n.name == PartyEvent.FILED.label for n in nodes):
        nodes.insert(0, Node(str(PartyEvent.FILED.label), case.filed_at))
    shown = case.parties.filter(role__in=(PartyRole.APPLICANT, PartyRole.RESPONDENT)).order_by("role", "id")
    parties = [{"role": p.get_role_display(), "name": mask_party_name(p.name, p.kind)} for p in shown]
    return Progress(number=case.number, court=case.court.name, status=public_status(case),
                    judge=case.judge.display_name if case.judge is not None else None, filed_at=case.filed_at,
                    parties=parties, nodes=nodes)
