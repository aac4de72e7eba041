"""Reads of complaints, through the case's court scope (other courts: 404)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from deadlines.models import Deadline
from enforcement.models import User
from enforcement.selectors import court_ids_visible_to

from .models import Complaint


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    return (Complaint.objects.filter(case__court_id__in=court_ids_visible_to(user))
            .select_related("case", "case__court", "case__judge", "party", "received_by", "answered_by"))


def complaint_for_user(user: User, pk) -> Complaint:
    return get_object_or_404(complaints_visible_to(user), pk=pk)


def reply_due(complaints) -> dict[int, datetime]:
    """Each complaint's COMPLAINT_REPLY due time, in one query."""
    ids = [c.pk for c in complaints]
    rows = (Deadline.objects.filter(node="COMPLAINT_REPLY", subject_type="complaint", subject_id__in=ids)
            .order_by("subject_id", "-id").values_list("subject_id", "due_at"))
    due: dict[int, datetime] = {}
    for subject_id, due_at in rows:
        due.setdefault(subject_id, due_at)
    return due
