"""Reads of case funds, always through the court scope (SPEC §1: other courts' money is 404)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Case
from enforcement.models import User
from enforcement.selectors import court_ids_visible_to

from . import ledger
from .models import ZERO, Disbursement, DisbursementStatus, PayeeChange, Receipt, ReceiptStatus


def receipts_visible_to(user: User) -> QuerySet[Receipt]:
    return Receipt.objects.filter(court_id__in=court_ids_visible_to(user))


def receipt_list(*, user: User) -> QuerySet[Receipt]:
    return receipts_visible_to(user).select_related("court", "case", "matched_by")


def receipt_for_user(user: User, pk: int | str) -> Receipt:
    """A receipt the user may see, or 404 (used by the property module to link a realized sale)."""
    return get_object_or_404(receipt_list(user=user), pk=pk)


def receipt_of_case(*, case: Case, pk: int | str) -> Receipt | None:
    """The receipt ``pk`` if it was credited to ``case``'s account, else None."""
    try:
        return Receipt.objects.filter(case_id=case.pk, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def disbursements_visible_to(user: User) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(case__court_id__in=court_ids_visible_to(user))


def disbursement_list(*, user: User) -> QuerySet[Disbursement]:
    return disbursements_visible_to(user).select_related(
        "case", "case__court", "case__judge", "receipt", "party", "hold_approved_by", "notified_by", "paid_by",
    )


def disbursement_for_user(user: User, pk: int | str) -> Disbursement:
    return get_object_or_404(disbursement_list(user=user), pk=pk)


def case_ledger(*, case: Case) -> dict[str, Decimal]:
    return ledger.case_balances(case.pk)


def case_paid_total(case: Case) -> Decimal:
    """Money paid out to the creditors of ``case`` (reduces the outstanding claim)."""
    return ledger.case_balances(case.pk)["paid"]


@dataclass(frozen=True)
class UnidentifiedSummary:
    count: int
    total: Decimal
    oldest_age_days: int | None


def unidentified_summary(user: User) -> UnidentifiedSummary:
    """Unidentified money in the user's courts and how long the oldest has waited (SPEC §6.3, §8)."""
    agg = receipts_visible_to(user).filter(status=ReceiptStatus.UNIDENTIFIED).aggregate(
        n=Count("id"), total=Sum("amount"), oldest=Min("received_at"),
    )
    oldest = agg["oldest"]
    age = (timezone.localdate() - timezone.localdate(oldest)).days if oldest else None
    return UnidentifiedSummary(agg["n"], agg["total"] or ZERO, age)


def finance_queue(*, user: User) -> QuerySet[Disbursement]:
    """Payment notices waiting for finance: oldest notice first, priority cases ahead of the rest."""
    return (
        disbursement_list(user=user)
        .filter(status=DisbursementStatus.NOTIFIED)
        .order_by("-case__priority_party", "-party__protected", "notified_at", "id")
    )


def case_receipts(*, case: Case) -> QuerySet[Receipt]:
    return Receipt.objects.filter(case=case).select_related("matched_by").order_by("received_at", "id")


def case_disbursements(*, case: Case) -> QuerySet[Disbursement]:
    return (
        Disbursement.objects.filter(case=case)
        .select_related("case", "case__judge", "receipt", "party", "hold_approved_by", "split_from")
        .order_by("sequence", "id")
    )


def case_payee_changes(*, case: Case) -> QuerySet[PayeeChange]:
    return PayeeChange.objects.filter(case=case).select_related("requested_by", "decided_by")
