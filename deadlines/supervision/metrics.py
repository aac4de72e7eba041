"""The core indicators of the supervision dashboard (SPEC §8), their exact definitions, and the
summary tables they are read from.

Periods are closed intervals of local (Asia/Shanghai) calendar dates ``[start, end]``; an event
belongs to the period when its local date does. "The subtree" of a court is the court and every
court below it (SPEC §1; [004 §25–26]: each level supervises the courts below it).

Definitions (SPEC §8), per set of courts and period:

* 执结率 closure rate = closed ÷ (carried_over + filed), where
  - ``filed``: cases filed in the period (kind first or restored — a restored case is a new case);
  - ``carried_over``: cases filed before the period and not closed before it (open on its first day);
  - ``closed``: cases closed in the period.
* 实际执结率 actual closure rate = closed_actual ÷ closed, ``closed_actual`` being the cases closed in
  the period other than by 终本 (``terminated_round``) or a withdrawal-equivalent. Decision: the
  withdrawal-equivalents are ``withdrawn`` (撤回), ``not_enforced`` (不予执行: the application
  fails, nothing is enforced) and ``transferred_bankruptcy`` (移送破产: the claim leaves this
  enforcement); so actual = ``performed`` (执行完毕) + ``terminated`` (终结执行).
* 执行到位率 recovery rate = paid ÷ claim over the cases closed in the period: ``claim`` is their
  claim amounts, ``paid`` the money paid out (disbursements ``paid``) to their creditors. Nothing
  is paid after closure (closure_funds_unpaid [004 §22]), so the payment date does not matter.
* 结案平均用时 average days to close = Σ (closure date − filing date, in calendar days) ÷ closed,
  over the cases closed in the period; reported also for first-enforcement cases alone, whose
  target is ≤ 70 days [001] (洛中法〔2021〕26号: 首次执行案件执行平均用时压缩至 70 日以内).
* 超期率 overdue rate = overdue ÷ (carried_over + filed) — the same cases as the closure rate —
  ``overdue`` being those of them whose time limit (their CASE_LIMIT deadline, which already counts
  clock stops) fell due on or before the period's last day and was exceeded: met late (closed
  after the limit), or still open and past due now. A stopped clock (suspension) is not overdue.
  Target ≤ 3 % [002] (超期限案件控制在 3%以内).
* 法定期限内执结率 closed within the statutory limit = within_limit ÷ closed_with_property over the
  cases closed in the period that had property ([002] 有财产可供执行案件在法定期限内基本执行完毕):
  "with property" = at least one property found (``cases.Property``) or money received on the
  case account (an identified receipt); "within the limit" = CASE_LIMIT met on time. A closed case
  with no CASE_LIMIT clock cannot be shown to be in time and counts as not within.
* 案款发放平均天数 average days to pay = Σ (payment date − arrival date of the receipt, in calendar
  days) ÷ paid, over the disbursements paid in the period ([002] 执行款发放平均天数; [004 §22]).
  Each part of a split payment counts once.
* per-node on-time rate = on_time ÷ (met + open_late), per node: ``met`` the deadlines met in the
  period, "on time" completed no later than the due (``completed_late`` false); ``open_late`` the
  deadlines whose due fell in the period and that are still open and past due now — a breached node
  nobody has finished is late, not left out (issue 17). A paused clock is not open_late.

Edge cases: an empty denominator gives ``value: None`` (null in JSON; "—" on the page), never 0.
Rates are fractions 0–1 rounded to 4 places; averages are days rounded to 1 place.

Summary tables (``CourtDayStats``, ``NodeDayStats``) hold the counters per court and local day;
``carried_over`` is Σ filed − Σ closed before the period, and ``overdue`` is Σ limit_exceeded (by
due day ≤ end) − Σ closed_late (closed before the start: those left the denominator already).
``indicators_direct`` computes the same figures straight from the base tables, case by case; it is
the executable form of the definitions, and the tests prove both agree.

One cohesive module although it is long: each indicator's definition, its direct computation and
the summary tables it is read from must stay together, so a test can prove that both give the same figure.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.models import Case, CaseKind, Closure, Property
from deadlines.models import CourtDayStats, Deadline, DeadlineStatus, NodeDayStats, StatsRefresh
from deadlines.rules_data import NODE_NAMES
from funds.models import Disbursement, DisbursementStatus, Receipt, ReceiptStatus

ZERO = Decimal("0.00")
ACTUAL_CLOSURES = (Closure.PERFORMED, Closure.TERMINATED)
FIRST_ENFORCEMENT_TARGET_DAYS = 70  # [001]
OVERDUE_TARGET = Decimal("0.03")  # [002]
TREND_MONTHS_MAX = 36

COUNTERS = (
    "filed", "closed", "closed_actual", "closed_days", "closed_first", "closed_first_days", "closed_claim",
    "closed_paid", "closed_with_property", "closed_with_property_in_limit", "closed_late", "limit_exceeded",
    "paid", "paid_days", "paid_amount", "nodes_met", "nodes_on_time",
)
MONEY_COUNTERS = {"closed_claim", "closed_paid", "paid_amount"}


# --- refresh ---------------------------------------------------------------------------------

def _days(end_field: str, start_field: str) -> ExpressionWrapper:
    """Calendar days between the local dates of two datetime fields (a duration; ``.days`` of its sum)."""
    return ExpressionWrapper(TruncDate(end_field) - TruncDate(start_field), output_field=DurationField())


# Nodes finished in a period: met (on time or late), or breached and ended with their subject.
ENDED_NODES = Q(status__in=[DeadlineStatus.MET, DeadlineStatus.BREACHED], completed_at__isnull=False)


def _case_limit(**filters) -> QuerySet[Deadline]:
    return Deadline.objects.filter(node="CASE_LIMIT", subject_type="case", subject_id=OuterRef("pk"), **filters)


def _collect(now: datetime) -> tuple[dict, dict]:
    """Counters per (court, day) and per (court, day, node), read from the base tables."""
    rows: dict[tuple[int, date], dict] = defaultdict(dict)

    def add(key, values):
        slot = rows[key]
        for k, v in values.items():
            slot[k] = slot.get(k, 0) + (v or 0)

    for r in Case.objects.values("court_id", d=TruncDate("filed_at")).annotate(n=Count("id")).order_by():
        add((r["court_id"], r["d"]), {"filed": r["n"]})

    paid_sum = (
        Disbursement.objects.filter(case=OuterRef("pk"), status=DisbursementStatus.PAID)
        .values("case").annotate(s=Sum("amount")).values("s")
    )
    closed = (
        Case.objects.filter(closed_at__isnull=False)
        .annotate(
            paid_total=Coalesce(Subquery(paid_sum), ZERO),
            has_property=Exists(Property.objects.filter(case=OuterRef("pk")))
            | Exists(Receipt.objects.filter(case=OuterRef("pk"), status=ReceiptStatus.IDENTIFIED)),
            in_limit=Exists(_case_limit(status=DeadlineStatus.MET, completed_late=False)),
            late=Exists(_case_limit(status=DeadlineStatus.MET, completed_late=True)),
        )
        .values("court_id", d=TruncDate("closed_at"))
        .annotate(
            closed=Count("id"),
            closed_actual=Count("id", filter=Q(closure__in=ACTUAL_CLOSURES)),
            closed_days=Sum(_days("closed_at", "filed_at")),
            closed_first=Count("id", filter=Q(kind=CaseKind.FIRST)),
            closed_first_days=Sum(_days("closed_at", "filed_at"), filter=Q(kind=CaseKind.FIRST)),
            closed_claim=Sum("claim_amount"),
            closed_paid=Sum("paid_total"),
            closed_with_property=Count("id", filter=Q(has_property=True)),
            closed_with_property_in_limit=Count("id", filter=Q(has_property=True, in_limit=True)),
            closed_late=Count("id", filter=Q(late=True)),
        )
        .order_by()
    )
    for closed_row in closed:
        closed_day: dict[str, Any] = dict(closed_row)
        for k in ("closed_days", "closed_first_days"):
            closed_day[k] = closed_day[k].days if closed_day[k] is not None else 0
        add((closed_day.pop("court_id"), closed_day.pop("d")), closed_day)

    exceeded = (
        Deadline.objects.filter(node="CASE_LIMIT", subject_type="case")
        .filter(Q(status=DeadlineStatus.MET, completed_late=True)
                | Q(status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED], due_at__lt=now))
        .values("court_id", d=TruncDate("due_at")).annotate(n=Count("id")).order_by()
    )
    for exceeded_row in exceeded:
        add((exceeded_row["court_id"], exceeded_row["d"]), {"limit_exceeded": exceeded_row["n"]})

    payments = (
        Disbursement.objects.filter(status=DisbursementStatus.PAID, paid_at__isnull=False)
        .values(court_id=F("case__court_id"), d=TruncDate("paid_at"))
        .annotate(paid=Count("id"), paid_days=Sum(_days("paid_at", "receipt__received_at")),
                  paid_amount=Sum("amount"))
        .order_by()
    )
    for payment_row in payments:
        paid_day: dict[str, Any] = dict(payment_row)
        paid_day["paid_days"] = paid_day["paid_days"].days if paid_day["paid_days"] is not None else 0
        add((paid_day.pop("court_id"), paid_day.pop("d")), paid_day)

    nodes: dict[tuple[int, date, str], dict] = {}
    # A breached node whose clock ended with its subject (a case closed, property released) is
    # never met, yet counts as a node not done on time (SPEC §4: it counts in every indicator).
    met = (
        Deadline.objects.filter(ENDED_NODES)
        .values("court_id", "node", d=TruncDate("completed_at"))
        .annotate(met=Count("id"), on_time=Count("id", filter=Q(status=DeadlineStatus.MET, completed_late=False)))
        .order_by()
    )
    for met_row in met:
        nodes[(met_row["court_id"], met_row["d"], met_row["node"])] = {"met": met_row["met"],
                                                                      "on_time": met_row["on_time"]}
        add((met_row["court_id"], met_row["d"]), {"nodes_met": met_row["met"], "nodes_on_time": met_row["on_time"]})
    return rows, nodes


def stats_refresh(*, now: datetime | None = None) -> StatsRefresh:
    """Rebuild the summary tables from the base tables, in one transaction (readers see the old
    figures until it commits). Safe to run repeatedly or concurrently: the later commit wins and
    both hold the same figures."""
    now = now or timezone.now()
    t = time.perf_counter()
    rows, nodes = _collect(now)
    with transaction.atomic():
        CourtDayStats.objects.all().delete()
        NodeDayStats.objects.all().delete()
        CourtDayStats.objects.bulk_create(
            [CourtDayStats(court_id=c, day=d, **v) for (c, d), v in rows.items()], batch_size=2000
        )
        NodeDayStats.objects.bulk_create(
            [NodeDayStats(court_id=c, day=d, node=n, **v) for (c, d, n), v in nodes.items()], batch_size=2000
        )
        return StatsRefresh.objects.create(finished_at=timezone.now(), seconds=time.perf_counter() - t,
                                           rows=len(rows) + len(nodes))


def last_refresh() -> StatsRefresh | None:
    return StatsRefresh.objects.order_by("-finished_at").first()


def ensure_stats() -> StatsRefresh:
    """The summary as last refreshed; built now if it never was (a fresh install before beat ran)."""
    return last_refresh() or stats_refresh()


# --- indicators from counters ------------------------------------------------------------------

def _rate(num, den) -> float | None:
    if not den:
        return None
    return round(float(Decimal(num) / Decimal(den)), 4)


def _avg(total, n) -> float | None:
    if not n:
        return None
    return round(total / n, 1)


def _money(v) -> str:
    return f"{Decimal(v or 0).quantize(Decimal('0.01'))}"


def indicators_from(t: dict, nodes: dict[str, dict] | None = None) -> dict:
    """The SPEC §8 indicators from period totals: ``t`` holds the period's counters plus
    ``carried_over`` and ``overdue`` (see the module docstring)."""
    cases = t["carried_over"] + t["filed"]
    out = {
        "closure_rate": {"value": _rate(t["closed"], cases), "closed": t["closed"],
                         "carried_over": t["carried_over"], "filed": t["filed"]},
        "actual_closure_rate": {"value": _rate(t["closed_actual"], t["closed"]),
                                "closed_actual": t["closed_actual"], "closed": t["closed"]},
        "recovery_rate": {"value": _rate(t["closed_paid"], t["closed_claim"]), "paid": _money(t["closed_paid"]),
                          "claim": _money(t["closed_claim"])},
        "average_days_to_close": {
            "value": _avg(t["closed_days"], t["closed"]), "days": t["closed_days"], "closed": t["closed"],
            "first_enforcement": {"value": _avg(t["closed_first_days"], t["closed_first"]),
                                  "days": t["closed_first_days"], "closed": t["closed_first"],
                                  "target": FIRST_ENFORCEMENT_TARGET_DAYS},
        },
        "overdue_rate": {"value": _rate(t["overdue"], cases), "overdue": t["overdue"], "cases": cases,
                         "target": float(OVERDUE_TARGET)},
        "within_limit_rate": {"value": _rate(t["closed_with_property_in_limit"], t["closed_with_property"]),
                              "within_limit": t["closed_with_property_in_limit"],
                              "closed_with_property": t["closed_with_property"]},
        "average_days_to_pay": {"value": _avg(t["paid_days"], t["paid"]), "days": t["paid_days"],
                                "paid": t["paid"], "amount": _money(t["paid_amount"])},
        "node_on_time_overall": {"value": _rate(t["nodes_on_time"], t["nodes_met"] + t.get("nodes_open_late", 0)),
                                 "on_time": t["nodes_on_time"], "met": t["nodes_met"],
                                 "open_late": t.get("nodes_open_late", 0)},
    }
    if nodes is not None:
        out["node_on_time"] = {
            node: {"name": NODE_NAMES.get(node, node), "value": _rate(v["on_time"], v["met"] + v.get("open_late", 0)),
                   "on_time": v["on_time"], "met": v["met"], "open_late": v.get("open_late", 0)}
            for node, v in sorted(nodes.items())
        }
    return out


def open_late(*, court_ids, period: Period, now: datetime | None = None) -> list[tuple[int, date, str, int]]:
    """(court, due day, node, count) of the deadlines due in the period that are still open and past
    due at ``now`` — the late nodes nobody has finished (one query)."""
    now = now or timezone.now()
    start = timezone.make_aware(datetime.combine(period.start, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), datetime.min.time()))
    rows = (
        Deadline.objects.filter(court_id__in=court_ids, status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED],
                                due_at__gte=start, due_at__lt=min(end, now))
        .annotate(d=TruncDate("due_at")).values_list("court_id", "d", "node").annotate(n=Count("id")).order_by()
    )
    return list(rows)


def _empty() -> dict:
    return {k: (ZERO if k in MONEY_COUNTERS else 0) for k in COUNTERS}


def _period_totals(day_rows: list[dict], start: date, end: date) -> dict:
    """Period totals from per-day counters (rows sorted by day, all days ≤ ``end`` or later)."""
    t = _empty()
    filed_before = closed_before = late_before = exceeded_upto = 0
    for r in day_rows:
        d = r["day"]
        if d > end:
            break
        exceeded_upto += r["limit_exceeded"] or 0
        if d < start:
            filed_before += r["filed"] or 0
            closed_before += r["closed"] or 0
            late_before += r["closed_late"] or 0
            continue
        for k in COUNTERS:
            t[k] += r[k] or 0
    t["carried_over"] = filed_before - closed_before
    t["overdue"] = exceeded_upto - late_before
    return t


# --- periods and reading the summary -------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def months(self) -> list[Period]:
        """Calendar months overlapping the period, each clipped to it (the last TREND_MONTHS_MAX)."""
        out = []
        y, m = self.start.year, self.start.month
        while date(y, m, 1) <= self.end:
            first = date(y, m, 1)
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            out.append(Period(max(first, self.start), min(nxt - timedelta(days=1), self.end)))
            y, m = nxt.year, nxt.month
        return out[-TREND_MONTHS_MAX:]


def _sums(filter_q: Q | None = None, keys=COUNTERS) -> dict:
    """Sum(counter) for each counter, aliased ``s_<name>`` (an alias may not shadow the field)."""
    return {f"s_{k}": Sum(k, filter=filter_q) for k in keys}


def _unalias(row: dict) -> dict:
    return {k[2:] if k.startswith("s_") else k: v for k, v in row.items()}


def indicators(*, court_ids, period: Period, per_court: bool = True, trend: bool = True,
               now: datetime | None = None) -> dict:
    """The indicators for the courts ``court_ids`` together (e.g. a subtree), read from the summary
    tables: one query by day (totals and trend), one by court, one by node."""
    base = CourtDayStats.objects.filter(court_id__in=court_ids, day__lte=period.end)
    day_rows = [_unalias(dict(r)) for r in base.values("day").annotate(**_sums()).order_by("day")]
    nodes: dict[str, dict[str, Any]] = {
        r["node"]: {"met": r["s_met"], "on_time": r["s_on_time"], "open_late": 0}
        for r in NodeDayStats.objects.filter(court_id__in=court_ids, day__gte=period.start, day__lte=period.end)
        .values("node").annotate(s_met=Sum("met"), s_on_time=Sum("on_time")).order_by("node")
    }
    late = open_late(court_ids=court_ids, period=period, now=now)
    for _court, _day, node, n in late:
        nodes.setdefault(node, {"met": 0, "on_time": 0, "open_late": 0})["open_late"] += n
    totals = _period_totals(day_rows, period.start, period.end)
    totals["nodes_open_late"] = sum(n for *_, n in late)
    out = indicators_from(totals, nodes)
    if trend:
        out["trend"] = []
        for m in period.months():
            t = _period_totals(day_rows, m.start, m.end)
            t["nodes_open_late"] = sum(n for _c, d, _node, n in late if m.start <= d <= m.end)
            out["trend"].append({"month": m.start.strftime("%Y-%m"), "from": m.start.isoformat(),
                                 "to": m.end.isoformat(), **indicators_from(t)})
    if per_court:
        late_by_court: dict[int, int] = defaultdict(int)
        for court_id, _day, _node, n in late:
            late_by_court[court_id] += n
        out["courts"] = _per_court(base, period, late_by_court)
    return out


def _per_court(base, period: Period, late_by_court: dict[int, int] | None = None) -> list[dict]:
    before = Q(day__lt=period.start)
    inside = Q(day__gte=period.start)
    rows = (
        base.values("court_id", "court__name", "court__path")
        .annotate(
            **_sums(inside, [k for k in COUNTERS if k != "limit_exceeded"]),
            s_limit_exceeded=Sum("limit_exceeded"),
            filed_before=Sum("filed", filter=before),
            closed_before=Sum("closed", filter=before),
            late_before=Sum("closed_late", filter=before),
        )
        .order_by("court__path")
    )
    out = []
    for r in map(_unalias, rows):
        t = {k: (r[k] or (ZERO if k in MONEY_COUNTERS else 0)) for k in COUNTERS}
        t["carried_over"] = (r["filed_before"] or 0) - (r["closed_before"] or 0)
        t["overdue"] = (r["limit_exceeded"] or 0) - (r["late_before"] or 0)
        t["nodes_open_late"] = (late_by_court or {}).get(r["court_id"], 0)
        out.append({"court": r["court_id"], "court_name": r["court__name"], **indicators_from(t)})
    return out


# --- the definitions, straight from the base tables --------------------------------------------

def indicators_direct(*, court_ids, period: Period, now: datetime | None = None) -> dict:
    """The same indicators computed case by case from the base tables (no summary), exactly as the
    module docstring defines them. For tests and audits of the summary, not for requests."""
    now = now or timezone.now()
    ld = timezone.localdate
    a, b = period.start, period.end
    t = _empty()
    t["carried_over"] = t["overdue"] = 0
    cases = list(Case.objects.filter(court_id__in=court_ids))
    ids = [c.pk for c in cases]
    limits = {
        d.subject_id: d for d in Deadline.objects.filter(node="CASE_LIMIT", subject_type="case", subject_id__in=ids)
        .exclude(status=DeadlineStatus.CANCELLED)
    }
    with_property = set(Property.objects.filter(case_id__in=ids).values_list("case_id", flat=True)) | set(
        Receipt.objects.filter(case_id__in=ids, status=ReceiptStatus.IDENTIFIED).values_list("case_id", flat=True)
    )
    paid_by_case: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for case_id, amount in Disbursement.objects.filter(case_id__in=ids, status=DisbursementStatus.PAID).values_list(
        "case_id", "amount"
    ):
        paid_by_case[case_id] += amount
    for c in cases:
        filed, closed = ld(c.filed_at), (ld(c.closed_at) if c.closed_at else None)
        if not (filed <= b and (closed is None or closed >= a)):
            continue  # not handled in the period
        if filed < a:
            t["carried_over"] += 1
        else:
            t["filed"] += 1
        limit = limits.get(c.pk)
        if limit is not None and ld(limit.due_at) <= b and (
            (limit.status == DeadlineStatus.MET and limit.completed_late)
            or (limit.status in (DeadlineStatus.RUNNING, DeadlineStatus.BREACHED) and limit.due_at < now)
        ):
            t["overdue"] += 1
        if closed is None or closed > b:
            continue
        days = (closed - filed).days
        t["closed"] += 1
        t["closed_days"] += days
        t["closed_actual"] += c.closure in ACTUAL_CLOSURES
        if c.kind == CaseKind.FIRST:
            t["closed_first"] += 1
            t["closed_first_days"] += days
        t["closed_claim"] += c.claim_amount
        t["closed_paid"] += paid_by_case[c.pk]
        if c.pk in with_property:
            t["closed_with_property"] += 1
            t["closed_with_property_in_limit"] += bool(
                limit is not None and limit.status == DeadlineStatus.MET and not limit.completed_late
            )
    for d in Disbursement.objects.filter(case__court_id__in=court_ids, status=DisbursementStatus.PAID,
                                         paid_at__isnull=False).select_related("receipt"):
        if a <= ld(d.paid_at) <= b:
            t["paid"] += 1
            t["paid_days"] += (ld(d.paid_at) - ld(d.receipt.received_at)).days
            t["paid_amount"] += d.amount
    nodes: dict[str, dict] = defaultdict(lambda: {"met": 0, "on_time": 0, "open_late": 0})
    t["nodes_open_late"] = 0
    for node in Deadline.objects.filter(ENDED_NODES, court_id__in=court_ids):
        if a <= ld(node.completed_at) <= b:
            on_time = node.status == DeadlineStatus.MET and not node.completed_late
            nodes[node.node]["met"] += 1
            nodes[node.node]["on_time"] += on_time
            t["nodes_met"] += 1
            t["nodes_on_time"] += on_time
    # Open nodes past their due (breached, scanned or not: SPEC §4) count as late in the on-time rate.
    for node in Deadline.objects.filter(court_id__in=court_ids, completed_at__isnull=True, due_at__lt=now,
                                     status__in=[DeadlineStatus.RUNNING, DeadlineStatus.BREACHED]):
        if a <= ld(node.due_at) <= b:
            nodes[node.node]["open_late"] += 1
            t["nodes_open_late"] += 1
    return indicators_from(t, dict(nodes))


# --- presentation: the definitions shown on the page ---------------------------------------------

DEFINITIONS = [
    (
        "closure_rate",
        gettext_lazy("执结率"),
        "rate",
        gettext_lazy("报告期内结案数 ÷（旧存案件数 + 新收案件数）。旧存：报告期前立案、期初尚未结案的案件。"),
        "",
    ),
    (
        "actual_closure_rate",
        gettext_lazy("实际执结率"),
        "rate",
        gettext_lazy(
            "报告期内以执行完毕、终结执行方式结案的案件数 ÷ 结案数（终本、撤回、不予执行、移送破产不计入分子）。"
        ),
        "[001]",
    ),
    (
        "recovery_rate",
        gettext_lazy("执行到位率"),
        "rate",
        gettext_lazy("报告期内结案案件已发放给申请执行人的案款 ÷ 这些案件的申请执行标的额。"),
        "[001]",
    ),
    (
        "average_days_to_close",
        gettext_lazy("结案平均用时"),
        "days",
        gettext_lazy("报告期内结案案件自立案至结案的自然日数之和 ÷ 结案数；首次执行案件目标 ≤ 70 日。"),
        "[001]",
    ),
    (
        "overdue_rate",
        gettext_lazy("超期率"),
        "rate",
        gettext_lazy(
            "旧存与新收案件中，法定执行期限（已扣除中止等停止计算期间）于报告期末前届满而超期结案或至今未结的"
            "案件数 ÷（旧存 + 新收）；目标 ≤ 3%。"
        ),
        "[002]",
    ),
    (
        "within_limit_rate",
        gettext_lazy("法定期限内执结率"),
        "rate",
        gettext_lazy("报告期内结案的有财产可供执行案件（发现财产或有案款到账）中，在法定执行期限内结案的比例。"),
        "[002]",
    ),
    (
        "average_days_to_pay",
        gettext_lazy("案款发放平均天数"),
        "days",
        gettext_lazy("报告期内发放的每笔案款，自到账之日至发放之日的自然日数之和 ÷ 发放笔数。"),
        "[002]；[004 §22]",
    ),
    (
        "node_on_time_overall",
        gettext_lazy("节点按期完成率"),
        "rate",
        gettext_lazy(
            "在届满时间前完成的节点数 ÷（报告期内完成的节点数 + 届满时间在报告期内、至今已超期仍未完成的节点数）；"
            "超期未完成的节点按逾期计入（分节点列示）。"
        ),
        "[004 §8]",
    ),
]
