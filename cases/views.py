"""Browser pages for cases. Thin: fetch through selectors, validate, call the same services as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from enforcement import privacy
from enforcement.audit import events
from enforcement.audit.events import label_events
from enforcement.drf import validate
from enforcement.errors import DomainError, GuardFailed, InvalidInput, NotFound
from enforcement.models import Role

from . import lists, ports, sections, selectors, services
from .approvals.offers import approval_offer
from .forms import CaseFilingForm, MilestoneForm, party_formset, transition_form
from .models import Case, CaseStatus, PartyRole
from .queues.hints import next_step
from .transitions import registry

PAGE_SIZE = 25

STATUS_BADGES = {
    CaseStatus.FILED: "badge-filed",
    CaseStatus.RECEIVED: "badge-received",
    CaseStatus.IN_PROGRESS: "badge-progress",
    CaseStatus.SUSPENDED: "badge-suspended",
    CaseStatus.CLOSED: "badge-closed",
}


def _decorate(case) -> None:
    """Attach what the templates show: parties by role, the status badge, the amount in yuan."""
    parties = list(case.parties.all())  # prefetched by the selector
    case.applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
    case.respondents = [p for p in parties if p.role == PartyRole.RESPONDENT]
    case.third_parties = [p for p in parties if p.role == PartyRole.THIRD_PARTY]
    case.status_badge = STATUS_BADGES.get(case.status, "")
    case.claim_display = f"{case.claim_amount:,.2f}"


# --- list -------------------------------------------------------------------------------------


@login_required
def case_list(request):
    user = request.user
    qs = selectors.case_list(user=user)
    is_judge = user.has_role(Role.POST_JUDGE)
    scope = request.GET.get("scope", "mine" if is_judge else "all")
    if scope not in ("mine", "all") or not is_judge:
        scope = "all"
    if scope == "mine":
        qs = qs.filter(judge=user)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    q = request.GET.get("q", "").strip()
    if q:
        # A transferred case is found by its old number too (SPEC §11).
        qs = qs.filter(Q(number__icontains=q) | Q(parties__name__icontains=q)
                       | Q(transfers__from_number__icontains=q)).distinct()
    page = Paginator(qs.order_by("-filed_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        _decorate(case)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "scope": scope,
            "is_judge": is_judge,
            "status": status,
            "q": q,
            "status_choices": CaseStatus.choices,
            "query_without_page": params.urlencode(),
            "can_file": user.has_role(Role.FILING_CLERK, Role.ADMIN),
        },
    )


# --- detail and actions -------------------------------------------------------------------------


# Routine clock bookkeeping is shown in the deadlines table, not the timeline; changes a person made
# to a clock (a corrected start, a recomputation) stay in it.
TIMELINE_HIDDEN = (events.DEADLINE_START, events.DEADLINE_MEET, events.DEADLINE_CANCEL, events.DEADLINE_RETIME,
                   events.DEADLINE_PAUSE, events.DEADLINE_RESUME)


def decorate_events(events: list) -> list:
    label_events(events)
    for ev in events:
        occurred = timezone.localtime(ev.occurred_at).strftime("%Y-%m-%d %H:%M")
        recorded = timezone.localtime(ev.recorded_at).strftime("%Y-%m-%d %H:%M")
        ev.recorded_differs = occurred != recorded
    return events


def _timeline(case) -> tuple[list, lists.More]:
    """The latest events, shown oldest first like the full record reads."""
    rows, more = lists.latest(lists.timeline_newest_first(case), case, "timeline")
    return decorate_events(rows[::-1]), more


def _milestone_allowed(user, case) -> bool:
    if case.status not in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS):
        return False
    return case.judge_id == user.pk or user.has_role(Role.OFFICER)


def _render_case(
    request, case, *, failed_form=None, milestone_form=None, status: int = 200,
    failed_object_form=None, section_forms: dict | None = None,
) -> HttpResponse:
    _decorate(case)
    # SPEC §10: the case's own detail shows full ID and phone numbers — to its own court's users only.
    full = privacy.sees_full(request.user, case.court_id)
    case.party_rows = list(case.parties.all())
    for p in case.party_rows:
        p.shown_id_number = privacy.shown_id_number(p.id_number, full=full)
        p.shown_phone = privacy.shown_phone(p.phone, full=full)
    forms = []
    failed_name = failed_form.spec.name if failed_form is not None else None
    for spec in registry.available(request.user, case):
        forms.append(failed_form if spec.name == failed_name else transition_form(spec, case))
    if failed_form is not None and failed_name not in {f.spec.name for f in forms if f.spec is not None}:
        # Not offered to this user (e.g. someone else's case) but tried: show why it was refused.
        forms.insert(0, failed_form)
    balances = ports.money.balances(case.pk)
    case.received_display = f"{balances['received']:,.2f}"
    case.paid_display = f"{balances['paid']:,.2f}"
    property_ctx = {**sections.property_section(request.user, case), **(section_forms or {})}
    # A refused action on a property or lead is shown in place, open, with every reason; one on an
    # object of another module's section (funds, credit) at the top of the actions column.
    if failed_object_form is not None and sections.place_failed_form(property_ctx, failed_object_form):
        failed_object_form = None
    events, events_more = _timeline(case)
    deadlines, deadlines_more = sections.deadlines_of(case)
    show_milestone = _milestone_allowed(request.user, case) or milestone_form is not None
    context = {
        "case": case,
        "events": events,
        "events_more": events_more,
        "transition_forms": forms,
        "milestone_form": milestone_form
        or (MilestoneForm(judge_decides=case.judge_id == request.user.pk) if show_milestone else None),
        "failed_object_form": failed_object_form,
        "next_step": next_step(case, request.user),
        "deadlines": deadlines,
        "deadlines_more": deadlines_more,
        "property": property_ctx,
        # Sections of other modules render their own template with their own context (funds, credit).
        "extra_sections": [
            render_to_string(sec.template, {**sec.context(request.user, case), "case": case}, request=request)
            for sec in sections.extra_sections()
        ],
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk: int):
    case = selectors.case_for_user(user=request.user, pk=pk)
    return _render_case(request, case)


@login_required
def case_section_list(request, pk: int, name: str):
    """All the rows of one section of the case page, paged (the case page shows the latest)."""
    case = selectors.case_for_user(user=request.user, pk=pk)
    lst = lists.case_lists().get(name)
    if lst is None:
        raise Http404("没有这一栏目。")
    page = Paginator(lst.rows(request.user, case), lists.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if lst.decorate is not None:
        lst.decorate(rows, case)
    return render(request, "cases/case_section_list.html",
                  {"case": case, "list": lst, "page": page, "rows": rows})


def _show_domain_error(form, exc: DomainError, *, case_id: int | None = None, object_id: int | None = None) -> None:
    if isinstance(exc, InvalidInput):
        form.set_errors(exc.errors)
        if not exc.errors:
            form.add_non_field_error(exc.detail)
    elif isinstance(exc, GuardFailed):
        form.violations = exc.violations
        # SPEC §11a: nothing that needs an approval is a dead end — the refusal offers the request.
        form.approval_offer = approval_offer(exc, case_id=case_id, object_id=object_id)
        if form._errors is None:
            form.set_errors({})
    else:  # 403 / 409 and any other refusal: one message on the form
        form.add_non_field_error(exc.detail)


@login_required
@require_POST
def case_transition(request, pk: int, name: str):
    case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    spec = registry.get(name)
    if spec is None:
        raise Http404(gettext("没有名为 %(name)s 的操作。") % {"name": name})
    form = transition_form(spec, case, data=request.POST)
    try:
        params = validate(spec.params, _unprefixed(request.POST, spec.name))
        result = spec.run(obj=case, actor=request.user, **params)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_domain_error(form, exc, case_id=case.pk)
        case = selectors.case_for_user(user=request.user, pk=pk)
        return _render_case(request, case, failed_form=form, status=exc.status)
    if isinstance(result, Case) and result.pk != case.pk:
        # Restoration files a new linked case (SPEC §6.1): continue on the new case.
        messages.success(
            request,
            gettext("已完成操作：%(label)s，新案号 %(number)s。") % {"label": spec.label, "number": result.number},
        )
        return redirect("case-detail", pk=result.pk)
    messages.success(request, gettext("已完成操作：%(label)s。") % {"label": spec.label})
    return redirect("case-detail", pk=pk)


def _unprefixed(data, prefix: str):
    """The POST of a prefixed form as the serializer expects it (``accept-occurred_at`` → ``occurred_at``)."""
    out = data.copy()
    for key in list(out.keys()):
        if key.startswith(f"{prefix}-"):
            out.setlist(key.removeprefix(f"{prefix}-"), data.getlist(key))
            del out[key]
    return out


@login_required
@require_POST
def case_milestone(request, pk: int):
    case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    form = MilestoneForm(data=request.POST, judge_decides=case.judge_id == request.user.pk)
    if not form.is_valid():
        return _render_case(request, selectors.case_for_user(user=request.user, pk=pk), milestone_form=form, status=400)
    d = form.cleaned_data
    try:
        m = services.case_record_milestone(
            case=case, actor=request.user, kind=d["kind"], occurred_at=d["occurred_at"], note=d["note"]
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_domain_error(form, exc)
        case = selectors.case_for_user(user=request.user, pk=pk)
        return _render_case(request, case, milestone_form=form, status=exc.status)
    messages.success(request, gettext("已记录节点：%(value)s。") % {"value": m.get_kind_display()})
    return redirect("case-detail", pk=pk)


# --- filing (立案) --------------------------------------------------------------------------------


@login_required
def case_file(request):
    if not request.user.has_role(Role.FILING_CLERK, Role.ADMIN):
        raise DjangoPermissionDenied(gettext("只有立案庭工作人员可以立案。"))
    status = 200
    if request.method == "POST":
        form = CaseFilingForm(data=request.POST)
        parties = party_formset(data=request.POST)
        if form.is_valid() and parties.is_valid():
            d = form.cleaned_data
            data = services.FilingData(
                basis=d["basis"],
                basis_kind=d["basis_kind"],
                cause=d["cause"],
                basis_issuer=d["basis_issuer"],
                basis_effective_on=d["basis_effective_on"],
                claim_amount=d["claim_amount"],
                parties=[services.PartyData(**p) for p in parties.cleaned_data],
                payee_account=services.PayeeAccount(
                    bank=d["payee_bank"], account_no=d["payee_account_no"], holder=d["payee_holder"]
                ),
                flags=services.CaseFlags(
                    livelihood=d["livelihood"],
                    four_kinds=d["four_kinds"],
                    priority_party=d["priority_party"],
                    government_organ_debtor=d["government_organ_debtor"],
                ),
            )
            try:
                case = services.case_file(actor=request.user, data=data)
            except DomainError as exc:
                errors = getattr(exc, "errors", {})
                party_errors = errors.pop("parties", None) if isinstance(errors, dict) else None
                if party_errors:
                    parties._non_form_errors = parties.error_class(party_errors)
                if errors:
                    form.set_errors(errors)
                elif not party_errors:
                    form.add_non_field_error(exc.detail)
                status = exc.status
            else:
                messages.success(
                    request,
                    gettext("立案成功，案号 %(number)s，案款账号 %(account_no)s。")
                    % {"number": case.number, "account_no": case.account_no},
                )
                return redirect(reverse("case-detail", args=[case.pk]))
        else:
            status = 400
    else:
        form = CaseFilingForm()
        parties = party_formset()
    return render(
        request, "cases/case_file.html", {"form": form, "parties": parties, "court": request.user.court}, status=status
    )
