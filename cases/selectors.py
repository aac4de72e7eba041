"""Reads of cases, always through the court scope (SPEC §1: other courts' cases are 404)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from enforcement.models import AuditEvent, User
from enforcement.selectors import court_ids_visible_to

from .models import Case, CaseTransfer, Party


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The user's courts' cases, and the cases taken up or reassigned away from them: the court a
    case left keeps read access (SPEC §11); every write re-checks the case's current court."""
    visible = court_ids_visible_to(user)
    handed_over = CaseTransfer.objects.filter(case=OuterRef("pk"), from_court_id__in=visible)
    return Case.objects.filter(Q(court_id__in=visible) | Q(Exists(handed_over)))


def case_list(*, user: User) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .select_related("court", "judge")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.order_by("role", "id")))
    )


def case_for_user(*, user: User, pk: int | str, for_detail: bool = True) -> Case:
    qs = case_list(user=user) if for_detail else cases_visible_to(user)
    return get_object_or_404(qs, pk=pk)


def case_events(*, case: Case) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case_id=case.pk).select_related("actor").order_by("occurred_at", "id")
