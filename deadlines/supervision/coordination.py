"""Watch lists of the supervisors' dashboard for courts working together (SPEC §8, §11; [004 §27,
§28]): supervision orders whose reply is overdue, disputes still open and delegated tasks still
open — each with its count by court. Three aggregate queries and one row query each, whatever the
data (the dashboard's constant-query rule)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext

from cases.models import (
    Delegation,
    DelegationStatus,
    Dispute,
    DisputeKind,
    DisputeStatus,
    SupervisionOrder,
    SupervisionStatus,
)
from deadlines.models import Deadline

from .dashboard import Scope, WatchList, _paged

OPEN_DISPUTE = (Q(kind=DisputeKind.COURT) & ~Q(status=DisputeStatus.IMPLEMENTED)) | (
    Q(kind=DisputeKind.STATE_ORGAN) & ~Q(status=DisputeStatus.RESOLVED))


def _due(subject_type: str, nodes: list[str]) -> Subquery:
    """The due of the object's open clock (the node it waits for), for display and ordering."""
    return Subquery(Deadline.objects.filter(subject_type=subject_type, subject_id=OuterRef("pk"), node__in=nodes,
                                            completed_at__isnull=True).order_by("due_at").values("due_at")[:1])


def _by_court(qs: QuerySet, field: str, scope: Scope) -> list[dict]:
    counts = dict(qs.values_list(field).annotate(n=Count("id")).order_by())
    return [{"name": c.name, "count": counts[c.pk]} for c in scope.courts if counts.get(c.pk)]


def overdue_replies(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Orders of (or to) the scope's courts not answered by their SUPERVISION_REPLY due [004 §28]."""
    qs = (SupervisionOrder.objects.filter(Q(court_id__in=scope.court_ids) | Q(case__court_id__in=scope.court_ids),
                                          status=SupervisionStatus.ISSUED)
          .annotate(due=_due("supervision_order", ["SUPERVISION_REPLY"])).filter(due__lt=now))
    if not detail:
        return WatchList("replies", gettext("督办逾期未回复"), qs.count(), [])
    pg = _paged(qs.select_related("case", "case__court", "case__judge", "court").order_by("due", "id"), page)
    rows = list(pg.object_list)
    return WatchList("replies", gettext("督办逾期未回复"), qs.count(), rows,
                     {"by_court": _by_court(qs, "case__court_id", scope)}, page=pg)


def open_disputes(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Disputes involving or decided by the scope's courts that are not yet carried out [004 §27]."""
    qs = Dispute.objects.filter(
        Q(upper_court_id__in=scope.court_ids) | Q(reporting_court_id__in=scope.court_ids)
        | Q(other_court_id__in=scope.court_ids)).filter(OPEN_DISPUTE)
    if not detail:
        return WatchList("disputes", gettext("未办结执行争议"), qs.count(), [])
    pg = _paged(qs.annotate(due=_due("dispute", ["DISPUTE_RESOLVE", "DISPUTE_IMPLEMENT", "DISPUTE_REFER",
                                                 "DISPUTE_COORDINATE"]))
                .select_related("case", "reporting_court", "other_court", "upper_court").order_by("due", "id"), page)
    rows = list(pg.object_list)
    return WatchList("disputes", gettext("未办结执行争议"), qs.count(), rows,
                     {"by_court": _by_court(qs, "upper_court_id", scope)}, page=pg)


def open_delegations(scope: Scope, *, now: datetime, detail: bool = True, page=1) -> WatchList:
    """Tasks the scope's courts asked for or were entrusted with, not yet done or returned."""
    qs = Delegation.objects.filter(Q(from_court_id__in=scope.court_ids) | Q(to_court_id__in=scope.court_ids),
                                   status__in=[DelegationStatus.REQUESTED, DelegationStatus.ACCEPTED])
    if not detail:
        return WatchList("delegations", gettext("未办结事项委托"), qs.count(), [])
    pg = _paged(qs.annotate(due=_due("delegation", ["DELEGATION_ACCEPT", "DELEGATION_DONE"]))
                .select_related("case", "from_court", "to_court", "handler").order_by("due", "id"), page)
    rows = list(pg.object_list)
    return WatchList("delegations", gettext("未办结事项委托"), qs.count(), rows,
                     {"by_court": _by_court(qs, "to_court_id", scope)}, page=pg)
