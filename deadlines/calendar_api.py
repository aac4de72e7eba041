"""REST: compute a due date by the court's calendar (SPEC §3, §13). Read-only, any signed-in user."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.drf import validate
from enforcement.errors import InvalidInput, NotFound
from enforcement.selectors import courts_visible_to

from .calendar import Unit, calendar_for, compute_due, to_shanghai

MAX_PERIOD = 10000


class StartField(serializers.Field):
    """An ISO date (00:00 Asia/Shanghai of that day) or an ISO datetime (naive = Asia/Shanghai)."""

    default_error_messages = {"invalid": "应为 ISO 日期或时间，如 2026-09-29 或 2026-10-01T10:00:00+08:00。"}

    def to_internal_value(self, data) -> datetime:
        value = str(data).strip()
        parsed: date | datetime | None
        try:
            parsed = parse_datetime(value) if ("T" in value or " " in value) else parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        return to_shanghai(parsed)

    def to_representation(self, value):
        return value.isoformat()


class DueQuery(serializers.Serializer):
    start = StartField()
    period = serializers.IntegerField(min_value=0, max_value=MAX_PERIOD, required=False)
    unit = serializers.ChoiceField(choices=[u.value for u in Unit],
                                   error_messages={"invalid_choice": "期限单位“{input}”无效，可选："
                                                   + "、".join(u.value for u in Unit) + "。"})
    court = serializers.IntegerField(min_value=1, required=False)

    def validate(self, attrs):
        if attrs["unit"] != Unit.IMMEDIATELY and attrs.get("period") is None:
            raise serializers.ValidationError({"period": [gettext("请填写期限数值。")]})
        return attrs


def _day(d: date, name: str) -> dict:
    return {"date": d.isoformat(), "name": name}


class CalendarDayRefSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class DueDateSerializer(serializers.Serializer):
    """Response schema of ``CalendarDueView`` (documentation only)."""

    due = serializers.DateTimeField()
    provisional = serializers.BooleanField()
    explanation = serializers.CharField()
    skipped_holidays = CalendarDayRefSerializer(many=True)
    makeup_days = CalendarDayRefSerializer(many=True)
    rolled_from = serializers.DateField(allow_null=True)
    start = serializers.DateTimeField()
    period = serializers.IntegerField()
    unit = serializers.CharField()


@extend_schema(
    summary="按法院工作日历计算期限届满时间",
    parameters=[
        OpenApiParameter("start", str, required=True,
                         description=_("起算事件时间：ISO 日期（视为当日 0 时，北京时间）或 ISO 时间")),
        OpenApiParameter("period", int, description=_("期限数值（非负整数；unit=immediately 时可省略）")),
        OpenApiParameter("unit", str, required=True, enum=[u.value for u in Unit]),
        OpenApiParameter("court", int, description=_("法院 id；省略时仅按全国法定节假日计算")),
    ],
    responses={200: DueDateSerializer},
)
class CalendarDueView(APIView):
    def get(self, request):
        q = validate(DueQuery, request.query_params)
        court = None
        if "court" in q:
            court = courts_visible_to(request.user).filter(pk=q["court"]).first()
            if court is None:
                raise NotFound(gettext("未找到该法院。"))
        period = q.get("period") or 0
        try:
            result = compute_due(q["start"], period, q["unit"], cal=calendar_for(court))
        except (OverflowError, ValueError) as exc:  # beyond year 9999
            raise InvalidInput({"period": [gettext("期限超出可计算的日期范围。")]}) from exc
        return Response({
            "due": result.due.isoformat(),
            "provisional": result.provisional,
            "explanation": result.explain_zh(),
            "skipped_holidays": [_day(d, n) for d, n in result.skipped_holidays],
            "makeup_days": [_day(d, n) for d, n in result.makeup_days],
            "rolled_from": result.rolled_from.isoformat() if result.rolled_from else None,
            "start": result.start.isoformat(),
            "period": result.period,
            "unit": result.unit.value,
        })
