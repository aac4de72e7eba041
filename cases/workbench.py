"""The home page: each role lands where its day's work is (issue: the judges' workbench).

Judges get their open cases with the next deadline of each as a traffic light and a "today" list of
deadlines overdue or due soon (one rule: the court's ``due_soon_working_days``, 3 by default);
officers the open work items of their court; filing clerks the
filing form; finance the payment queue; supervisors the alert dashboard.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from deadlines import calendar as cal_mod
from deadlines.models import Deadline, DeadlineStatus
from deadlines.rules_data import NODE_NAMES
from deadlines.services import due_soon_working_days
from enforcement.models import Role

from . import selectors
from .models import CaseStatus, Track
from .queues import selectors as queues
from .queues.hints import next_step
from .sections import decorate_deadlines

SORTS = {"due": ("next_due", "id"), "filed": ("-filed_at", "-id"), "number": ("number",)}


def _first_url(*names: str) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def horizon(court, days: int) -> datetime:
    """End of the ``days``-th working day from today: the "today" list's reach (the same moment a
    deadline turns yellow, ``deadlines.services.due_soon_from``)."""
    cal = cal_mod.calendar_for(court)
    day = cal.add_working_days(timezone.localdate(), days)
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@login_required
def workbench(request):
    user = request.user
    if user.has_role(Role.POST_JUDGE, Role.OFFICER):
        return _judge_or_officer(request)
    if user.has_role(Role.FILING_CLERK):
        return redirect("case-file")
    targets = []
    if user.has_role(Role.BUREAU_CLERK):
        targets.append("bureau-queue")
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
    soon_days = due_soon_working_days(user.court)
    until = horizon(user.court, soon_days)
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
    # Each row's light is its next deadline's, by the same rule as the deadlines table (one query).
    nexts = {d.pk: d for d in decorate_deadlines(
        list(Deadline.objects.filter(pk__in=[c.next_id for c in page.object_list if c.next_id])
             .select_related("bound_rule")), user.court)}
    for case in page.object_list:
        case.claim_display = f"{case.claim_amount:,.2f}"
        case.next_node_name = NODE_NAMES.get(case.next_node, case.next_node or "")
        case.light = nexts[case.next_id].light if case.next_id in nexts else "grey"
        case.next_step = next_step(case, user, next_node=case.next_node)
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
    counts = today.aggregate(overdue=Count("id", filter=Q(due_at__lt=now) | Q(status=DeadlineStatus.BREACHED)),
                             soon=Count("id", filter=Q(due_at__gte=now, status=DeadlineStatus.RUNNING)))
    today = decorate_deadlines(list(today.select_related("case", "bound_rule").order_by("due_at", "id")[:50]),
                               user.court)
    params = request.GET.copy()
    params.pop("page", None)
    to_accept = list(queues.to_accept(user=user)[:50]) if is_judge else []
    return render(request, "cases/workbench.html", {
        "to_accept": to_accept,
        "page": page, "today": today, "is_judge": is_judge, "status": status, "track": track, "node": node,
        "overdue": overdue, "sort": sort, "status_choices": [c for c in CaseStatus.choices if c[0] != "closed"],
        "track_choices": Track.choices, "node_choices": sorted(NODE_NAMES.items()),
        "query_without_page": params.urlencode(), "horizon": until, "soon_days": soon_days,
        "overdue_count": counts["overdue"], "soon_count": counts["soon"],
    })
