"""Browser side of the coordination area:

* the case page's section (``case_section``): the case's transfers, supervision orders, disputes
  and delegations, with the forms the user may use now, and ``case_create`` behind those forms;
* ``coordination_list`` (协作事项): what concerns the user's courts — orders to answer or issued,
  disputes to decide or carry out, tasks entrusted to or requested by the court — each with its
  actions; the entrusted court works here, as it never sees the case page;
* ``coordination_action``: one transition of one object, by the same serializer and service as
  the API; a refusal re-renders the page with the form and every reason, in place.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from enforcement.drf import validate
from enforcement.errors import DomainError, NotFound
from enforcement.models import Court, Role, User
from enforcement.text import Text
from enforcement.transitions import Registry

from .. import selectors as case_selectors
from ..forms import transition_form
from ..models import Case, CaseStatus
from ..views import _render_case, _show_domain_error, _unprefixed
from . import forms, selectors
from .models import Delegation, DelegationStatus, Dispute, DisputeStatus, SupervisionOrder, SupervisionStatus
from .services.common import UPPER_ROLES, is_below, user_sees_court
from .transitions import delegation_registry, dispute_registry, order_registry

Coordinated = SupervisionOrder | Dispute | Delegation
RESOURCES: dict[str, tuple[Text, Registry, Callable[[User, int], Coordinated]]] = {
    "supervision-orders": (_("督办"), order_registry, selectors.order_for_user),
    "disputes": (_("执行争议"), dispute_registry, selectors.dispute_for_user),
    "delegations": (_("事项委托"), delegation_registry, selectors.delegation_for_user),
}
LIST_LIMIT = 100


def _object_forms(user: User, resource: str, obj, handlers: dict | None = None) -> list:
    _label, registry, _fetch = RESOURCES[resource]
    out = []
    for spec in registry.available(user, obj):
        form = transition_form(spec, obj.case, prefix=f"{resource}-{obj.pk}-{spec.name}",
                               action_url=reverse("coordination-action", args=[resource, obj.pk, spec.name]))
        if handlers is not None:
            forms.narrow_handler(form, handlers.get(obj.to_court_id, []))
        out.append(form)
    return out


def _offered(user: User, case: Case) -> list:
    """The create forms ``user`` may use on ``case`` now (role, court and state only)."""
    if case.status == CaseStatus.CLOSED or user.court_id is None:
        return []
    specs = []
    upper = user.has_role(*UPPER_ROLES) and user.court is not None and is_below(case.court, user.court)
    if upper:
        specs += [forms.ISSUE, forms.TRANSFER]
    if user.has_role(Role.BUREAU_HEAD) and user.court_id == case.court_id:
        specs.append(forms.DISPUTE)
    if case.judge_id == user.pk:
        specs.append(forms.DELEGATE)
    return specs


def _all_courts() -> list[Court]:
    return list(Court.objects.order_by("path"))


def case_section(user: User, case: Case) -> dict:
    """Context of ``templates/cases/_coordination_section.html``."""
    transfers = list(selectors.transfers_visible_to(user).filter(case=case).order_by("transferred_at", "id"))
    orders = list(selectors.orders_visible_to(user).filter(case=case))
    disputes = list(selectors.disputes_visible_to(user).filter(case=case))
    delegations = list(selectors.delegations_visible_to(user).filter(case=case))
    for o in orders:
        o.forms = _object_forms(user, "supervision-orders", o)
    for d in disputes:
        d.forms = _object_forms(user, "disputes", d)
    handlers = forms.handler_choices({d.to_court_id for d in delegations if d.to_court_id == user.court_id})
    for delegation in delegations:
        delegation.forms = _object_forms(user, "delegations", delegation, handlers)
    specs = _offered(user, case)
    courts = _all_courts() if specs else []
    create_forms = [forms.create_form(s, case, user, courts) for s in specs]
    # The court a case left reads it and may no longer act on it (SPEC §11).
    read_only = bool(transfers) and not user_sees_court(user, case.court)
    return {"transfers": transfers, "orders": orders, "disputes": disputes, "delegations": delegations,
            "coordination_forms": create_forms, "read_only": read_only}


@login_required
@require_POST
def case_create(request, pk: int, what: str):
    spec = forms.CREATES.get(what)
    if spec is None:
        raise Http404(gettext("未知的操作。"))
    case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    form = forms.create_form(spec, case, request.user, _all_courts(), data=request.POST)
    try:
        params = validate(spec.params, _unprefixed(request.POST, spec.name))
        obj = spec.run(obj=case, actor=request.user, **params)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_domain_error(form, exc)
        form.object_label = gettext("协作与监督")
        case = case_selectors.case_for_user(user=request.user, pk=pk)
        return _render_case(request, case, failed_object_form=form, status=exc.status)
    if what == "transfer":
        messages.success(
            request,
            gettext("已%(value)s：本案移送%(name)s，新案号 %(to_number)s（原案号 %(from_number)s）。")
            % {
                "value": obj.get_kind_display(),
                "name": obj.to_court.name,
                "to_number": obj.to_number,
                "from_number": obj.from_number,
            },
        )
    else:
        messages.success(request, gettext("已完成操作：%(label)s。") % {"label": spec.label})
    return redirect(f"{reverse('case-detail', args=[pk])}#coordination")


# --- the list page -------------------------------------------------------------------------------


def _page_context(user: User, failed=None) -> dict:
    orders = list(selectors.orders_visible_to(user).order_by("status", "-issued_at", "-id")[:LIST_LIMIT])
    disputes = list(selectors.disputes_visible_to(user).order_by("-reported_at", "-id")[:LIST_LIMIT])
    delegations = list(selectors.delegations_visible_to(user).order_by("-requested_at", "-id")[:LIST_LIMIT])
    handlers = forms.handler_choices(
        {
            d.to_court_id
            for d in delegations
            if d.status == DelegationStatus.REQUESTED and d.to_court_id == user.court_id
        }
    )
    for o in orders:
        o.forms = _object_forms(user, "supervision-orders", o)
    for d in disputes:
        d.forms = _object_forms(user, "disputes", d)
    for delegation in delegations:
        delegation.forms = _object_forms(user, "delegations", delegation, handlers)
        delegation.incoming = delegation.to_court_id == user.court_id
    if failed is not None:
        objs: list[Coordinated] = [*orders, *disputes, *delegations]
        for obj in objs:
            obj.forms = [failed if f.prefix == failed.prefix else f for f in obj.forms]
    return {
        "orders": orders,
        "disputes": disputes,
        "delegations": delegations,
        "open_orders": sum(o.status == SupervisionStatus.ISSUED for o in orders),
        "open_disputes": sum(d.is_open for d in disputes),
        "open_delegations": sum(d.is_open for d in delegations),
        "dispute_statuses": DisputeStatus,
    }


@login_required
@require_GET
def coordination_list(request):
    return render(request, "cases/coordination.html", _page_context(request.user))


@login_required
@require_POST
def coordination_action(request, resource: str, pk: int, name: str):
    if resource not in RESOURCES:
        raise Http404(gettext("未知的对象类型。"))
    label, registry, fetch = RESOURCES[resource]
    obj = fetch(request.user, pk)  # court-scoped: other courts' objects are 404
    spec = registry.get(name)
    if spec is None:
        raise Http404(gettext("没有名为 %(name)s 的操作。") % {"name": name})
    prefix = f"{resource}-{pk}-{name}"
    form = transition_form(spec, obj.case, data=request.POST, prefix=prefix, action_url=request.path)
    if isinstance(obj, Delegation):
        forms.narrow_handler(form, forms.handler_choices({obj.to_court_id})[obj.to_court_id])
    try:
        params = validate(spec.params, _unprefixed(request.POST, prefix))
        spec.run(obj=obj, actor=request.user, **params)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_domain_error(form, exc)
        return render(request, "cases/coordination.html", _page_context(request.user, failed=form), status=exc.status)
    messages.success(request, gettext("已完成操作：%(label)s · %(label2)s。") % {"label": label, "label2": spec.label})
    return redirect(f"{reverse('coordination')}#{resource}-{pk}")
