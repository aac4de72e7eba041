"""The home page: each role lands where its day's work is (issue: the judges' workbench).

Judges get their open cases with the next deadline of each as a traffic light and a "today" list of
deadlines due within 3 working days; officers the open work items of their court; filing clerks the
filing form; finance the payment queue; supervisors the alert dashboard.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from deadlines import calendar as cal_mod
from deadlines.models import Deadline, DeadlineStatus
from deadlines.rules_data import NODE_NAMES
from enforcement.models import Role

from . import selectors
from .models import CaseStatus, Track
from .sections import decorate_deadlines

TODAY_WORKING_DAYS = 3
SORTS = {"due": ("next_due", "id"), "filed": ("-filed_at", "-id"), "number": ("number",)}


def _first_url(*names: str) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def horizon(court) -> datetime:
    """End of the 3rd working day from today: the "today" list's reach."""
    cal = cal_mod.calendar_for(court)
    day = cal.add_working_days(timezone.localdate(), TODAY_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@login_required
def workbench(request):
    user = request.user
    if user.has_role(Role.POST_JUDGE, Role.OFFICER):
        return _judge_or_officer(request)
    if user.has_role(Role.FILING_CLERK):
        return redirect("case-file")
    targets = []
    if user.has_role(Role.FINANCE):
        targets.append("funds-queue")
    if user.has_role(Role.SUPERVISOR, Role.BUREAU_HEAD):
        targets.append("dashboard")
    url = _first_url(*targets) if targets else None
    return redirect(url or "case-list")


def _judge_or_officer(request):
    user = request.user
    is_judge = user.has_role(Role.POST_JUDGE)
    now = timezone.now()
    until = horizon(user.court)
    # The next clock that is running (a suspended case's clocks are paused and show no light).
    open_deadlines = Deadline.objects.filter(
        case=OuterRef("pk"), status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED], completed_at__isnull=True
    ).order_by("due_at", "id")
    qs = selectors.case_list(user=user).exclude(status=CaseStatus.CLOSED)
    qs = qs.filter(judge=user) if is_judge else qs.filter(court_id=user.court_id)
    qs = qs.annotate(
        next_due=Subquery(open_deadlines.values("due_at")[:1]),
        next_node=Subquery(open_deadlines.values("node")[:1]),
        next_id=Subquery(open_deadlines.values("id")[:1]),
    )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    track = request.GET.get("track", "")
    if track in Track.values:
        qs = qs.filter(track=track)
    else:
        track = ""
    node = request.GET.get("node", "")
    if node in NODE_NAMES:
        qs = qs.filter(next_node=node)
    else:
        node = ""
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        qs = qs.filter(next_due__lt=now)
    sort = request.GET.get("sort", "due")
    if sort not in SORTS:
        sort = "due"
    page = Paginator(qs.order_by(*SORTS[sort]), 25).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.claim_display = f"{case.claim_amount:,.2f}"
        case.next_node_name = NODE_NAMES.get(case.next_node, case.next_node or "")
        if case.next_due is None:
            case.light = "grey"
        elif case.next_due < now:
            case.light = "red"
        elif case.next_due <= until:
            case.light = "yellow"
        else:
            case.light = "green"
        parties = list(case.parties.all())
        case.applicant_names = "、".join(p.name for p in parties if p.role == "applicant")
        case.respondent_names = "、".join(p.name for p in parties if p.role == "respondent")
    # "Today": deadlines of my cases (or, for officers, my court's property and lead work) due within
    # 3 working days, overdue ones first.
    today = Deadline.objects.filter(status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED], due_at__lte=until,
                                    completed_at__isnull=True)
    if is_judge:
        today = today.filter(Q(responsible=user) | Q(case__judge=user))
    else:
        today = today.filter(court_id=user.court_id, subject_type__in=["property", "lead", "case"])
    today = decorate_deadlines(list(today.select_related("case", "bound_rule").order_by("due_at", "id")[:50]),
                               user.court)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "cases/workbench.html", {
        "page": page, "today": today, "is_judge": is_judge, "status": status, "track": track, "node": node,
        "overdue": overdue, "sort": sort, "status_choices": [c for c in CaseStatus.choices if c[0] != "closed"],
        "track_choices": Track.choices, "node_choices": sorted(NODE_NAMES.items()),
        "query_without_page": params.urlencode(), "horizon": until,
    })
