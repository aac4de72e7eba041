"""Reads of approval requests, through the case's court scope (other courts: 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from enforcement.models import ApprovalRequest, ApprovalStatus, Role, User

from ..selectors import cases_visible_to


def approvals_visible_to(user: User) -> QuerySet[ApprovalRequest]:
    return (ApprovalRequest.objects.filter(case__in=cases_visible_to(user))
            .select_related("case", "case__court", "court", "requested_by", "decided_by", "used_by"))


def approval_for_user(user: User, pk) -> ApprovalRequest:
    return get_object_or_404(approvals_visible_to(user), pk=pk)


def approval_inbox(user: User) -> QuerySet[ApprovalRequest]:
    """A bureau head's inbox: his own court's pending requests, oldest first, none of his own; anyone
    else's: his own requests, newest first, whatever their answer."""
    qs = approvals_visible_to(user)
    if user.has_role(Role.BUREAU_HEAD) and user.court_id is not None:
        return (qs.filter(court_id=user.court_id, status=ApprovalStatus.PENDING).exclude(requested_by=user)
                .order_by("requested_at", "id"))
    return qs.filter(requested_by=user).order_by("-requested_at", "-id")


def case_approvals(case) -> QuerySet[ApprovalRequest]:
    return (ApprovalRequest.objects.filter(case_id=case.pk).select_related("requested_by", "decided_by", "used_by")
            .order_by("-requested_at", "-id"))
