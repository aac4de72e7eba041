"""Browser forms of the coordination area. Their fields are generated from the API's parameter
serializers (``cases.forms.transition_form``), so the browser offers exactly what the API takes;
only the court and person pickers are narrowed here to the choices that make sense for the user."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.models import Court, Role, User
from enforcement.transitions import TransitionSpec

from .. import forms as case_forms
from ..models import Case
from . import services, transitions
from .services.common import is_below

ISSUE = TransitionSpec("supervise", _("督办"), transitions.IssueOrderParams, lambda u, c: True,
                       lambda *, obj, actor, **p: services.supervision_order_issue(case=obj, actor=actor, **p))
TRANSFER = TransitionSpec("transfer", _("提级执行 / 指令执行"), transitions.TransferParams, lambda u, c: True,
                          lambda *, obj, actor, **p: services.case_transfer(case=obj, actor=actor, **p),
                          style="secondary")
DISPUTE = TransitionSpec("dispute", _("报请协调执行争议"), transitions.DisputeParams, lambda u, c: True,
                         lambda *, obj, actor, **p: services.dispute_report(case=obj, actor=actor, **p),
                         style="secondary")
DELEGATE = TransitionSpec("delegate", _("委托其他法院办理事项"), transitions.DelegationParams, lambda u, c: True,
                          lambda *, obj, actor, **p: services.delegation_request(case=obj, actor=actor, **p),
                          style="secondary")
CREATES = {s.name: s for s in (ISSUE, TRANSFER, DISPUTE, DELEGATE)}


def _court_choices(courts, *, blank: bool) -> list[tuple[str, str]]:
    return ([("", gettext("（请选择）"))] if blank else []) + [(str(c.pk), c.name) for c in courts]


def create_form(spec: TransitionSpec, case: Case, user: User, courts: list[Court], data=None):
    """One of the four forms on the case page; ``courts`` is every court, in tree order (one query)."""
    form = case_forms.transition_form(spec, case, data=data, prefix=spec.name,
                                      action_url=reverse("case-coordination", args=[case.pk, spec.name]))
    if spec is TRANSFER:
        below = [c for c in courts if user.court is not None and is_below(c, user.court) and c.pk != case.court_id]
        form.fields["to_court"] = forms.ChoiceField(
            label=gettext("接收法院"), required=False, choices=_court_choices(below, blank=True),
            help_text=gettext("指令执行时选择；提级执行由本院执行，不必选择"))
    elif spec is DISPUTE:
        others = [c for c in courts if c.pk != case.court_id]
        form.fields["other_court"] = forms.ChoiceField(label=gettext("对方法院"), required=False,
                                                       choices=_court_choices(others, blank=True),
                                                       help_text=gettext("法院之间的争议时选择"))
    elif spec is DELEGATE:
        others = [c for c in courts if c.pk != case.court_id]
        form.fields["to_court"] = forms.ChoiceField(
            label=gettext("受托法院"), choices=_court_choices(others, blank=True)
        )
    return form


def handler_choices(court_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    """The post judges and officers of each entrusted court, for the accept forms (one query)."""
    out: dict[int, list[tuple[str, str]]] = {cid: [("", gettext("（请选择）"))] for cid in court_ids}
    users = (
        User.objects.filter(court_id__in=court_ids, is_active=True, role_rows__role__in=[Role.POST_JUDGE, Role.OFFICER])
        .distinct()
        .order_by("username")
    )
    for u in users:
        assert u.court_id is not None  # filtered by court above
        out[u.court_id].append((str(u.pk), u.display_name))
    return out


def narrow_handler(form, choices: list[tuple[str, str]]) -> None:
    if "handler" in form.fields:
        form.fields["handler"] = forms.ChoiceField(label=gettext("承办人"), choices=choices)
