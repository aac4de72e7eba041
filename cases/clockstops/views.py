"""Browser side of case-limit stops: the section on the case page (the stops with their approver,
start and end; the judge's form to start one, an end form on each open one) and the start action.
The form's fields come from the API's parameters serializer; a refusal re-renders the case page
with the form and every reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from enforcement import resources
from enforcement.drf import validate
from enforcement.errors import DomainError, NotFound
from enforcement.models import User

from .. import selectors as case_selectors
from ..forms import transition_form
from ..models import Case
from ..sections import object_forms
from ..views import _render_case, _show_domain_error, _unprefixed
from . import selectors
from .transitions import START

PREFIX = "clockstop"


def _start_form(case: Case, data=None):
    return transition_form(START, case, data=data, prefix=PREFIX,
                           action_url=reverse("case-clock-stop", args=[case.pk]))


def case_section(user: User, case: Case) -> dict:
    """Context of ``templates/cases/_clock_stop_section.html``."""
    stops = list(selectors.stops_visible_to(user).filter(case=case))
    resource = resources.require("clock-stops")
    for stop in stops:
        stop.forms = object_forms(user, resource, stop, case)
    return {"clock_stops": stops, "clock_stop_form": _start_form(case) if START.available(user, case) else None}


@login_required
@require_POST
def clock_stop_start(request, pk: int):
    case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    form = _start_form(case, data=request.POST)
    try:
        params = validate(START.params, _unprefixed(request.POST, PREFIX))
        stop = START.run(obj=case, actor=request.user, **params)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_domain_error(form, exc, case_id=case.pk)
        form.object_label = gettext("审限扣除（公告送达、请示、执行争议协调）")
        case = case_selectors.case_for_user(user=request.user, pk=pk)
        return _render_case(request, case, failed_object_form=form, status=exc.status)
    messages.success(
        request,
        gettext("已登记审限扣除：%(value)s，执行期限自 %(started_at)s 起暂停计算。")
        % {"value": stop.get_kind_display(), "started_at": f"{stop.started_at:%Y-%m-%d %H:%M}"},
    )
    return redirect(f"{reverse('case-detail', args=[case.pk])}#clock-stops")
