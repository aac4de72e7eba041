"""What the case page shows beyond the case itself: its deadlines, its property work (queries,
leads, properties) and the sections other modules contribute (funds, credit), each object with the
actions the user may take on it now (SPEC §6, §13 transitions), rendered as forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.property import selectors as pselectors
from cases.property.forms import FeedbackForm, LeadForm, QueryForm
from deadlines import calendar as cal_mod
from deadlines.models import OPEN_Q, Deadline, DeadlineStatus
from deadlines.rules_data import NODE_NAMES
from deadlines.services import due_soon_from, due_soon_working_days
from enforcement.models import Role, User
from enforcement.resources import Resource

from . import lists
from .forms import transition_form
from .models import Case, CaseStatus, Closure, LeadStatus


def object_forms(user: User, resource: Resource, obj: Any, case: Case) -> list:
    """A form per transition ``user`` may fire on ``obj`` now, posting to the generic object endpoint."""
    return [
        transition_form(spec, case, prefix=f"{resource.name}-{obj.pk}-{spec.name}",
                        action_url=reverse("object-transition", args=[resource.name, obj.pk, spec.name]))
        for spec in resource.registry.available(user, obj)
    ]


# --- deadlines ------------------------------------------------------------------------------

LIGHTS = {"green": _("正常"), "yellow": _("即将到期"), "red": _("已超期"), "grey": _("已完成")}
SUBJECT_LABELS = {"property": _("财产"), "lead": _("线索"), "receipt": _("到账款项"), "disbursement": _("案款发放"),
                  "sanction": _("信用惩戒"), "sanction_correction": _("更正申请"), "petition": _("信访"),
                  "complaint": _("当事人投诉"),
                  "supervision_order": _("督办"), "dispute": _("执行争议"), "delegation": _("事项委托")}


def deadline_light(d: Deadline, now, cal, due_soon_days: int) -> str:
    """The one colour rule (issue 17): red once the due has passed — a breach is a fact of time, scanned or
    not, and for ever (SPEC §4), so a node done late stays red —, yellow from the moment the due-soon alert
    is raised (``due_soon_from``), green before, grey when done in time."""
    status = d.status_at(now)
    if status in (DeadlineStatus.MET, DeadlineStatus.CANCELLED):
        return "red" if d.completed_late else "grey"
    if status == DeadlineStatus.BREACHED:
        return "red"
    if status == DeadlineStatus.RUNNING and now >= due_soon_from(d, cal, due_soon_days):
        return "yellow"
    return "green"


def decorate_deadlines(deadlines: list[Deadline], court) -> list[Deadline]:
    now = timezone.now()
    cal = cal_mod.calendar_for(court)
    days = due_soon_working_days(court) if deadlines else 0
    for d in deadlines:
        d.light = deadline_light(d, now, cal, days)
        status = d.status_at(now)
        if status in (DeadlineStatus.MET, DeadlineStatus.CANCELLED):
            d.light_label = gettext("逾期完成") if d.completed_late else d.get_status_display()
        elif status == DeadlineStatus.PAUSED:
            d.light_label = d.get_status_display()
        else:
            d.light_label = str(LIGHTS[d.light])
        d.node_name = NODE_NAMES.get(d.node, d.node)
        d.subject_label = "" if d.subject_type == "case" else (
            f"{SUBJECT_LABELS.get(d.subject_type, d.subject_type)}#{d.subject_id}")
    return deadlines


def deadlines_of(case: Case) -> tuple[list[Deadline], lists.More]:
    """The latest deadlines (running first, soonest due on top) and the link to all of them."""
    rows, more = lists.latest(lists.deadlines_newest_first(case), case, "deadlines")
    return decorate_deadlines(rows, case.court), more


# --- property work --------------------------------------------------------------------------

def property_section(user: User, case: Case) -> dict:
    from enforcement import resources

    prop_res, lead_res = resources.require("properties"), resources.require("leads")
    own = lists.case_lists()
    # The latest properties, shown in the order they were found.
    props, props_more = lists.latest(own["properties"].rows(user, case), case, "properties")
    props.reverse()
    leads, leads_more = lists.latest(own["leads"].rows(user, case), case, "leads")
    queries, queries_more = lists.latest(own["queries"].rows(user, case), case, "queries")
    open_by_subject: dict[tuple[str, int], list[Deadline]] = {}
    subject_deadlines = Deadline.objects.filter(
        OPEN_Q & (Q(subject_type="property", subject_id__in=[p.pk for p in props])
                  | Q(subject_type="lead", subject_id__in=[lead.pk for lead in leads])), case=case)
    for d in decorate_deadlines(list(subject_deadlines.select_related("bound_rule")), case.court):
        open_by_subject.setdefault((d.subject_type, d.subject_id), []).append(d)
    for p in props:
        p.forms = object_forms(user, prop_res, p, case)
        p.open_deadlines = open_by_subject.get(("property", p.pk), [])
    for lead in leads:
        lead.forms = object_forms(user, lead_res, lead, case)
        lead.open_deadlines = open_by_subject.get(("lead", lead.pk), [])
    can_work = case.judge_id == user.pk or (user.has_role(Role.OFFICER) and user.court_id == case.court_id)
    round_review = case.status == CaseStatus.CLOSED and case.closure == Closure.TERMINATED_ROUND
    may_query = can_work and (case.status in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS) or round_review)
    return {
        "properties": props,
        "properties_more": props_more,
        "leads": leads,
        "leads_more": leads_more,
        "queries": queries,
        "queries_more": queries_more,
        "open_leads": pselectors.leads_visible_to(user).filter(
            case=case, status__in=(LeadStatus.RECEIVED, LeadStatus.VERIFYING)).count(),
        "query_form": QueryForm() if may_query else None,
        "feedback_forms": {q.pk: FeedbackForm(prefix=f"feedback-{q.pk}") for q in queries if not q.complete}
        if can_work else {},
        "lead_form": LeadForm() if can_work or user.has_role(Role.FILING_CLERK, Role.BUREAU_CLERK) else None,
    }


def place_failed_form(ctx: dict, failed) -> bool:
    """Put a refused form back where it was offered (same prefix); False if it is not in this section."""
    for obj in [*ctx["properties"], *ctx["leads"]]:
        for i, form in enumerate(obj.forms):
            if form.prefix == failed.prefix:
                obj.forms[i] = failed
                return True
    return False


# --- sections contributed by other modules ---------------------------------------------------

@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    template: str
    context: Callable[[User, Case], dict]


def _optional(module: str, attr: str) -> Callable[[User, Case], dict] | None:
    try:
        return getattr(import_module(module), attr)
    except (ImportError, AttributeError):
        return None


def extra_sections() -> list[Section]:
    """The funds and credit sections, when those modules provide them (``<app>.web.case_section``)."""
    out = []
    for module, anchor, title, template in (
        ("cases.clockstops.views", "clock-stops", gettext("审限扣除"), "cases/_clock_stop_section.html"),
        ("cases.complaints.views", "complaints", gettext("当事人投诉"), "cases/_complaint_section.html"),
        ("cases.parties.views", "party-messages", gettext("当事人告知"), "cases/_party_section.html"),
        ("cases.coordination.views", "coordination", gettext("协作与监督"), "cases/_coordination_section.html"),
        ("cases.approvals.views", "approvals", gettext("执行局长审批"), "approvals/_case_section.html"),
    ):
        fn = _optional(module, "case_section")
        if fn is not None:
            out.append(Section(anchor, title, template, fn))
    for app, title in (("funds", gettext("执行案款")), ("credit", gettext("信用惩戒"))):
        fn = _optional(f"{app}.web", "case_section")
        if fn is not None:
            out.append(Section(app, title, f"{app}/_case_section.html", fn))
    fn = _optional("enforcement.documents.views", "case_section")
    if fn is not None:
        out.append(Section("documents", gettext("法律文书"), "documents/_case_section.html", fn))
    return out
