"""Browser actions on objects shown on the case page: the generic transition endpoint for every
registered resource (SPEC §13), network queries, manual feedback and leads. Each calls the same
service as the API; a refusal re-renders the case page with the form and every reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cases.property import selectors as pselectors
from cases.property import services as ps
from cases.property.forms import FeedbackForm, LeadForm, QueryForm
from deadlines import corrections
from deadlines import selectors as deadline_selectors
from enforcement import resources
from enforcement.drf import validate
from enforcement.errors import DomainError, NotFound

from . import selectors
from .forms import CorrectStartForm, transition_form
from .views import _render_case, _show_domain_error, _unprefixed


def _back(case_pk: int, anchor: str):
    return redirect(f"{reverse('case-detail', args=[case_pk])}#{anchor}")


@login_required
@require_POST
def object_transition(request, resource: str, pk: int, name: str):
    res = resources.get(resource)
    if res is None:
        raise Http404(gettext("未知的对象类型。"))
    obj = res.fetch(request.user, pk)  # court-scoped: other courts' objects are 404
    case = res.case_of(obj)
    spec = res.registry.get(name)
    if spec is None:
        raise Http404(gettext("没有名为 %(name)s 的操作。") % {"name": name})
    prefix = f"{resource}-{pk}-{name}"
    if not any(key.startswith(f"{prefix}-") for key in request.POST):
        prefix = name  # a section rendering one form per transition may prefix by the name alone
    form = transition_form(spec, case, data=request.POST, prefix=prefix, action_url=request.path)
    try:
        params = validate(spec.params, _unprefixed(request.POST, prefix))
        spec.run(obj=obj, actor=request.user, **params)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_domain_error(form, exc, case_id=case.pk, object_id=obj.pk if resource == "properties" else None)
        form.object_label = gettext("%(label)s：%(obj)s") % {"label": res.label, "obj": obj}
        case = selectors.case_for_user(user=request.user, pk=case.pk)
        return _render_case(request, case, failed_object_form=form, status=exc.status)
    messages.success(
        request, gettext("已完成操作：%(label)s · %(label2)s。") % {"label": res.label, "label2": spec.label}
    )
    return _back(case.pk, resource)


def _refused(request, case_pk: int, key: str, form, exc: DomainError):
    _show_domain_error(form, exc)
    case = selectors.case_for_user(user=request.user, pk=case_pk)
    return _render_case(request, case, section_forms={key: form}, status=exc.status)


@login_required
@require_POST
def query_create(request, pk: int):
    case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    form = QueryForm(data=request.POST)
    if not form.is_valid():
        return _render_case(
            request, selectors.case_for_user(user=request.user, pk=pk), section_forms={"query_form": form}, status=400
        )
    d = form.cleaned_data
    try:
        ps.query_initiate(
            case=case,
            actor=request.user,
            channels=d["channels"],
            categories=d["categories"],
            occurred_at=d["occurred_at"],
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return _refused(request, pk, "query_form", form, exc)
    messages.success(request, gettext("已发起网络查控。"))
    return _back(pk, "properties")


@login_required
@require_POST
def query_feedback(request, pk: int):
    query = pselectors.query_for_user(user=request.user, pk=pk)
    form = FeedbackForm(data=request.POST, prefix=f"feedback-{pk}")
    failed = {"feedback_forms": {query.pk: form}}
    if not form.is_valid():
        return _render_case(
            request, selectors.case_for_user(user=request.user, pk=query.case_id), section_forms=failed, status=400
        )
    d = form.cleaned_data
    found = [ps.FoundProperty(**row) for row in form.found()]
    try:
        ps.query_feedback(
            query=query, actor=request.user, categories=d["categories"], properties=found, occurred_at=d["occurred_at"]
        )
    except DomainError as exc:
        _show_domain_error(form, exc)
        case = selectors.case_for_user(user=request.user, pk=query.case_id)
        return _render_case(request, case, section_forms=failed, status=exc.status)
    messages.success(request, gettext("已登记查控反馈。"))
    return _back(query.case_id, "properties")


@login_required
@require_POST
def lead_create(request, pk: int):
    case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    form = LeadForm(data=request.POST)
    if not form.is_valid():
        return _render_case(
            request, selectors.case_for_user(user=request.user, pk=pk), section_forms={"lead_form": form}, status=400
        )
    d = form.cleaned_data
    try:
        ps.lead_receive(
            case=case,
            actor=request.user,
            description=d["description"],
            urgent=d["urgent"],
            occurred_at=d["occurred_at"],
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return _refused(request, pk, "lead_form", form, exc)
    messages.success(request, gettext("已登记财产线索。"))
    return _back(pk, "leads")


def _render_explain(request, d, *, correct_form=None, status: int = 200):
    explained = deadline_selectors.deadline_explain(d)
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=d.case_id) if d.case_id else None
    if correct_form is None and d.is_open and corrections.may_correct_start(request.user, d):
        correct_form = CorrectStartForm()
    return render(
        request,
        "cases/deadline_explain.html",
        {"d": d, "x": explained, "case": case, "correct_form": correct_form},
        status=status,
    )


@login_required
def deadline_explain(request, pk: int):
    """The "why this date" page; the bureau head of the court also corrects the start here."""
    return _render_explain(request, deadline_selectors.deadline_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def deadline_correct_start(request, pk: int):
    d = deadline_selectors.deadline_for_user(user=request.user, pk=pk)
    form = CorrectStartForm(request.POST)
    if not form.is_valid():
        return _render_explain(request, d, correct_form=form, status=400)
    try:
        corrections.deadline_correct_start(deadline=d, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        _show_domain_error(form, exc)
        return _render_explain(request, d, correct_form=form, status=exc.status)
    messages.success(request, gettext("起算时间已更正，届满时间已重新计算。"))
    return redirect("deadline-explain", pk=d.pk)
