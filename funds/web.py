"""What the case page shows of the case's funds (SPEC §6.3): ``case_section(user, case)`` builds the
context of ``templates/funds/_case_section.html`` — the case account number, ledger balances,
receipts, disbursements with their state, the running clocks' due, and the transitions the user
may fire as forms posting to ``/objects/disbursements/<pk>/transitions/<name>/``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from django import forms
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from cases import lists
from cases.forms import transition_form
from cases.models import Case, CaseStatus, PartyRole
from deadlines.models import Deadline
from deadlines.models.deadline import OPEN_Q
from deadlines.rules_data import NODE_NAMES
from enforcement.models import Role, User

from . import ledger, selectors
from .forms import AllocateForm, PayeeChangeForm, PayeeDecisionForm
from .models import Disbursement, DisbursementStatus, PayeeChangeStatus, Receipt, ReceiptStatus
from .transitions import disbursement_registry

STATUS_BADGES = {
    DisbursementStatus.PENDING: "badge-filed",
    DisbursementStatus.NOTIFIED: "badge-received",
    DisbursementStatus.PAID: "badge-closed",
    DisbursementStatus.HELD: "badge-suspended",
}

BALANCE_LABELS = [("received", _("已到账")), ("unallocated", _("待分配")), ("pending", _("待发出支付通知")),
                  ("notified", _("已通知待发放")), ("held", _("暂缓发放/提存")), ("paid", _("已发放"))]


def open_deadlines(case: Case, *, receipts: list, disbursements: list) -> dict[tuple[str, int], list[Deadline]]:
    """The running clocks of the receipts and disbursements shown, by (subject type, subject id), in one query."""
    out: dict[tuple[str, int], list[Deadline]] = defaultdict(list)
    shown = (Q(subject_type="receipt", subject_id__in=[r.pk for r in receipts])
             | Q(subject_type="disbursement", subject_id__in=[d.pk for d in disbursements]))
    qs = Deadline.objects.filter(OPEN_Q & shown, case_id=case.pk).order_by("due_at")
    for d in qs:
        d.node_name = NODE_NAMES.get(d.node, d.node)
        out[(d.subject_type, d.subject_id)].append(d)
    return out


def disbursement_forms(user: User, d, case: Case) -> list:
    forms_ = []
    for spec in disbursement_registry.available(user, d):
        form = transition_form(spec, case)
        form.auto_id = f"id_disb{d.pk}_%s"  # several disbursements on one page: keep ids unique
        form.action_url = f"/objects/disbursements/{d.pk}/transitions/{spec.name}/"
        if spec.name == "pay":
            form.fields["idempotency_key"].widget = forms.HiddenInput()
            form.initial = {"payee_account_no": case.payee_account_no, "idempotency_key": uuid.uuid4().hex}
        forms_.append(form)
    return forms_


def case_section(user: User, case: Case) -> dict:
    balances = ledger.case_balances(case.pk)
    # The latest of each (SECTION_LIMIT), shown in the order they came; the rest on the full lists.
    receipts, receipts_more = lists.latest(_receipts_newest_first(user, case), case, "receipts")
    receipts.reverse()
    disbursements, disbursements_more = lists.latest(_disbursements_newest_first(user, case), case,
                                                     "disbursements")
    disbursements.reverse()
    clocks = open_deadlines(case, receipts=receipts, disbursements=disbursements)
    allocated: dict[int, Decimal] = defaultdict(Decimal)
    for row in (Disbursement.objects.filter(case_id=case.pk, receipt_id__in=[r.pk for r in receipts])
                .values("receipt_id").annotate(total=Sum("amount")).order_by()):
        allocated[row["receipt_id"]] = row["total"]
    for d in disbursements:
        d.case = case
        d.status_badge = STATUS_BADGES.get(d.status, "")
        d.open_deadlines = clocks.get(("disbursement", d.pk), [])
        d.transition_forms = disbursement_forms(user, d, case)
    is_judge = case.judge_id is not None and case.judge_id == user.pk
    applicants = [p for p in case.parties.all() if p.role == PartyRole.APPLICANT]
    for r in receipts:
        r.open_deadlines = clocks.get(("receipt", r.pk), [])
        r.unallocated = r.amount - allocated[r.pk]
        r.allocate_form = (AllocateForm(receipt=r, applicants=applicants, remaining=r.unallocated)
                           if is_judge and r.unallocated > 0 and case.status != CaseStatus.CLOSED else None)
    changes = list(selectors.case_payee_changes(case=case))
    may_decide = user.has_role(Role.BUREAU_HEAD) and user.court_id == case.court_id
    for c in changes:
        c.decision_form = (PayeeDecisionForm(prefix=f"decide{c.pk}")
                           if may_decide and c.status == PayeeChangeStatus.REQUESTED else None)
    pending_change = any(c.status == PayeeChangeStatus.REQUESTED for c in changes)
    return {
        "case": case,
        "funds_balances": [(label, balances[key]) for key, label in BALANCE_LABELS],
        "funds_unpaid": sum(balances[k] for k in ("unallocated", "pending", "notified", "held")),
        "funds_receipts": receipts,
        "funds_receipts_more": receipts_more,
        "funds_disbursements": disbursements,
        "funds_disbursements_more": disbursements_more,
        "funds_payee_changes": changes,
        "funds_payee_form": PayeeChangeForm() if is_judge and not pending_change else None,
        "funds_unidentified_status": ReceiptStatus.UNIDENTIFIED,
    }


# --- full lists of the case page's funds sections (cases.lists) --------------------------------

def _receipts_newest_first(user: User, case: Case) -> QuerySet[Receipt]:
    return selectors.receipts_visible_to(user).filter(case=case).select_related("matched_by").order_by(
        "-received_at", "-id")


def _disbursements_newest_first(user: User, case: Case) -> QuerySet[Disbursement]:
    return selectors.disbursements_visible_to(user).filter(case=case).select_related(
        "party", "hold_approved_by", "split_from").order_by("-id")


def _decorate_disbursements(rows: list, case: Case) -> None:
    for d in rows:
        d.status_badge = STATUS_BADGES.get(d.status, "")


def case_lists() -> list[lists.CaseList]:
    return [
        lists.CaseList("receipts", _("到账款项"), "funds/lists/_receipts.html", _receipts_newest_first),
        lists.CaseList("disbursements", _("案款发放"), "funds/lists/_disbursements.html", _disbursements_newest_first,
                       _decorate_disbursements),
    ]
