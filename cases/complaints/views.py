"""Browser side of complaints: the section on the case page (each complaint with its reply clock and
the answer / refer forms the user may use now, and the intake form) and the intake action. The
forms' fields come from the API's parameter serializers; a refusal re-renders the case page with the
form and its reasons."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enforcement import resources
from enforcement.drf import validate
from enforcement.errors import DomainError, InvalidInput, NotFound
from enforcement.models import User
from enforcement.transitions import TransitionSpec

from .. import selectors as case_selectors
from ..forms import transition_form
from ..models import Case
from ..sections import object_forms
from ..views import _render_case, _show_domain_error, _unprefixed
from . import selectors, services
from .transitions import ReceiveParams

PREFIX = "complaint"

RECEIVE = TransitionSpec(
    "receive", _("登记投诉"), ReceiveParams,
    lambda u, c: u.court_id == c.court_id and u.has_role(*services.INTAKE_ROLES),
    lambda *, obj, actor, party, **p: services.complaint_receive(case=obj, actor=actor, party=party, **p),
    style="secondary",
)


def _receive_form(case: Case, data=None):
    form = transition_form(RECEIVE, case, data=data, prefix=PREFIX,
                           action_url=reverse("case-complaint", args=[case.pk]))
    form.fields["party"] = forms.TypedChoiceField(
        label=gettext("投诉人"),
        coerce=int,
        choices=[("", gettext("（请选择）"))]
        + [(p.pk, f"{p.get_role_display()} {p.name}") for p in case.parties.all()],
    )
    return form


def case_section(user: User, case: Case) -> dict:
    """Context of ``templates/cases/_complaint_section.html``."""
    complaints = list(selectors.complaints_visible_to(user).filter(case=case).order_by("received_at", "id"))
    due = selectors.reply_due(complaints)
    resource = resources.require("complaints")
    for c in complaints:
        c.reply_due = due.get(c.pk)
        c.forms = object_forms(user, resource, c, case)
    return {"complaints": complaints, "complaint_form": _receive_form(case) if RECEIVE.available(user, case) else None}


@login_required
@require_POST
def complaint_receive(request, pk: int):
    case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    form = _receive_form(case, data=request.POST)
    try:
        params = validate(RECEIVE.params, _unprefixed(request.POST, PREFIX))
        party = case.parties.filter(pk=params.pop("party")).first()
        if party is None:
            raise InvalidInput({"party": [gettext("投诉人须为本案当事人。")]})
        RECEIVE.run(obj=case, actor=request.user, party=party, **params)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        _show_domain_error(form, exc)
        form.object_label = gettext("当事人投诉")
        case = case_selectors.case_for_user(user=request.user, pk=pk)
        return _render_case(request, case, failed_object_form=form, status=exc.status)
    messages.success(request, gettext("已登记投诉，承办法官应在 3 日内答复。"))
    return redirect(f"{reverse('case-detail', args=[case.pk])}#complaints")
