"""Reads of the supervisors' alert dashboard (SPEC §5, §8; [004 §8, §25–26]).

Everything is scoped by a set of court ids that the caller got from ``dashboard_scope`` (the user's
visible courts, optionally narrowed to one court's subtree). Each list is one aggregate query for
its counts plus one query for its top rows (``select_related``), so the page costs the same
number of queries whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import Case, CharField, Count, Exists, Min, OuterRef, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cases.models import Property
from cases.models.property import LIVE_CONTROL
from deadlines.models import OPEN_Q, Alert, AlertLevel, AlertStatus, Deadline, DeadlineStatus
from deadlines.rules_data import NODE_NAMES
from enforcement.approvals.services import approval_title
from enforcement.drf import index_ordered_page
from enforcement.errors import InvalidInput
from enforcement.models import ApprovalKind, ApprovalRequest, ApprovalStatus, AuditEvent, Court, Role, User
from enforcement.selectors import court_ids_visible_to
from funds.models import Disbursement, DisbursementStatus, Receipt, ReceiptStatus

DASHBOARD_ROLES = (Role.SUPERVISOR, Role.BUREAU_HEAD, Role.ADMIN)
WATCH_PAGE_SIZE = 25
CONTROL_WARN_DAYS = 30   # SPEC §4 CONTROL_EXPIRY is warned 30 days ahead
REVIEW_WARN_DAYS = 30    # a six-monthly 终本 review is "due soon" in its last 30 days

# Alert age since it was raised, in days: (code, label, min days, max days or None).
AGE_BUCKETS = [
    ("d1", gettext_lazy("1 日内"), 0, 1),
    ("d7", gettext_lazy("2–7 日"), 2, 7),
    ("d30", gettext_lazy("8–30 日"), 8, 30),
    ("older", gettext_lazy("30 日以上"), 31, None),
]
# Unpaid money by days since it arrived ([004 §22]: notice in 10 working days, payment 5 more).
FUNDS_BUCKETS = [
    ("d10", gettext_lazy("10 日内"), 0, 10),
    ("d30", gettext_lazy("11–30 日"), 11, 30),
    ("d90", gettext_lazy("31–90 日"), 31, 90),
    ("older", gettext_lazy("90 日以上"), 91, None),
]
UNPAID_STATUSES = (DisbursementStatus.PENDING, DisbursementStatus.NOTIFIED, DisbursementStatus.HELD)


def may_use_dashboard(user: User) -> bool:
    return user.is_authenticated and user.has_role(*DASHBOARD_ROLES)


# --- scope and filters -----------------------------------------------------------------------

@dataclass
class Scope:
    """The courts a dashboard request covers: the user's visible courts, or one court's subtree."""

    user: User
    court: Court | None
    court_ids: list[int]
    courts: list[Court]


def dashboard_scope(user: User, court_id=None) -> Scope:
    """``court_id`` must be a court the user sees (else 404, SPEC §1); its subtree is the scope."""
    visible = list(Court.objects.filter(pk__in=court_ids_visible_to(user)).order_by("path"))
    if court_id in (None, ""):
        return Scope(user, None, [c.pk for c in visible], visible)
    try:
        court_id = int(court_id)
    except (TypeError, ValueError):
        raise InvalidInput({"court": [gettext("须为法院 id。")]}) from None
    by_id = {c.pk: c for c in visible}
    court = by_id.get(court_id)
    if court is None:
        raise Http404(gettext("法院不存在或不在您的监管范围内。"))
    sub = [c for c in visible if c.path.startswith(court.path)]
    return Scope(user, court, [c.pk for c in sub], visible)


@dataclass
class AlertFilters:
    level: str = ""
    node: str = ""
    handler: int | None = None
    status: str = AlertStatus.OPEN
    age: str = ""
    errors: dict = field(default_factory=dict)

    @classmethod
    def parse(cls, params) -> AlertFilters:
        """Read the console's filters from a querystring; bad values are reported, not ignored."""
        f, errors = cls(), {}
        if (v := params.get("level", "")) and v not in AlertLevel.values:
            errors["level"] = [gettext("级别无效。")]
        else:
            f.level = v
        f.node = params.get("node", "").strip()
        if f.node and f.node not in NODE_NAMES:
            errors["node"] = [gettext("节点无效。")]
            f.node = ""
        status = params.get("status", AlertStatus.OPEN)
        if status not in (*AlertStatus.values, "all"):
            errors["status"] = [gettext("状态无效。")]
        else:
            f.status = status
        if v := params.get("handler", ""):
            try:
                f.handler = int(v)
            except ValueError:
                errors["handler"] = [gettext("须为用户 id。")]
        if (v := params.get("age", "")) and v not in {b[0] for b in AGE_BUCKETS}:
            errors["age"] = [gettext("时长无效。")]
        else:
            f.age = v
        f.errors = errors
        return f


def _age_q(code: str, now: datetime, field_name: str) -> Q:
    for c, _label, lo, hi in AGE_BUCKETS if field_name == "raised_at" else FUNDS_BUCKETS:
        if c == code:
            q = Q(**{f"{field_name}__lte": now - timedelta(days=lo)}) if lo else Q()
            if hi is not None:
                q &= Q(**{f"{field_name}__gt": now - timedelta(days=hi + 1)})
            return q
    raise ValueError(code)


# --- alert console -----------------------------------------------------------------------------

# Alert levels from lowest to highest: a deadline appears once, at its highest level (issue 17).
LEVEL_ORDER = (AlertLevel.DUE_SOON, AlertLevel.BREACHED, AlertLevel.ESCALATED)


def highest_level_only(qs: QuerySet[Alert], status: str = "all") -> QuerySet[Alert]:
    """Drop each alert whose deadline has a higher-level alert (of the same status filter), so a
    breached-and-escalated node is one row, counted once."""
    higher = Alert.objects.filter(deadline_id=OuterRef("deadline_id"))
    if status != "all":
        higher = higher.filter(status=status)
    shadowed = Q()
    for i, level in enumerate(LEVEL_ORDER[:-1]):
        shadowed |= Q(level=level) & Q(Exists(higher.filter(level__in=LEVEL_ORDER[i + 1:])))
    return qs.exclude(shadowed)


def alerts_in_scope(scope: Scope, f: AlertFilters, *, now: datetime | None = None,
                    ignore: tuple[str, ...] = ()) -> QuerySet[Alert]:
    now = now or timezone.now()
    qs = Alert.objects.filter(court_id__in=scope.court_ids)
    if f.status != "all":
        qs = qs.filter(status=f.status)
    qs = highest_level_only(qs, f.status)
    if f.level and "level" not in ignore:
        qs = qs.filter(level=f.level)
    if f.node and "node" not in ignore:
        qs = qs.filter(node=f.node)
    if f.handler is not None and "handler" not in ignore:
        qs = qs.filter(handler_id=f.handler)
    if f.age and "age" not in ignore:
        qs = qs.filter(_age_q(f.age, now, "raised_at"))
    return qs


def alert_page_rows(qs: QuerySet[Alert]) -> QuerySet[Alert]:
    """Oldest due first: the longest overdue lead the console, then those about to fall due."""
    return (qs.select_related("deadline", "deadline__responsible", "case", "case__judge", "court", "handler",
                              "acknowledged_by")
            .order_by("due_at", "id"))  # the alert's own copy of the due: ``alert_console_idx``


def days_overdue(due_at: datetime, now: datetime) -> int:
    """Whole calendar days since the due (0 on the day it fell due, and before)."""
    return max((timezone.localdate(now) - timezone.localdate(due_at)).days, 0) if due_at < now else 0


def alert_handler(alert: Alert) -> User | None:
    """Who a prompt would reach (the alert's handler, else the deadline's, else the case judge)."""
    return alert.handler or alert.deadline.responsible or (alert.case.judge if alert.case is not None else None)


def _age_code(now: datetime) -> Case:
    """The age bucket an alert falls in (the buckets are disjoint and cover every age)."""
    return Case(*[When(_age_q(code, now, "raised_at"), then=Value(code)) for code, *_ in AGE_BUCKETS],
                default=Value(""), output_field=CharField())


def alert_groups(scope: Scope, status: str, *, now: datetime) -> list[tuple]:
    """Alerts of one status filter in scope, counted per (level, node, court, handler, age bucket),
    each deadline once at its highest level: one query, from which every facet of the console and
    the live counts are summed (instead of one scan of the alerts per facet)."""
    qs = alerts_in_scope(scope, AlertFilters(status=status), now=now)
    return list(
        qs.annotate(age_code=_age_code(now))
        .values_list("level", "node", "court_id", "handler_id", "age_code")
        .annotate(n=Count("id")).order_by()
    )


def _facet_match(f: AlertFilters, row: tuple, ignore: str = "") -> bool:
    level, node, _court, handler, age, _n = row
    return ((not f.level or ignore == "level" or level == f.level)
            and (not f.node or ignore == "node" or node == f.node)
            and (f.handler is None or ignore == "handler" or handler == f.handler)
            and (not f.age or ignore == "age" or age == f.age))


def _sum_by(rows, key) -> dict:
    out: dict = {}
    for r in rows:
        out[key(r)] = out.get(key(r), 0) + r[-1]
    return out


def alert_counts(scope: Scope, f: AlertFilters, *, now: datetime | None = None,
                 groups: list[tuple] | None = None) -> dict:
    """Alert breakdowns for the console: by level, node, court, handler and age. Each facet
    ignores its own filter, so the numbers show what choosing another value would give. Summed
    from ``alert_groups`` (passed in when the caller has them already)."""
    now = now or timezone.now()
    if groups is None:
        groups = alert_groups(scope, f.status, now=now)
    by_level = _sum_by((r for r in groups if _facet_match(f, r, "level")), lambda r: r[0])
    by_node = sorted(_sum_by((r for r in groups if _facet_match(f, r, "node")), lambda r: r[1]).items(),
                     key=lambda kv: (-kv[1], kv[0]))
    by_court = _sum_by((r for r in groups if _facet_match(f, r)), lambda r: r[2])
    by_handler = sorted(_sum_by((r for r in groups if _facet_match(f, r, "handler")), lambda r: r[3]).items(),
                        key=lambda kv: -kv[1])
    names = {pk: name or username for pk, name, username in
             User.objects.filter(pk__in=[uid for uid, _ in by_handler if uid is not None])
             .values_list("pk", "name", "username")} if by_handler else {}
    by_age = _sum_by((r for r in groups if _facet_match(f, r, "age")), lambda r: r[4])
    levels = [{"code": v, "label": label, "count": by_level.get(v, 0)} for v, label in AlertLevel.choices]
    return {
        "total": sum(by_level.get(v, 0) for v in AlertLevel.values) if not f.level else by_level.get(f.level, 0),
        "levels": levels,
        "nodes": [{"code": n, "label": NODE_NAMES.get(n, n), "count": k} for n, k in by_node],
        "courts": [{"id": c.pk, "name": c.name, "count": by_court.get(c.pk, 0)}
                   for c in scope.courts if c.pk in scope.court_ids],
        "handlers": [{"id": uid, "name": names.get(uid) or gettext("未指定"), "count": k} for uid, k in by_handler],
        "ages": [{"code": code, "label": label, "count": by_age.get(code, 0)} for code, label, *_ in AGE_BUCKETS],
    }


def live_counts(scope: Scope, *, now: datetime | None = None, groups: list[tuple] | None = None) -> dict:
    """What the console polls every 30 s: open alerts by level (one query, none when the caller
    has the open alerts' ``alert_groups`` already)."""
    now = now or timezone.now()
    if groups is None:
        rows = dict(
            highest_level_only(Alert.objects.filter(court_id__in=scope.court_ids, status=AlertStatus.OPEN),
                               AlertStatus.OPEN)
            .values_list("level").annotate(n=Count("id")).order_by()
        )
    else:
        rows = _sum_by(groups, lambda r: r[0])
    return {
        "open": sum(rows.values()),
        "levels": {v: rows.get(v, 0) for v in AlertLevel.values},
        "at": timezone.localtime(now).strftime("%H:%M:%S"),
    }


# --- watch lists (SPEC §8) ----------------------------------------------------------------------

@dataclass
class WatchList:
    code: str
    title: str
    count: int
    rows: list
    extra: dict = field(default_factory=dict)
    page: Page | None = None


def page_of(qs: QuerySet, page, size: int, *, count: int | None = None) -> Page:
    """One page of an ordered list, read in the list's index order from the nearer end, so the last
    page costs what the first does. Like ``Paginator.get_page``: a page that is not a number is the
    first, one past the end the last."""
    try:
        return index_ordered_page(qs, page or 1, size, count=count)
    except PageNotAnInteger:
        return index_ordered_page(qs, 1, size, count=count)
    except EmptyPage:
        return index_ordered_page(qs, "last", size, count=count)


def _paged(qs: QuerySet, page) -> Page:
    """One page of a watch list (every list pages; none stops at its first rows)."""
    return page_of(qs, page, WATCH_PAGE_SIZE)


def _simple(code: str, title: str, qs: QuerySet, order: tuple[str, ...], detail: bool, page=1) -> WatchList:
    """A count (always) and one page of rows (only for the list on display)."""
    if not detail:
        return WatchList(code, title, qs.count(), [])
    p = _paged(qs.order_by(*order), page)
    return WatchList(code, title, p.paginator.count, list(p.object_list), page=p)


def _deadlines(scope: Scope) -> QuerySet[Deadline]:
    return Deadline.objects.filter(court_id__in=scope.court_ids).select_related("case", "court", "responsible")


def cases_past_limit(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Open cases whose CASE_LIMIT has passed (breached, or due and not yet scanned)."""
    qs = _deadlines(scope).filter(node="CASE_LIMIT", status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED],
                                  due_at__lt=now, completed_at__isnull=True)
    return _simple("limit", gettext("超审限案件"), qs, ("due_at", "id"), detail, page)


def round_reviews_due(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """终本 cases whose six-monthly review (ROUND_REVIEW) is breached or due within 30 days."""
    qs = _deadlines(scope).filter(node="ROUND_REVIEW", status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED],
                                  due_at__lte=now + timedelta(days=REVIEW_WARN_DAYS), completed_at__isnull=True)
    return _simple("review", gettext("终本案件待定期查控"), qs, ("due_at", "id"), detail, page)


def controls_expiring(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Seizures and freezes lapsing within 30 days (or lapsed while still in force)."""
    qs = (
        Property.objects.filter(case__court_id__in=scope.court_ids, status__in=LIVE_CONTROL,
                                control_expires_at__lte=now + timedelta(days=CONTROL_WARN_DAYS))
        .select_related("case", "case__court", "case__judge")
    )
    return _simple("controls", gettext("控制措施即将到期"), qs, ("control_expires_at", "id"), detail, page)


def unpaid_funds(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Money arrived but not yet paid out, by age since arrival ([004 §22])."""
    # The receipt's court is the case's court (money is credited to the case account of that court).
    qs = Disbursement.objects.filter(receipt__court_id__in=scope.court_ids, status__in=UNPAID_STATUSES)
    if not detail:
        return WatchList("funds", gettext("未发放案款"), qs.count(), [])
    agg = qs.aggregate(
        n=Count("id"), total=Sum("amount"),
        **{f"n_{c}": Count("id", filter=_age_q(c, now, "receipt__received_at")) for c, *_ in FUNDS_BUCKETS},
        **{f"s_{c}": Sum("amount", filter=_age_q(c, now, "receipt__received_at")) for c, *_ in FUNDS_BUCKETS},
    )
    buckets = [{"code": c, "label": label, "count": agg[f"n_{c}"], "amount": agg[f"s_{c}"] or 0}
               for c, label, *_ in FUNDS_BUCKETS]
    p = page_of(qs.select_related("case", "case__court", "receipt").order_by("receipt__received_at", "id"), page,
                WATCH_PAGE_SIZE, count=agg["n"])
    rows = list(p.object_list)
    for d in rows:
        d.age_days = (timezone.localdate(now) - timezone.localdate(d.receipt.received_at)).days
    totals = {"total": agg["total"] or 0, "buckets": buckets}
    return WatchList("funds", gettext("未发放案款"), agg["n"], rows, totals, page=p)


def unidentified_receipts(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Receipts naming no known case account (SPEC §6.3: target zero)."""
    qs = Receipt.objects.filter(court_id__in=scope.court_ids, status=ReceiptStatus.UNIDENTIFIED)
    if not detail:
        return WatchList("unidentified", gettext("不明款"), qs.count(), [])
    agg = qs.aggregate(n=Count("id"), total=Sum("amount"), oldest=Min("received_at"))
    oldest = agg["oldest"]
    age = (timezone.localdate(now) - timezone.localdate(oldest)).days if oldest else None
    p = page_of(qs.select_related("court").order_by("received_at", "id"), page, WATCH_PAGE_SIZE, count=agg["n"])
    rows = list(p.object_list)
    for r in rows:
        r.age_days = (timezone.localdate(now) - timezone.localdate(r.received_at)).days
    return WatchList(
        "unidentified", gettext("不明款"), agg["n"], rows, {"total": agg["total"] or 0, "oldest_days": age}, page=p
    )


def sanctions_awaiting_lifting(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Restrictions and listings with a lifting ground whose RESTRICTION_LIFT clock is open [004 §23]."""
    qs = _deadlines(scope).filter(OPEN_Q, node="RESTRICTION_LIFT")
    return _simple("sanctions", gettext("待解除限制消费、失信"), qs, ("due_at", "id"), detail, page)


def late_entries(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Acts recorded long after they happened (SPEC §12–13: flagged late entries), newest first."""
    qs = AuditEvent.objects.filter(court_id__in=scope.court_ids, late_entry=True).select_related("actor", "court")
    return _simple("late", gettext("补录事项"), qs, ("-recorded_at", "-id"), detail, page)


def overrides_granted(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Bureau-head approvals to pass a guard once (SPEC §7, §11a), granted or used, with approver and reason."""
    qs = ApprovalRequest.objects.filter(
        court_id__in=scope.court_ids, kind__in=(ApprovalKind.OVERRIDE, ApprovalKind.APPRAISAL),
        status__in=(ApprovalStatus.APPROVED, ApprovalStatus.USED),
    ).select_related("case", "case__court", "decided_by", "requested_by")
    w = _simple("overrides", gettext("例外审批"), qs, ("-decided_at", "-id"), detail, page)
    for r in w.rows:
        r.title = approval_title(r)
    return w


def pending_approvals(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Requests waiting for a bureau head (SPEC §11a), oldest first, with how many each court has."""
    qs = ApprovalRequest.objects.filter(court_id__in=scope.court_ids, status=ApprovalStatus.PENDING)
    if not detail:
        return WatchList("approvals", gettext("待审批事项"), qs.count(), [])
    by_court = list(qs.values("court__name").annotate(n=Count("id")).order_by("-n", "court__name"))
    p = _paged(qs.select_related("case", "court", "requested_by").order_by("requested_at", "id"), page)
    rows = list(p.object_list)
    for r in rows:
        r.title = approval_title(r)
        r.age_days = (timezone.localdate(now) - timezone.localdate(r.requested_at)).days
    return WatchList("approvals", gettext("待审批事项"), p.paginator.count, rows, {"by_court": by_court}, page=p)


def _coordination_lists():
    from .coordination import open_delegations, open_disputes, overdue_replies

    return overdue_replies, open_disputes, open_delegations


WATCH_CODES = ("limit", "review", "controls", "funds", "unidentified", "sanctions", "late", "approvals", "overrides",
               "replies", "disputes", "delegations")
WATCH_LISTS = (cases_past_limit, round_reviews_due, controls_expiring, unpaid_funds, unidentified_receipts,
               sanctions_awaiting_lifting, late_entries, pending_approvals, overrides_granted,
               *_coordination_lists())


def watch_lists(scope: Scope, *, now: datetime | None = None, detail: str = "", page=1) -> list[WatchList]:
    """Every watch list's count; one page of rows (and breakdowns) only for the list ``detail`` (the open tab)."""
    now = now or timezone.now()
    return [
        fn(scope, now=now, detail=code == detail, page=page) for code, fn in zip(WATCH_CODES, WATCH_LISTS, strict=True)
    ]


def handlers_in_scope(scope: Scope) -> QuerySet[User]:
    """Judges and officers of the scope's courts, for the handler filter."""
    return (
        User.objects.filter(
            court_id__in=scope.court_ids, is_active=True, role_rows__role__in=[Role.POST_JUDGE, Role.OFFICER]
        )
        .distinct()
        .order_by("court__path", "username")
    )
