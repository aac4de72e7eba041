"""``GET /api/v1/metrics/`` — the SPEC §8 core indicators for a court's subtree and a period, the
same figures as the dashboard page (both read ``deadlines.metrics.indicators``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from deadlines.supervision import dashboard, metrics
from enforcement.drf import validate
from enforcement.errors import InvalidInput, PermissionDenied


class MetricsQuery(serializers.Serializer):
    court = serializers.IntegerField(required=False, min_value=1,
                                     error_messages={"invalid": _("须为法院 id。")})
    # ``from`` is a Python keyword: the field is declared under its own name below.
    to = serializers.DateField(required=False, error_messages={"invalid": _("日期格式应为 YYYY-MM-DD。")})

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, error_messages={"invalid": gettext("日期格式应为 YYYY-MM-DD。")}
        )
        return fields

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("from", today.replace(month=1, day=1))
        attrs.setdefault("to", today)
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": [gettext("起始日期不能晚于截止日期。")]})
        return attrs


# --- response shape (documentation: every rate a fraction 0–1 or null, with what it is made of) ---


class _Rate(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text=_("0–1；分母为 0 时为 null"))


class ClosureRate(_Rate):
    closed = serializers.IntegerField(help_text=_("期内结案数"))
    carried_over = serializers.IntegerField(help_text=_("旧存：期前立案、期初未结"))
    filed = serializers.IntegerField(help_text=_("期内新收"))


class ActualClosureRate(_Rate):
    closed_actual = serializers.IntegerField(help_text=_("执行完毕 + 终结执行"))
    closed = serializers.IntegerField()


class RecoveryRate(_Rate):
    paid = serializers.DecimalField(max_digits=18, decimal_places=2, help_text=_("期内结案案件已发放案款"))
    claim = serializers.DecimalField(max_digits=18, decimal_places=2, help_text=_("期内结案案件申请执行标的"))


class FirstEnforcement(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    days = serializers.IntegerField()
    closed = serializers.IntegerField()
    target = serializers.IntegerField(help_text=_("70 日 [001]"))


class AverageDaysToClose(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text=_("日；无结案时为 null"))
    days = serializers.IntegerField()
    closed = serializers.IntegerField()
    first_enforcement = FirstEnforcement()


class OverdueRate(_Rate):
    overdue = serializers.IntegerField()
    cases = serializers.IntegerField(help_text=_("旧存 + 新收"))
    target = serializers.FloatField(help_text="0.03 [002]")


class WithinLimitRate(_Rate):
    within_limit = serializers.IntegerField()
    closed_with_property = serializers.IntegerField()


class AverageDaysToPay(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    days = serializers.IntegerField()
    paid = serializers.IntegerField(help_text=_("期内发放笔数"))
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)


class NodeRate(_Rate):
    name = serializers.CharField(required=False)
    on_time = serializers.IntegerField()
    met = serializers.IntegerField()
    open_late = serializers.IntegerField(help_text=_("届满时间在期间内、至今超期仍未完成的节点数（计入分母）"))


class _Indicators(serializers.Serializer):
    closure_rate = ClosureRate()
    actual_closure_rate = ActualClosureRate()
    recovery_rate = RecoveryRate()
    average_days_to_close = AverageDaysToClose()
    overdue_rate = OverdueRate()
    within_limit_rate = WithinLimitRate()
    average_days_to_pay = AverageDaysToPay()
    node_on_time_overall = NodeRate()


class CourtIndicators(_Indicators):
    court = serializers.IntegerField()
    court_name = serializers.CharField()


class MonthIndicators(_Indicators):
    month = serializers.CharField(help_text="YYYY-MM")
    to = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields


class MetricsResponse(_Indicators):
    court = serializers.IntegerField(allow_null=True)
    court_name = serializers.CharField()
    to = serializers.DateField()
    courts_included = serializers.ListField(child=serializers.IntegerField())
    as_of = serializers.DateTimeField(help_text=_("汇总表刷新时间"))
    node_on_time = serializers.DictField(child=NodeRate(), help_text=_("按节点代码"))
    courts = CourtIndicators(many=True, help_text=_("子树内各法院（仅本院案件）"))
    trend = MonthIndicators(many=True, help_text=_("按月"))

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields


class MetricsView(APIView):
    @extend_schema(
        summary="核心指标（SPEC §8）",
        description=gettext(
            "court 及其下级法院在 [from, to]（含两端，本地日期）内的核心指标。"
            "各比率为 0–1 的小数，分母为 0 时 "
            "value 为 null；每项附带计算所用的件数或金额。court 不在调用者监管范围内时 404。"
        ),
        parameters=[
            OpenApiParameter("court", int, description=gettext("法院 id（默认：本人所属法院）")),
            OpenApiParameter("from", str, description=gettext("起始日期 YYYY-MM-DD（默认：当年 1 月 1 日）")),
            OpenApiParameter("to", str, description=gettext("截止日期 YYYY-MM-DD（默认：今天）")),
        ],
        responses=MetricsResponse,
    )
    def get(self, request):
        if not dashboard.may_use_dashboard(request.user):
            raise PermissionDenied(gettext("核心指标仅供专人监管人员、执行局长和系统管理员查看。"))
        q = validate(MetricsQuery, request.query_params)
        court_id = q.get("court", request.user.court_id)
        if court_id is None:
            raise InvalidInput({"court": [gettext("请指定法院。")]})
        scope = dashboard.dashboard_scope(request.user, court_id)
        refreshed = metrics.ensure_stats()
        period = metrics.Period(q["from"], q["to"])
        data = metrics.indicators(court_ids=scope.court_ids, period=period)
        return Response(
            {
                "court": scope.court.pk,
                "court_name": scope.court.name,
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "courts_included": scope.court_ids,
                "as_of": timezone.localtime(refreshed.finished_at).isoformat(),
                **data,
            }
        )
