"""Browser pages for funds: the finance officer's payment queue, unidentified receipts, and the POST
actions of the case page's funds section. Thin: fetch through selectors, call the same services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cases.selectors import case_for_user, cases_visible_to
from deadlines.models import Deadline
from deadlines.models.deadline import OPEN_Q
from enforcement.errors import DomainError, GuardFailed, InvalidInput, NotFound
from enforcement.models import Role

from . import selectors, services, web
from .forms import AllocateForm, MatchForm, PayeeChangeForm, PayeeDecisionForm, PayForm
from .models import PayeeChange, ReceiptStatus

FINANCE_ROLES = (Role.FINANCE, Role.ADMIN)


def case_section(request, case) -> dict:
    """The context of ``templates/funds/_case_section.html`` for the case page."""
    return web.case_section(request.user, case)


def _require_finance(user) -> None:
    if not user.has_role(*FINANCE_ROLES):
        raise DjangoPermissionDenied(gettext("只有财务人员可以访问该页面。"))


def _show_error(form, exc: DomainError) -> None:
    if isinstance(exc, InvalidInput):
        form.set_errors(exc.errors)
        if not exc.errors:
            form.add_non_field_error(exc.detail)
    elif isinstance(exc, GuardFailed):
        form.set_errors({})
        for v in exc.violations:
            form.add_non_field_error(v.message)
    else:
        form.add_non_field_error(exc.detail)


# --- finance queue ------------------------------------------------------------------------------

def _render_queue(request, *, failed=None, status: int = 200):
    rows = list(selectors.finance_queue(user=request.user))
    due = {
        d.subject_id: d for d in Deadline.objects.filter(
            OPEN_Q, subject_type="disbursement", subject_id__in=[r.pk for r in rows], node="FUNDS_PAY",
        )
    }
    for r in rows:
        r.pay_deadline = due.get(r.pk)
        r.pay_form = failed[1] if failed and failed[0] == r.pk else PayForm(disbursement=r)
    return render(request, "funds/queue.html", {"rows": rows, "now": timezone.now()}, status=status)


@login_required
def finance_queue(request):
    _require_finance(request.user)
    return _render_queue(request)


@login_required
@require_POST
def queue_pay(request, pk: int):
    _require_finance(request.user)
    d = selectors.disbursement_for_user(request.user, pk)
    form = PayForm(request.POST, disbursement=d)
    if not form.is_valid():
        return _render_queue(request, failed=(d.pk, form), status=400)
    try:
        services.disbursement_pay(disbursement=d, actor=request.user, **form.cleaned_data)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_error(form, exc)
        return _render_queue(request, failed=(d.pk, form), status=exc.status)
    messages.success(
        request,
        gettext("已发放 %(number)s 案款 ¥%(amount)s。") % {"number": d.case.number, "amount": f"{d.amount:,.2f}"},
    )
    return redirect("funds-queue")


# --- unidentified receipts ---------------------------------------------------------------------------


def _render_unidentified(request, *, failed=None, status: int = 200):
    rows = list(
        selectors.receipt_list(user=request.user)
        .filter(status=ReceiptStatus.UNIDENTIFIED)
        .order_by("received_at", "id")
    )
    today = timezone.localdate()
    for r in rows:
        r.age_days = (today - timezone.localdate(r.received_at)).days
        r.match_form = failed[1] if failed and failed[0] == r.pk else MatchForm(receipt=r)
    summary = selectors.unidentified_summary(request.user)
    return render(request, "funds/unidentified.html", {"rows": rows, "summary": summary}, status=status)


@login_required
def unidentified_list(request):
    _require_finance(request.user)
    return _render_unidentified(request)


@login_required
@require_POST
def receipt_match(request, pk: int):
    _require_finance(request.user)
    receipt = selectors.receipt_for_user(request.user, pk)
    form = MatchForm(request.POST, receipt=receipt)
    if not form.is_valid():
        return _render_unidentified(request, failed=(receipt.pk, form), status=400)
    try:
        receipt = services.receipt_match(receipt=receipt, actor=request.user, case=form.cleaned_data["case"])
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_error(form, exc)
        return _render_unidentified(request, failed=(receipt.pk, form), status=exc.status)
    messages.success(
        request,
        gettext("已将流水 %(bank_txn_id)s 认领到 %(number)s。")
        % {"bank_txn_id": receipt.bank_txn_id, "number": receipt.case.number if receipt.case else ""},
    )
    return redirect("funds-unidentified")


# --- case page actions --------------------------------------------------------------------------------


def _back_to_case(case_id: int):
    return redirect(f"/cases/{case_id}/#funds")


@login_required
@require_POST
def receipt_allocate(request, pk: int):
    receipt = selectors.receipt_for_user(request.user, pk)
    if receipt.case_id is None:
        raise Http404(gettext("该款项尚未认领。"))
    case = case_for_user(user=request.user, pk=receipt.case_id)
    applicants = [p for p in case.parties.all() if p.role == "applicant"]
    form = AllocateForm(request.POST, receipt=receipt, applicants=applicants)
    if not form.is_valid():
        problems = gettext("；").join(str(m) for e in form.errors.values() for m in e)
        messages.error(request, gettext("分配金额或顺序有误：%(problems)s") % {"problems": problems})
        return _back_to_case(case.pk)
    try:
        services.receipt_allocate(receipt=receipt, actor=request.user, allocations=form.allocations())
    except DomainError as exc:
        detail = gettext("；").join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs) or exc.detail
        messages.error(request, gettext("未能分配：%(detail)s") % {"detail": detail})
        return _back_to_case(case.pk)
    messages.success(request, gettext("案款已按顺序分配给申请执行人。"))
    return _back_to_case(case.pk)


@login_required
@require_POST
def payee_change_request(request, pk: int):
    case = case_for_user(user=request.user, pk=pk, for_detail=False)
    form = PayeeChangeForm(request.POST)
    if not form.is_valid():
        problems = gettext("；").join(str(m) for e in form.errors.values() for m in e)
        messages.error(request, gettext("收款账户变更申请有误：%(problems)s") % {"problems": problems})
        return _back_to_case(case.pk)
    try:
        services.payee_change_request(case=case, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        detail = gettext("；").join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs) or exc.detail
        messages.error(request, gettext("未能提交：%(detail)s") % {"detail": detail})
        return _back_to_case(case.pk)
    messages.success(request, gettext("收款账户变更申请已提交，待执行局长审批。"))
    return _back_to_case(case.pk)


@login_required
@require_POST
def payee_change_decide(request, pk: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404(gettext("未知的审批结果。"))
    change = get_object_or_404(PayeeChange.objects.filter(case__in=cases_visible_to(request.user)), pk=pk)
    form = PayeeDecisionForm(request.POST, prefix=f"decide{change.pk}")
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if decision == "approve":
            services.payee_change_approve(change=change, actor=request.user, note=note)
            messages.success(request, gettext("已批准变更收款账户。"))
        else:
            services.payee_change_reject(change=change, actor=request.user, note=note)
            messages.success(request, gettext("已不予批准该变更申请。"))
    except DomainError as exc:
        detail = gettext("；").join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs) or exc.detail
        messages.error(request, gettext("未能处理：%(detail)s") % {"detail": detail})
    return _back_to_case(change.case_id)
