"""Browser pages of the rule what-if (SPEC §11b): the drafts, one draft with its rules, its replay
(with progress while a long one runs in the worker) and report, the exports, adoption. Thin: writes
through ``deadlines.whatif.services``; the report is the one the replay stored on the draft."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deadlines.models import DraftRule, DraftStatus, RuleDraft, RunStatus, Unit
from deadlines.rules_data import EVENTS, NODE_NAMES
from deadlines.whatif import services as wi
from enforcement.audit import audit_record, events
from enforcement.errors import DomainError, InvalidInput
from enforcement.models import Court, Role
from enforcement.selectors import court_ids_visible_to

LIST_LIMIT = 50  # rows of added / removed breaches shown on the page; the exports carry all


def _require_drafter(request) -> None:
    if not (request.user.is_superuser or request.user.has_role(*wi.DRAFT_ROLES)):
        raise DjangoPermissionDenied(gettext("规则推演仅供系统管理员、执行局长和专人监管人员使用。"))


def _draft_courts(user):
    return Court.objects.filter(pk__in=court_ids_visible_to(user), level__in=wi.DRAFT_COURT_LEVELS).order_by("path")


def _drafts_visible(user):
    return RuleDraft.objects.filter(court_id__in=court_ids_visible_to(user)).select_related("court", "created_by")


def _form_errors(form, exc: InvalidInput) -> None:
    for field, errs in exc.errors.items():
        for e in errs:
            form.add_error(field if field in form.fields else None, e)


def _last_year() -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


class DraftForm(forms.Form):
    court = forms.ModelChoiceField(label=_("适用法院（含下级法院）"), queryset=Court.objects.none())
    name = forms.CharField(label=_("草案名称"), max_length=200)
    period_from = forms.DateField(label=_("推演期间自（立案日期）"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=_("至（含当日）"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = _draft_courts(user)


class RuleForm(forms.Form):
    node = forms.ChoiceField(label=_("节点"), choices=sorted(NODE_NAMES.items(), key=lambda kv: str(kv[1])))
    start_event = forms.ChoiceField(label=_("起算事件"), choices=list(EVENTS.items()))
    period = forms.IntegerField(label=_("期间"), min_value=0, max_value=3650)
    unit = forms.ChoiceField(label=_("单位"), choices=Unit.choices)


class AdoptForm(forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@require_http_methods(["GET", "POST"])
def draft_list(request):
    _require_drafter(request)
    start, end = _last_year()
    form = DraftForm(request.POST or None, user=request.user,
                     initial={"period_from": start, "period_to": end, "court": request.user.court_id})
    if request.method == "POST" and form.is_valid():
        try:
            d = wi.draft_create(actor=request.user, court=form.cleaned_data["court"], name=form.cleaned_data["name"],
                                period_from=form.cleaned_data["period_from"],
                                period_to=form.cleaned_data["period_to"], note=form.cleaned_data["note"])
        except InvalidInput as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(
                request, gettext("已创建草案“%(name)s”，并复制了该法院现行的全部期限规则。") % {"name": d.name}
            )
            return redirect("whatif-draft", pk=d.pk)
    drafts = list(_drafts_visible(request.user).prefetch_related("rules__origin"))
    for d in drafts:
        d.changed_count = sum(r.changed for r in d.rules.all())
    return render(
        request,
        "dashboard/whatif_list.html",
        {
            "form": form,
            "drafts": drafts,
            "may_create": _draft_courts(request.user).exists(),
        },
    )


def _draft_or_404(request, pk) -> RuleDraft:
    draft = _drafts_visible(request.user).filter(pk=pk).first()
    if draft is None:
        raise Http404(gettext("未找到该规则草案。"))
    return draft


def _month_label(m: str) -> str:
    y, mo = m.split("-")
    return gettext("%(y)s年%(value)s月") % {"y": y, "value": int(mo)}


def _f(v: float) -> str:
    return f"{v:.1f}"


def svg_months(rows: list[dict]) -> str:
    """Breaches the draft would add (red) and remove (green) per month of filing: paired bars."""
    if not rows:
        return ""
    w, h, pad_l, pad_b, pad_t = 560, 160, 36, 24, 12
    top = max([max(r["breaches_added"], r["breaches_removed"]) for r in rows] + [1])
    slot = (w - pad_l - 8) / len(rows)
    bar = max(min(slot * 0.35, 24), 3)
    ys = lambda v: pad_t + (h - pad_t - pad_b) * (1 - v / top)  # noqa: E731
    parts = [
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>', pad_l, h - pad_b, w - 4, h - pad_b),
        format_html('<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>', pad_l - 4, pad_t + 4, top),
    ]
    for i, r in enumerate(rows):
        x = pad_l + slot * i + (slot - 2 * bar) / 2
        label = _month_label(r["month"])
        for j, (key, cls, what) in enumerate(
            (
                ("breaches_added", "bar bar-bad", gettext("新增超期")),
                ("breaches_removed", "bar bar-good", gettext("减少超期")),
            )
        ):
            v = r[key]
            y = ys(v)
            parts.append(
                format_html(
                    gettext('<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}{}：{} 个</title></rect>'),
                    _f(x + j * bar),
                    _f(y),
                    _f(bar),
                    _f(max(h - pad_b - y, 0.5)),
                    cls,
                    label,
                    what,
                    v,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>',
                _f(x + bar),
                h - 8,
                label[5:] if len(rows) > 6 else label,
            )
        )
    return format_html(
        gettext('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="按立案月份的超期变化">{}</svg>'),
        w,
        h,
        mark_safe("".join(parts)),
    )


def _report_context(report: dict | None) -> dict:
    if not report:
        return {}

    def local(items):
        out = []
        for i in items[:LIST_LIMIT]:
            out.append(
                {
                    **i,
                    "node_name": NODE_NAMES.get(i["node"], i["node"]),
                    "due_dt": parse_datetime(i["due"]),
                    "live_due_dt": parse_datetime(i["live_due"]),
                    "done_dt": parse_datetime(i["done_at"]) if i["done_at"] else None,
                }
            )
        return out

    return {
        "r": report,
        "added_rows": local(report["added"]),
        "removed_rows": local(report["removed"]),
        "chart": svg_months(report["by_month"]),
        "list_limit": LIST_LIMIT,
        "generated": parse_datetime(report["generated_at"]),
    }


@login_required
@require_GET
def draft_detail(request, pk):
    _require_drafter(request)
    draft = _draft_or_404(request, pk)
    rules = list(draft.rules.select_related("origin").order_by("node", "id"))
    for r in rules:
        r.node_name = NODE_NAMES.get(r.node, r.node)
        r.event_name = EVENTS.get(r.start_event, r.start_event)
    running = draft.run_status in (RunStatus.QUEUED, RunStatus.RUNNING)
    return render(
        request,
        "dashboard/whatif_draft.html",
        {
            "draft": draft,
            "rules": rules,
            "changed_count": sum(r.changed for r in rules),
            "running": running,
            "add_form": RuleForm(prefix="add"),
            "adopt_form": AdoptForm(initial={"effective_from": timezone.localdate() + timedelta(days=1)}),
            "events": list(EVENTS.items()),
            "units": Unit.choices,
            "editable": draft.status == DraftStatus.DRAFT,
            "may_adopt": request.user.is_superuser or request.user.has_role(*wi.ADOPT_ROLES),
            **_report_context(draft.report if draft.run_status == RunStatus.DONE or draft.report else None),
        },
    )


def _back(pk):
    return redirect(reverse("whatif-draft", args=[pk]))


def _act(request, pk, fn, ok: str, anchor: str = ""):
    try:
        fn()
    except DomainError as exc:
        detail = exc.detail
        if isinstance(exc, InvalidInput):
            detail = gettext("；").join(e for errs in exc.errors.values() for e in errs) or exc.detail
        messages.error(request, detail)
    else:
        messages.success(request, ok)
    resp = _back(pk)
    if anchor:
        resp["Location"] += f"#{anchor}"
    return resp


@login_required
@require_POST
def draft_rule(request, pk, rule_pk):
    _require_drafter(request)
    draft = _draft_or_404(request, pk)
    rule = get_object_or_404(DraftRule, pk=rule_pk, draft=draft)
    if request.POST.get("action") == "reset":
        return _act(
            request,
            pk,
            lambda: wi.draft_rule_remove(actor=request.user, rule=rule),
            gettext("已撤销对该规则的修改。") if rule.origin_id else gettext("已删除新增的规则。"),
            "rules",
        )
    form = RuleForm({"node": rule.node, **request.POST.dict()})
    if not form.is_valid():
        messages.error(request, gettext("；").join(e for errs in form.errors.values() for e in errs))
        return _back(pk)
    c = form.cleaned_data
    return _act(
        request,
        pk,
        lambda: wi.draft_rule_change(
            actor=request.user, rule=rule, period=c["period"], unit=c["unit"], start_event=c["start_event"]
        ),
        gettext("已修改“%(value)s”的期间。") % {"value": NODE_NAMES.get(rule.node, rule.node)},
        "rules",
    )


@login_required
@require_POST
def draft_rule_add(request, pk):
    _require_drafter(request)
    draft = _draft_or_404(request, pk)
    form = RuleForm(request.POST, prefix="add")
    if not form.is_valid():
        messages.error(
            request, gettext("新增规则有误：") + gettext("；").join(e for errs in form.errors.values() for e in errs)
        )
        return _back(pk)
    c = form.cleaned_data
    return _act(
        request,
        pk,
        lambda: wi.draft_rule_add(
            actor=request.user,
            draft=draft,
            node=c["node"],
            start_event=c["start_event"],
            period=c["period"],
            unit=c["unit"],
        ),
        gettext("已新增“%(value)s”规则。") % {"value": NODE_NAMES[c["node"]]},
        "rules",
    )


@login_required
@require_POST
def draft_run(request, pk):
    _require_drafter(request)
    draft = _draft_or_404(request, pk)
    result = {}

    def run():
        result["draft"] = wi.draft_run(actor=request.user, draft=draft)

    resp = _act(request, pk, run, gettext("推演已完成。"), "report")
    if result.get("draft") and result["draft"].run_status == RunStatus.QUEUED:
        messages.info(request, gettext("案件较多，推演已在后台进行，本页会自动刷新进度。"))
    return resp


@login_required
@require_POST
def draft_adopt(request, pk):
    _require_drafter(request)
    draft = _draft_or_404(request, pk)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写有效的生效日期。"))
        return _back(pk)
    day = form.cleaned_data["effective_from"]
    return _act(
        request,
        pk,
        lambda: wi.draft_adopt(actor=request.user, draft=draft, effective_from=day),
        gettext("草案已采用为规则集，自 %(day)s 起对新起算的期限生效；此前起算的期限不受影响。")
        % {"day": f"{day:%Y年%-m月%-d日}"},
    )


def _minute(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _export_rows(draft: RuleDraft, report: dict) -> list[list]:
    rows = [
        [
            gettext("规则推演：%(name)s") % {"name": draft.name},
            gettext("%(value)s及下级法院") % {"value": report["court_name"]},
            gettext("立案 %(value)s 至 %(value2)s") % {"value": report["from"], "value2": report["to"]},
            gettext("案件 %(value)s 件") % {"value": report["cases"]},
            gettext("期限 %(value)s 个") % {"value": report["deadlines"]},
        ],
        [],
        [gettext("按节点")],
        [
            gettext("节点"),
            gettext("期限数"),
            gettext("改变届满"),
            gettext("现行规则下超期"),
            gettext("草案下超期"),
            gettext("新增超期"),
            gettext("减少超期"),
            gettext("富余天数中位数（草案）"),
            gettext("富余天数中位数（现行）"),
        ],
    ]
    for n in report["by_node"]:
        rows.append(
            [
                n["name"],
                n["deadlines"],
                n["retimed"],
                n["breaches_live"],
                n["breaches_draft"],
                n["breaches_added"],
                n["breaches_removed"],
                n["median_slack_days"],
                n["median_slack_days_live"],
            ]
        )
    rows += [[], [gettext("按承办法官")], [gettext("承办法官"), gettext("新增超期"), gettext("减少超期")]]
    rows += [[j["judge_name"], j["breaches_added"], j["breaches_removed"]] for j in report["by_judge"]]
    rows += [[], [gettext("按立案月份")], [gettext("月份"), gettext("新增超期"), gettext("减少超期")]]
    rows += [[_month_label(m["month"]), m["breaches_added"], m["breaches_removed"]] for m in report["by_month"]]
    for title, items in ((gettext("新增超期明细"), report["added"]), (gettext("减少超期明细"), report["removed"])):
        rows += [
            [],
            [title],
            [
                gettext("案号"),
                gettext("节点"),
                gettext("承办法官"),
                gettext("草案届满"),
                gettext("现行届满"),
                gettext("完成/终止时间"),
            ],
        ]
        rows += [
            [
                i["case_number"],
                NODE_NAMES.get(i["node"], i["node"]),
                i["judge_name"],
                _minute(i["due"]),
                _minute(i["live_due"]),
                _minute(i["done_at"]) if i["done_at"] else gettext("尚未完成"),
            ]
            for i in items
        ]
    return rows


@login_required
@require_GET
def draft_export(request, pk, fmt: str):
    _require_drafter(request)
    draft = _draft_or_404(request, pk)
    if not draft.report:
        raise Http404(gettext("该草案尚无推演结果。"))
    rows = _export_rows(draft, draft.report)
    name = gettext("规则推演_%(name)s") % {"name": draft.name}
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")
        csv.writer(buf).writerows(["" if v is None else v for v in r] for r in rows)
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
        filename = f"{name}.csv"
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = gettext("规则推演")
        for r in rows:
            ws.append(["" if v is None else v for v in r])
        ws["A1"].font = Font(bold=True)
        for col, width in zip("ABCDEFGHI", (28, 16, 14, 18, 18, 18, 12, 20, 20), strict=True):
            ws.column_dimensions[col].width = width
        out = io.BytesIO()
        wb.save(out)
        resp = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{name}.xlsx"
    audit_record(
        actor=request.user, action=events.RULEDRAFT_EXPORT, obj=draft, court=draft.court_id, after={"format": fmt}
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def may_use_whatif(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN, Role.BUREAU_HEAD, Role.SUPERVISOR))
