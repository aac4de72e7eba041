"""Reads of queries, leads and properties through the court scope (SPEC §1)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cases.models import AuctionRound, Lead, Property, PropertyQuery
from enforcement.models import User
from enforcement.selectors import court_ids_visible_to


def properties_visible_to(user: User) -> QuerySet[Property]:
    return (
        Property.objects.filter(case__court_id__in=court_ids_visible_to(user))
        .select_related("case__court", "case__judge", "owner")
        .prefetch_related(Prefetch("auction_rounds", queryset=AuctionRound.objects.order_by("round_no")))
    )


def property_for_user(*, user: User, pk) -> Property:
    return get_object_or_404(properties_visible_to(user), pk=pk)


def leads_visible_to(user: User) -> QuerySet[Lead]:
    return Lead.objects.filter(case__court_id__in=court_ids_visible_to(user)).select_related(
        "case__court", "case__judge"
    )


def lead_for_user(*, user: User, pk) -> Lead:
    return get_object_or_404(leads_visible_to(user), pk=pk)


def queries_visible_to(user: User) -> QuerySet[PropertyQuery]:
    return (
        PropertyQuery.objects.filter(case__court_id__in=court_ids_visible_to(user))
        .select_related("case__court", "case__judge")
        .prefetch_related("feedbacks")
    )


def query_for_user(*, user: User, pk) -> PropertyQuery:
    return get_object_or_404(queries_visible_to(user), pk=pk)
