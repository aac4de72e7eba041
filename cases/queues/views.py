"""The bureau's queue page and the judge's batch accept. Thin: the same services as the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from enforcement.errors import DomainError
from enforcement.models import Role, User

from .. import services
from ..selectors import case_for_user
from . import selectors
from .services import cases_accept

PAGE_SIZE = 25
BUREAU_ROLES = (Role.BUREAU_CLERK, Role.BUREAU_HEAD)


def _require_bureau(user: User) -> None:
    if not user.has_role(*BUREAU_ROLES):
        raise PermissionDenied(gettext("只有执行局内勤或执行局长可以办理收案、分案。"))


def _names(case) -> None:
    parties = list(case.parties.all())  # prefetched
    case.applicant_names = gettext("、").join(p.name for p in parties if p.role == "applicant")
    case.respondent_names = gettext("、").join(p.name for p in parties if p.role == "respondent")


@login_required
def bureau_queue(request):
    """待收案 and 待分案 of the user's court, each paged, with every judge's open caseload."""
    user = request.user
    _require_bureau(user)
    receive = Paginator(selectors.to_receive(user=user), PAGE_SIZE).get_page(request.GET.get("receive_page"))
    assign = Paginator(selectors.to_assign(user=user), PAGE_SIZE).get_page(request.GET.get("assign_page"))
    for case in [*receive.object_list, *assign.object_list]:
        _names(case)
    return render(request, "cases/bureau_queue.html", {
        "receive": receive, "assign": assign, "judges": list(selectors.judges_with_caseload(user.court_id)),
    })


@login_required
@require_POST
def bureau_receive(request, pk: int):
    _require_bureau(request.user)
    case = case_for_user(user=request.user, pk=pk, for_detail=False)
    try:
        services.case_receive(case=case, actor=request.user)
    except DomainError as exc:
        messages.error(request, gettext("%(number)s：%(detail)s") % {"number": case.number, "detail": exc.detail})
    else:
        messages.success(request, gettext("%(number)s 已收案，请指定承办法官。") % {"number": case.number})
    return redirect(reverse("bureau-queue") + "#to-assign")


@login_required
@require_POST
def bureau_assign(request, pk: int):
    _require_bureau(request.user)
    case = case_for_user(user=request.user, pk=pk, for_detail=False)
    judge = next((j for j in selectors.judges_with_caseload(case.court_id)
                  if str(j.pk) == request.POST.get("judge", "")), None)
    if judge is None:
        messages.error(request, gettext("%(number)s：请选择本院在职员额法官。") % {"number": case.number})
        return redirect(reverse("bureau-queue") + "#to-assign")
    try:
        services.case_assign(case=case, actor=request.user, judge=judge)
    except DomainError as exc:
        messages.error(request, gettext("%(number)s：%(detail)s") % {"number": case.number, "detail": exc.detail})
    else:
        messages.success(
            request,
            gettext("%(number)s 已分案给%(display_name)s。")
            % {"number": case.number, "display_name": judge.display_name},
        )
    return redirect(reverse("bureau-queue") + "#to-assign")


@login_required
@require_POST
def batch_accept(request):
    """Accept the ticked cases (the workbench's 待接收 list); all or none."""
    ids = [v for v in request.POST.getlist("cases") if v.isdigit()]
    try:
        accepted = cases_accept(case_ids=ids, actor=request.user)
    except DomainError as exc:
        detail = (
            gettext("；").join(m for msgs in exc.errors.values() for m in msgs)
            if getattr(exc, "errors", None)
            else (exc.detail)
        )
        messages.error(request, gettext("未接收任何案件：%(detail)s") % {"detail": detail})
    else:
        numbers = gettext("、").join(c.number for c in accepted)
        messages.success(
            request, gettext("已接收 %(n)s 件案件：%(numbers)s。") % {"n": len(accepted), "numbers": numbers}
        )
    return redirect("home")
