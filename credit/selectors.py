"""Reads of credit sanctions, always through the court scope (SPEC §1: other courts' are 404)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from deadlines.models import Deadline
from deadlines.models.deadline import OPEN_Q
from enforcement.models import User
from enforcement.selectors import court_ids_visible_to

from .models import CorrectionRequest, CreditPlatformMessage, Sanction


def sanctions_visible_to(user: User) -> QuerySet[Sanction]:
    return Sanction.objects.filter(court_id__in=court_ids_visible_to(user))


def sanction_list(*, user: User) -> QuerySet[Sanction]:
    return (
        sanctions_visible_to(user)
        .select_related("case", "case__judge", "party", "court")
        .prefetch_related(
            Prefetch("platform_messages", queryset=CreditPlatformMessage.objects.order_by("id")),
            Prefetch("corrections", queryset=CorrectionRequest.objects.order_by("received_at", "id")),
        )
    )


def sanction_for_user(*, user: User, pk: int | str) -> Sanction:
    return get_object_or_404(sanction_list(user=user), pk=pk)


def correction_for_user(*, user: User, pk: int | str) -> CorrectionRequest:
    qs = CorrectionRequest.objects.filter(sanction__court_id__in=court_ids_visible_to(user)).select_related(
        "sanction"
    )
    return get_object_or_404(qs, pk=pk)


def open_deadlines_by_sanction(sanctions: list[Sanction]) -> dict[int, list[Deadline]]:
    """Running clocks of the given sanctions and of their correction requests, in one query each way."""
    sanction_ids = [s.pk for s in sanctions]
    correction_to_sanction = {c.pk: s.pk for s in sanctions for c in s.corrections.all()}
    out: dict[int, list[Deadline]] = defaultdict(list)
    if not sanction_ids:
        return out
    qs = Deadline.objects.filter(OPEN_Q, subject_type="sanction", subject_id__in=sanction_ids)
    if correction_to_sanction:
        qs = qs | Deadline.objects.filter(OPEN_Q, subject_type="sanction_correction",
                                          subject_id__in=list(correction_to_sanction))
    for d in qs.order_by("due_at", "id"):
        key = d.subject_id if d.subject_type == "sanction" else correction_to_sanction[d.subject_id]
        out[key].append(d)
    return out
