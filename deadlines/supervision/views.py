"""Browser pages of the supervisors' dashboard (SPEC §5, §8): the alert console with its watch
lists, the indicators page with charts, and the exports. Thin: scope and reads through
``deadlines.dashboard`` / ``deadlines.metrics``, writes through the services."""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from deadlines import alert_services, services
from deadlines.models import AlertLevel, AlertStatus
from deadlines.rules_data import NODE_NAMES
from deadlines.selectors import alert_for_user, unconfirmed_next_year
from deadlines.supervision import dashboard, metrics
from enforcement.audit import audit_record, events
from enforcement.audit.events import label_events
from enforcement.errors import DomainError
from enforcement.legal import cite
from enforcement.models import Role
from enforcement.templatetags.i18n_data import mark_data

PAGE_SIZE = 25
FILTER_KEYS = ("court", "level", "node", "handler", "status", "age")
TABS = ("alerts", "limit", "review", "controls", "funds", "unidentified", "sanctions", "late", "approvals", "overrides",
        "replies", "disputes", "delegations")


def _require_dashboard(request) -> None:
    if not dashboard.may_use_dashboard(request.user):
        raise DjangoPermissionDenied(gettext("监管看板仅供专人监管人员、执行局长和系统管理员使用。"))


def _querystring(params, *, drop=()) -> str:
    return urlencode([(k, v) for k, v in params.items() if v not in ("", None) and k not in drop])


def _calendar_warning(user) -> str:
    """SPEC §3: until next year's holidays are loaded, deadlines crossing into it are provisional."""
    if not user.has_role(Role.ADMIN, Role.SUPERVISOR, Role.BUREAU_HEAD):
        return ""
    year = unconfirmed_next_year()
    return gettext("%(year)s 年节假日安排尚未载入，跨年期限为暂定。") % {"year": year} if year else ""


# --- alert console ---------------------------------------------------------------------------

@login_required
@require_GET
def console(request):
    _require_dashboard(request)
    scope = dashboard.dashboard_scope(request.user, request.GET.get("court") or None)
    f = dashboard.AlertFilters.parse(request.GET)
    now = timezone.now()
    tab = request.GET.get("tab", "alerts")
    if tab not in TABS:
        tab = "alerts"
    groups = dashboard.alert_groups(scope, f.status, now=now)
    counts = dashboard.alert_counts(scope, f, now=now, groups=groups)
    qs = dashboard.alert_page_rows(dashboard.alerts_in_scope(scope, f, now=now))
    page = dashboard.page_of(qs, request.GET.get("page"), PAGE_SIZE, count=counts["total"])
    for a in page.object_list:
        a.node_name = NODE_NAMES.get(a.node, a.node)
        a.overdue = a.deadline.due_at < now
        a.days_overdue = dashboard.days_overdue(a.deadline.due_at, now)
        a.days_left = max((timezone.localdate(a.deadline.due_at) - timezone.localdate(now)).days, 0)
        a.prompt_to = dashboard.alert_handler(a)
    filters = {k: request.GET.get(k, "") for k in FILTER_KEYS}
    lists = dashboard.watch_lists(scope, now=now, detail=tab, page=request.GET.get("page") if tab != "alerts" else 1)
    live = dashboard.live_counts(scope, now=now, groups=groups if f.status == AlertStatus.OPEN else None)
    for w in lists:
        if w.code == "late":
            for e in label_events(w.rows):
                # The detail quotes the record (names, numbers, step names): data on the English page.
                e.label = format_html("{} {}", e.label, mark_data(e.detail)) if e.detail else e.label
    return render(request, "dashboard/console.html", {
        "scope": scope,
        "filters": filters,
        "filter_errors": f.errors,
        "f": f,
        "counts": counts,
        "page": page,
        "tab": tab,
        "watch_lists": lists,
        "current": next((w for w in lists if w.code == tab), None),
        "live": live,
        "live_levels": [(v, label, live["levels"][v]) for v, label in AlertLevel.choices],
        "query": _querystring(filters | {"tab": tab}),
        "query_without_page": _querystring(filters | {"tab": tab}),
        "scope_query": _querystring({"court": filters["court"]}),
        "level_choices": AlertLevel.choices,
        "status_choices": [*AlertStatus.choices, ("all", gettext("全部"))],
        "node_choices": sorted(NODE_NAMES.items()),
        "age_choices": [(c, label) for c, label, *_ in dashboard.AGE_BUCKETS],
        "handlers": dashboard.handlers_in_scope(scope),
        "calendar_warning": _calendar_warning(request.user),
        "now": now,
    })


@login_required
@require_GET
def counts(request):
    """Live counts polled by static/js/dashboard.js every 30 s."""
    _require_dashboard(request)
    scope = dashboard.dashboard_scope(request.user, request.GET.get("court") or None)
    return JsonResponse(dashboard.live_counts(scope))


ACTIONS = {
    "acknowledge": (
        gettext_lazy("确认预警"),
        lambda a, u, note: services.alert_acknowledge(alert=a, actor=u, note=note),
    ),
    "prompt": (gettext_lazy("督促承办人"), lambda a, u, note: alert_services.alert_prompt(alert=a, actor=u, note=note)),
    "escalate": (
        gettext_lazy("升级报告执行局长"),
        lambda a, u, note: alert_services.alert_escalate(alert=a, actor=u, note=note),
    ),
}


def _back(request) -> str:
    """Back to the console with the filters the action was taken under (only our own querystring)."""
    qs = request.POST.get("return_query", "")
    return reverse("dashboard") + (f"?{qs}" if qs and "//" not in qs else "")


@login_required
@require_POST
def alert_action(request, pk: int, action: str):
    _require_dashboard(request)
    if action not in ACTIONS:
        raise DjangoPermissionDenied(gettext("未知操作。"))
    alert = alert_for_user(user=request.user, pk=pk)
    label, fire = ACTIONS[action]
    try:
        fire(alert, request.user, request.POST.get("note", ""))
    except DomainError as exc:
        errors = getattr(exc, "errors", None)
        detail = gettext("；").join(m for msgs in errors.values() for m in msgs) if errors else exc.detail
        messages.error(request, gettext("%(label)s未成功：%(detail)s") % {"label": label, "detail": detail})
    else:
        number = alert.case.number if alert.case is not None else gettext("预警 #%(pk)s") % {"pk": alert.pk}
        messages.success(
            request,
            gettext("已%(label)s：%(number)s %(value)s。")
            % {"label": label, "number": number, "value": NODE_NAMES.get(alert.node, alert.node)},
        )
    return redirect(_back(request))


# --- indicators --------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    court = forms.IntegerField(required=False, label=gettext_lazy("法院"))
    start = forms.DateField(label=gettext_lazy("起始日期"), required=False)
    end = forms.DateField(label=gettext_lazy("截止日期"), required=False)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["start"] = data.get("start") or date(today.year, 1, 1)
        data["end"] = data.get("end") or today
        if data["start"] > data["end"]:
            self.add_error("start", gettext("起始日期不能晚于截止日期。"))
        return data


def _period_request(request) -> tuple[PeriodForm, dashboard.Scope, metrics.Period | None]:
    params = request.GET.copy()
    # The page and the API share names: from/to in the querystring.
    params.setdefault("start", request.GET.get("from", ""))
    params.setdefault("end", request.GET.get("to", ""))
    form = PeriodForm(params)
    valid = form.is_valid()
    scope = dashboard.dashboard_scope(request.user, form.cleaned_data.get("court") if valid else None)
    period = metrics.Period(form.cleaned_data["start"], form.cleaned_data["end"]) if valid else None
    return form, scope, period


def _rate_text(v) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _value_text(kind: str, v) -> str:
    if v is None:
        return "—"
    return _rate_text(v) if kind == "rate" else gettext("%(v)s 日") % {"v": f"{v:.1f}"}


def _f(v: float) -> str:
    return f"{v:.1f}"


def month_label(month: str) -> str:
    """ "2026-01" (the API's month) → "2026年1月" (the page's)."""
    year, _, m = month.partition("-")
    return gettext("%(year)s年%(value)s月") % {"year": year, "value": int(m)} if m.isdigit() else month


def svg_trend(points: list[tuple[str, float | None]], kind: str, *, target: float | None = None) -> str:
    """A small server-rendered bar chart by month (no JS chart library). Empty months are gaps."""
    w, h, pad_l, pad_b, pad_t = 560, 150, 44, 22, 12
    values = [v for _, v in points if v is not None]
    top = max([*values, target or 0, 0.0001])
    top = max(top, 0.05) if kind == "rate" else max(top, 10.0)
    n = max(len(points), 1)
    slot = (w - pad_l - 8) / n
    bar = max(min(slot * 0.6, 36), 3)
    ys = lambda v: pad_t + (h - pad_t - pad_b) * (1 - v / top)  # noqa: E731
    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>', pad_l, h - pad_b, w - 4, h - pad_b)]
    for frac in (0.5, 1.0):
        y = ys(top * frac)
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="grid"/>', pad_l, _f(y), w - 4, _f(y)))
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>',
                pad_l - 4,
                _f(y + 4),
                _value_text(kind, top * frac).replace(gettext(" 日"), ""),
            )
        )
    if target is not None:
        y = ys(target)
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="target"/>', pad_l, _f(y), w - 4, _f(y)))
        parts.append(
            format_html(
                gettext('<text x="{}" y="{}" class="tick target-label" text-anchor="end">目标</text>'), w - 6, _f(y - 3)
            )
        )
    every = max(1, round(n / 6))
    for i, (label, v) in enumerate(points):
        x = pad_l + slot * i + (slot - bar) / 2
        if v is not None:
            y = ys(v)
            bad = target is not None and v > target
            parts.append(
                format_html(
                    gettext('<rect x="{}" y="{}" width="{}" height="{}" class="bar{}"><title>{}：{}</title></rect>'),
                    _f(x),
                    _f(y),
                    _f(bar),
                    _f(max(h - pad_b - y, 0.5)),
                    " bar-bad" if bad else "",
                    label,
                    _value_text(kind, v),
                )
            )
        if i % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>', _f(x + bar / 2), h - 6, label
                )
            )
    return format_html(
        gettext('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="按月趋势">{}</svg>'),
        w,
        h,
        mark_safe("".join(parts)),
    )


def svg_bar(v: float | None, top: float, *, bad: bool = False) -> str:
    if v is None or top <= 0:
        return ""
    width = max(min(v / top, 1), 0) * 100
    return format_html(
        '<svg class="mini-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">'
        '<rect x="0" y="0" width="100" height="8" class="mini-bg"/>'
        '<rect x="0" y="0" width="{}" height="8" class="mini-fg{}"/></svg>',
        _f(width),
        " mini-bad" if bad else "",
    )


TARGETS = {"average_days_to_close": None, "overdue_rate": float(metrics.OVERDUE_TARGET)}


def _indicator_cards(data: dict) -> list[dict]:
    cards = []
    for key, name, kind, definition, source in metrics.DEFINITIONS:
        item = data[key]
        target = TARGETS.get(key)
        points = [(month_label(m["month"]), m[key]["value"]) for m in data["trend"]]
        if key == "average_days_to_close":
            target = metrics.FIRST_ENFORCEMENT_TARGET_DAYS
        cards.append(
            {
                "key": key,
                "name": name,
                "kind": kind,
                "definition": definition,
                "source": source,
                "value": _value_text(kind, item["value"]),
                "item": item,
                "chart": svg_trend(points, kind, target=target),
            }
        )
    return cards


COMPARE = [
    ("closure_rate", gettext_lazy("执结率"), "rate"),
    ("actual_closure_rate", gettext_lazy("实际执结率"), "rate"),
    ("recovery_rate", gettext_lazy("执行到位率"), "rate"),
    ("average_days_to_close", gettext_lazy("结案平均用时"), "days"),
    ("overdue_rate", gettext_lazy("超期率"), "rate"),
    ("within_limit_rate", gettext_lazy("法定期限内执结率"), "rate"),
    ("average_days_to_pay", gettext_lazy("案款发放平均天数"), "days"),
]


def _comparison(courts: list[dict]) -> dict:
    tops = {k: max([c[k]["value"] or 0 for c in courts] or [0]) for k, *_ in COMPARE}
    rows = []
    for c in courts:
        cells = []
        for k, _name, kind in COMPARE:
            v = c[k]["value"]
            bad = k == "overdue_rate" and v is not None and v > float(metrics.OVERDUE_TARGET)
            top = 1.0 if kind == "rate" else tops[k]
            cells.append({"text": _value_text(kind, v), "bar": svg_bar(v, top, bad=bad), "bad": bad})
        rows.append(
            {
                "name": c["court_name"],
                "id": c["court"],
                "cells": cells,
                "cases": c["closure_rate"]["carried_over"] + c["closure_rate"]["filed"],
            }
        )
    return {"heads": [name for _k, name, _kind in COMPARE], "rows": rows}


@login_required
@require_GET
def metrics_page(request):
    _require_dashboard(request)
    form, scope, period = _period_request(request)
    ctx = {"form": form, "scope": scope, "calendar_warning": _calendar_warning(request.user)}
    if period is not None:
        refreshed = metrics.ensure_stats()
        data = metrics.indicators(court_ids=scope.court_ids, period=period)
        ctx.update(
            {
                "period": period,
                "data": data,
                "cards": _indicator_cards(data),
                "refreshed": refreshed,
                "comparison": _comparison(data["courts"]),
                "nodes": [
                    {"code": k, **v, "text": _rate_text(v["value"]), "bar": svg_bar(v["value"], 1.0)}
                    for k, v in data["node_on_time"].items()
                ],
                "export_query": _querystring(
                    {
                        "court": scope.court.pk if scope.court else "",
                        "from": period.start.isoformat(),
                        "to": period.end.isoformat(),
                    }
                ),
            }
        )
    return render(request, "dashboard/metrics.html", ctx, status=200 if period is not None else 400)


EXPORT_HEAD = [
    gettext_lazy("法院"),
    gettext_lazy("指标"),
    gettext_lazy("数值"),
    gettext_lazy("分子/合计"),
    gettext_lazy("分母"),
    gettext_lazy("口径说明"),
]
# Rows of the export whose value is a rate (a fraction 0–1, typed as a percentage in Excel).
RATE_NAMES = (
    gettext_lazy("执结率"),
    gettext_lazy("实际执结率"),
    gettext_lazy("执行到位率"),
    gettext_lazy("超期率"),
    gettext_lazy("法定期限内执结率"),
    gettext_lazy("节点按期完成率"),
)


def _export_rows(scope: dashboard.Scope, period: metrics.Period, data: dict) -> list[list]:
    rows = [
        [gettext("统计范围"), scope.court.name if scope.court else gettext("本人监管范围"), "", "", "", ""],
        [gettext("统计期间"), gettext("起止日期"), period.start, period.end, "", ""],
        EXPORT_HEAD,
    ]

    def lines(court_name, d, with_nodes):
        out = [
            [
                court_name,
                gettext("执结率"),
                d["closure_rate"]["value"],
                d["closure_rate"]["closed"],
                d["closure_rate"]["carried_over"] + d["closure_rate"]["filed"],
                metrics.DEFINITIONS[0][3],
            ],
            [
                court_name,
                gettext("实际执结率"),
                d["actual_closure_rate"]["value"],
                d["actual_closure_rate"]["closed_actual"],
                d["actual_closure_rate"]["closed"],
                metrics.DEFINITIONS[1][3],
            ],
            [
                court_name,
                gettext("执行到位率"),
                d["recovery_rate"]["value"],
                d["recovery_rate"]["paid"],
                d["recovery_rate"]["claim"],
                metrics.DEFINITIONS[2][3],
            ],
            [
                court_name,
                gettext("结案平均用时（日）"),
                d["average_days_to_close"]["value"],
                d["average_days_to_close"]["days"],
                d["average_days_to_close"]["closed"],
                metrics.DEFINITIONS[3][3],
            ],
            [
                court_name,
                gettext("首次执行案件结案平均用时（日）"),
                d["average_days_to_close"]["first_enforcement"]["value"],
                d["average_days_to_close"]["first_enforcement"]["days"],
                d["average_days_to_close"]["first_enforcement"]["closed"],
                cite(gettext("目标 ≤ 70 日（[001]）")),
            ],
            [
                court_name,
                gettext("超期率"),
                d["overdue_rate"]["value"],
                d["overdue_rate"]["overdue"],
                d["overdue_rate"]["cases"],
                metrics.DEFINITIONS[4][3],
            ],
            [
                court_name,
                gettext("法定期限内执结率"),
                d["within_limit_rate"]["value"],
                d["within_limit_rate"]["within_limit"],
                d["within_limit_rate"]["closed_with_property"],
                metrics.DEFINITIONS[5][3],
            ],
            [
                court_name,
                gettext("案款发放平均天数（日）"),
                d["average_days_to_pay"]["value"],
                d["average_days_to_pay"]["days"],
                d["average_days_to_pay"]["paid"],
                metrics.DEFINITIONS[6][3],
            ],
        ]
        if with_nodes:
            for v in d["node_on_time"].values():
                out.append(
                    [
                        court_name,
                        gettext("节点按期完成率：%(value)s") % {"value": v["name"]},
                        v["value"],
                        v["on_time"],
                        v["met"] + v["open_late"],
                        metrics.DEFINITIONS[7][3],
                    ]
                )
        return out

    rows += lines(gettext("合计（含下级法院）"), data, True)
    for c in data["courts"]:
        rows += lines(c["court_name"], c, False)
    # Translated labels arrive lazy; a spreadsheet cell takes plain text.
    return [[str(v) if isinstance(v, Promise) else v for v in r] for r in rows]  # type: ignore[attr-defined]  # rows are lists; mypy infers object from the mixed list above


@login_required
@require_GET
def metrics_export(request, fmt: str):
    _require_dashboard(request)
    form, scope, period = _period_request(request)
    if period is None:
        detail = gettext("；").join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(
            gettext("统计期间有误：%(detail)s") % {"detail": detail},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    metrics.ensure_stats()
    data = metrics.indicators(court_ids=scope.court_ids, period=period, trend=False)
    rows = _export_rows(scope, period, data)
    name = gettext("执行质效指标_%(start)s-%(end)s") % {
        "start": f"{period.start:%Y%m%d}",
        "end": f"{period.end:%Y%m%d}",
    }
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
        csv.writer(buf).writerows(
            ["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in r] for r in rows
        )
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
        filename = f"{name}.csv"
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = gettext("执行质效指标")
        for r in rows:
            ws.append(["" if v is None else (float(v) if isinstance(v, str) and _is_number(v) else v) for v in r])
            row = ws[ws.max_row]
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"  # a date cell, not text
            if str(r[1]).startswith(tuple(map(str, RATE_NAMES))) and isinstance(row[2].value, float):
                row[2].number_format = "0.00%"  # the rate as a percentage, its value still the fraction
        for cell in ws[3]:
            cell.font = Font(bold=True)
        for col, width in zip("ABCDEF", (26, 30, 10, 14, 12, 80), strict=True):
            ws.column_dimensions[col].width = width
        out = io.BytesIO()
        wb.save(out)
        resp = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{name}.xlsx"
    audit_record(
        actor=request.user,
        action=events.METRICS_EXPORT,
        object_type="deadlines.metrics",
        object_id=scope.court.pk if scope.court else "scope",
        court=scope.court.pk if scope.court else request.user.court_id,
        after={
            "format": fmt,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "courts": scope.court_ids,
        },
    )
    from urllib.parse import quote

    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def _is_number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True
