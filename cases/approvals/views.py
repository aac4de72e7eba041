"""Browser side of approvals (SPEC §11a): the request a refusal offers in place, the bureau head's
inbox (待审批) with approve / reject and a note, and the case page's section listing the case's
requests and their answers. Every write goes through ``enforcement.approvals.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from enforcement.approvals.services import approval_request, approval_title, may_decide
from enforcement.drf import validate
from enforcement.errors import DomainError, InvalidInput, NotFound
from enforcement.models import ApprovalKind, Role, User

from .. import selectors as case_selectors
from ..models import Case
from ..rules import OVERRIDABLE_LABELS
from . import selectors
from .transitions import RequestParams, registry

PAGE_SIZE = 20


def _first_error(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput) and exc.errors:
        return gettext("；").join(str(m) for msgs in exc.errors.values() for m in msgs)
    return exc.detail


@login_required
@require_POST
def approval_ask(request):
    """The requester asks from the refusal itself; back to the case with the answer as a message."""
    try:
        d = validate(RequestParams, {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v != ""})
    except InvalidInput as exc:
        case_id = request.POST.get("case", "")
        messages.error(request, gettext("未能提交审批申请：%(error)s") % {"error": _first_error(exc)})
        return redirect("case-detail", pk=int(case_id)) if case_id.isdigit() else redirect("approval-inbox")
    case = case_selectors.case_for_user(user=request.user, pk=d["case"], for_detail=False)  # other courts: 404
    try:
        req = approval_request(case=case, actor=request.user, kind=d["kind"], code=d["code"],
                               object_id=d["object"], reason=d["reason"])
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, gettext("未能提交审批申请：%(error)s") % {"error": _first_error(exc)})
        return redirect(f"{reverse('case-detail', args=[case.pk])}#approvals")
    messages.success(request, gettext("已提交执行局长审批：%(title)s。批准后即可办理一次，结果将通知您。")
                     % {"title": approval_title(req)})
    return redirect(f"{reverse('case-detail', args=[case.pk])}#approvals")


def guard_text(req) -> str:
    """The guard that refused the act, in the court's words."""
    if req.kind == ApprovalKind.OVERRIDE:
        return str(OVERRIDABLE_LABELS.get(req.code, ""))
    if req.kind == ApprovalKind.APPRAISAL:
        return str(OVERRIDABLE_LABELS["appraisal_not_approved"])
    return gettext("%(kind)s须经本院执行局长批准") % {"kind": req.get_kind_display()}


def _decorate(reqs, user: User) -> None:
    for r in reqs:
        r.title = approval_title(r)
        r.guard_text = guard_text(r)
        r.can_decide = may_decide(user, r)


@login_required
def approval_inbox(request):
    """A bureau head's pending requests (his court's, oldest first); anyone else's own requests."""
    is_head = request.user.has_role(Role.BUREAU_HEAD)
    page = Paginator(selectors.approval_inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list, request.user)
    return render(request, "approvals/inbox.html", {"page": page, "is_head": is_head})


@login_required
@require_POST
def approval_decide(request, pk: int, name: str):
    req = selectors.approval_for_user(request.user, pk)  # other courts: 404
    spec = registry.get(name)
    if spec is None:
        raise Http404(gettext("没有名为 %(name)s 的操作。") % {"name": name})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    try:
        params = validate(spec.params, {"note": request.POST.get("note", "")})
        spec.run(obj=req, actor=request.user, **params)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, gettext("未能%(label)s：%(error)s") % {"label": spec.label, "error": _first_error(exc)})
        return redirect(back or "approval-inbox")
    messages.success(request, gettext("已%(label)s：%(number)s %(title)s。已通知申请人。")
                     % {"label": spec.label, "number": req.case.number, "title": approval_title(req)})
    return redirect(back or "approval-inbox")


def case_section(user: User, case: Case) -> dict:
    """Context of ``templates/approvals/_case_section.html``: the case's requests and their answers."""
    reqs = list(selectors.case_approvals(case))
    _decorate(reqs, user)
    return {"approvals": reqs}
