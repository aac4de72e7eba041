"""Reads of case-limit stops, through the case's court scope (other courts: 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from enforcement.models import User
from enforcement.selectors import court_ids_visible_to

from .models import CaseLimitStop


def stops_visible_to(user: User) -> QuerySet[CaseLimitStop]:
    return (CaseLimitStop.objects.filter(case__court_id__in=court_ids_visible_to(user))
            .select_related("case", "case__court", "case__judge", "started_by", "approved_by", "ended_by"))


def stop_for_user(user: User, pk) -> CaseLimitStop:
    return get_object_or_404(stops_visible_to(user), pk=pk)
