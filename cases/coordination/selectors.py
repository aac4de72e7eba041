"""Reads of the coordination area, each through the court scope (SPEC §1: other courts get 404).

* supervision orders: the issuing court's side and the handling court's side;
* transfers: the courts the case left and reached;
* disputes: the two courts and the upper court that decides;
* delegations: the requesting court and the entrusted court — the entrusted court reads the task
  and the few case facts it needs (number, parties, basis) from here, never the case itself.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from enforcement.models import User
from enforcement.selectors import court_ids_visible_to

from ..models import Party
from .models import CaseTransfer, Delegation, Dispute, SupervisionOrder


def orders_visible_to(user: User) -> QuerySet[SupervisionOrder]:
    v = court_ids_visible_to(user)
    return (SupervisionOrder.objects.filter(Q(court_id__in=v) | Q(case__court_id__in=v))
            .select_related("case", "case__court", "case__judge", "court", "handling_court", "issued_by",
                            "replied_by"))


def order_for_user(user: User, pk) -> SupervisionOrder:
    return get_object_or_404(orders_visible_to(user), pk=pk)


def transfers_visible_to(user: User) -> QuerySet[CaseTransfer]:
    v = court_ids_visible_to(user)
    return (CaseTransfer.objects.filter(Q(from_court_id__in=v) | Q(to_court_id__in=v))
            .select_related("case", "from_court", "to_court", "ordered_by_court", "ordered_by"))


def disputes_visible_to(user: User) -> QuerySet[Dispute]:
    v = court_ids_visible_to(user)
    return (Dispute.objects.filter(Q(reporting_court_id__in=v) | Q(other_court_id__in=v) | Q(upper_court_id__in=v))
            .select_related("case", "reporting_court", "other_court", "upper_court", "reported_by", "resolved_by"))


def dispute_for_user(user: User, pk) -> Dispute:
    return get_object_or_404(disputes_visible_to(user), pk=pk)


def delegations_visible_to(user: User) -> QuerySet[Delegation]:
    v = court_ids_visible_to(user)
    return (Delegation.objects.filter(Q(from_court_id__in=v) | Q(to_court_id__in=v) | Q(case__court_id__in=v))
            .select_related("case", "from_court", "to_court", "requested_by", "handler", "accepted_by")
            .prefetch_related(Prefetch("case__parties", queryset=Party.objects.order_by("role", "id"))))


def delegation_for_user(user: User, pk) -> Delegation:
    return get_object_or_404(delegations_visible_to(user), pk=pk)
