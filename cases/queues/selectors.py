"""Reads of the queues, scoped by court like every case read (``cases.selectors``)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from enforcement.models import Role, User

from .. import selectors
from ..models import Case, CaseStatus


def to_receive(*, user: User) -> QuerySet[Case]:
    """待收案: filed in the user's court, not yet received by the bureau, oldest first."""
    return (selectors.case_list(user=user).filter(court_id=user.court_id, status=CaseStatus.FILED)  # type: ignore[misc]  # None is IS NULL
            .order_by("filed_at", "id"))


def to_assign(*, user: User) -> QuerySet[Case]:
    """待分案: received by the bureau, no judge yet, oldest first."""
    return (selectors.case_list(user=user)
            .filter(court_id=user.court_id, status=CaseStatus.RECEIVED, judge__isnull=True)  # type: ignore[misc]  # None is IS NULL
            .order_by("received_at", "id"))


def to_accept(*, user: User) -> QuerySet[Case]:
    """A judge's 待接收: assigned to him, not yet accepted."""
    return (selectors.case_list(user=user).filter(judge=user, status=CaseStatus.RECEIVED)
            .order_by("received_at", "id"))


def judges_with_caseload(court_id: int) -> QuerySet[User]:
    """The court's active post judges, each with ``open_cases`` (assigned and not closed): one query."""
    return (
        User.objects.filter(court_id=court_id, is_active=True, role_rows__role=Role.POST_JUDGE)
        .annotate(open_cases=Count("cases_as_judge", filter=~Q(cases_as_judge__status=CaseStatus.CLOSED),
                                   distinct=True))
        .order_by("open_cases", "username")
    )
