"""Browser pages and actions of the credit app. Thin: fetch through selectors, call the same
services as the API, redirect back to the case page's credit section with a Chinese message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cases.models import Party
from cases.selectors import case_for_user
from enforcement.errors import DomainError, NotFound
from enforcement.selectors import courts_visible_to
from enforcement.views import report_refusal

from . import selectors, services, web
from .forms import CorrectionDecideForm, CorrectionForm, SanctionProposeForm, parse_persons
from .models import ListingGround, SanctionKind, SanctionStatus

PAGE_SIZE = 25


def case_section(request, case) -> dict:
    """The context of ``templates/credit/_case_section.html`` for the case page."""
    return web.case_section(request.user, case)


def _back(case_id: int):
    return redirect(reverse("case-detail", args=[case_id]) + "#credit")


def _form_errors(request, form) -> None:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, gettext("%(label)s：%(e)s") % {"label": label, "e": e} if label else e)


@login_required
@require_POST
def sanction_propose(request, case_id: int):
    case = case_for_user(user=request.user, pk=case_id)
    form = SanctionProposeForm(data=request.POST, case=case)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(case.pk)
    d = form.cleaned_data
    party = Party.objects.filter(pk=d["party"], case=case).first()
    if party is None:
        raise Http404(gettext("未找到该当事人。"))
    try:
        s = services.sanction_propose(case=case, party=party, kind=d["kind"], ground=d["ground"],
                                      persons=parse_persons(d["persons"]), note=d["note"],
                                      occurred_at=d["occurred_at"], actor=request.user)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        report_refusal(request, exc)
        return _back(case.pk)
    extra = gettext("，并同时提出限制消费") if s.companions.exists() else ""
    messages.success(
        request,
        gettext("已提出%(value)s：%(name)s%(extra)s。")
        % {"value": s.get_kind_display(), "name": party.name, "extra": extra},
    )
    return _back(case.pk)


@login_required
@require_POST
def correction_receive(request, pk: int):
    s = selectors.sanction_for_user(user=request.user, pk=pk)
    form = CorrectionForm(data=request.POST, sanction_id=s.pk)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(s.case_id)
    try:
        services.correction_receive(
            sanction=s,
            actor=request.user,
            content=form.cleaned_data["content"],
            received_at=form.cleaned_data["received_at"],
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        report_refusal(request, exc)
        return _back(s.case_id)
    messages.success(request, gettext("已登记纠正申请，请在 15 日内审查答复。"))
    return _back(s.case_id)


@login_required
@require_POST
def correction_decide(request, pk: int):
    c = selectors.correction_for_user(user=request.user, pk=pk)
    form = CorrectionDecideForm(data=request.POST, correction_id=c.pk)
    case_id = c.sanction.case_id
    if not form.is_valid():
        _form_errors(request, form)
        return _back(case_id)
    try:
        c = services.correction_decide(
            correction=c, actor=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        report_refusal(request, exc)
        return _back(case_id)
    messages.success(request, gettext("纠正申请已审查：%(value)s。") % {"value": c.get_outcome_display()})
    return _back(case_id)


@login_required
def sanction_list(request):
    """Court-wide list of sanctions in force (default: published), with their grounds."""
    user = request.user
    qs = selectors.sanction_list(user=user)
    status = request.GET.get("status", SanctionStatus.ACTIVE)
    if status not in SanctionStatus.values and status != "all":
        status = SanctionStatus.ACTIVE
    if status != "all":
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in SanctionKind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    ground = request.GET.get("ground", "")
    if ground in ListingGround.values:
        qs = qs.filter(ground=ground)
    else:
        ground = ""
    courts = list(courts_visible_to(user).order_by("path"))
    court = request.GET.get("court", "")
    if court.isascii() and court.isdigit() and int(court) in {c.pk for c in courts}:
        qs = qs.filter(court_id=int(court))
    else:
        court = ""
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(case__number__icontains=q) | Q(party__name__icontains=q))
    page = Paginator(qs.order_by("-published_at", "-proposed_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "credit/sanction_list.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "ground": ground,
            "court": court,
            "q": q,
            "courts": courts,
            "status_choices": [("all", gettext("全部"))] + SanctionStatus.choices,
            "kind_choices": SanctionKind.choices,
            "ground_choices": ListingGround.choices,
            "query_without_page": params.urlencode(),
        },
    )
