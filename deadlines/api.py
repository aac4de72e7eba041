"""REST endpoints for deadlines and alerts (SPEC §13)."""

from __future__ import annotations

import operator
from functools import reduce

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.drf import IndexOrderedPagination, query_int, validate
from enforcement.errors import InvalidInput
from enforcement.transitions import Registry, TransitionSpec, transition_endpoints

from . import corrections, selectors, services
from .models import Alert, AlertLevel, AlertStatus, Deadline, DeadlineStatus, status_parts


class DeadlineSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="node")
    bound_by = serializers.CharField(source="bound_rule.rule_set.code")
    source = serializers.CharField(source="bound_rule.source")  # type: ignore[assignment]  # DRF's metaclass pops declared fields: no clash with Field.source
    case_number = serializers.CharField(source="case.number", default=None)
    # SPEC §4: breached as soon as the due has passed, whether or not the scan has run.
    status = serializers.ChoiceField(source="current_status", choices=DeadlineStatus.choices, read_only=True)
    rule_version = serializers.IntegerField(source="bound_rule.version")

    class Meta:
        model = Deadline
        fields = ["id", "rule", "subject_type", "subject_id", "case", "case_number", "started_at", "due_at",
                  "status", "provisional", "completed_at", "completed_late", "bound_by", "rule_version", "source",
                  "responsible", "start_event"]


def _param(request, name, parse, message):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        parsed = parse(value)
    except (TypeError, ValueError, KeyError):
        parsed = None
    if parsed is None:
        raise InvalidInput({name: [message]})
    return parsed


def _choice(choices):
    def parse(v):
        if v not in choices:
            raise ValueError(v)
        return v
    return parse


def _datetime(v):
    from django.utils import timezone
    from django.utils.dateparse import parse_date, parse_datetime

    dt = parse_datetime(v)
    if dt is None and (d := parse_date(v)) is not None:
        from datetime import datetime, time

        dt = datetime.combine(d, time.min)
    if dt is not None and timezone.is_naive(dt):
        dt = timezone.make_aware(dt)
    return dt


def _bool(v):
    return {"true": True, "1": True, "false": False, "0": False}[v.lower()]


def deadline_filter_parts(request, qs) -> list:
    """The deadlines the query string asks for, as disjoint querysets whose union is the list: one,
    unless the status filter reads as two kinds of row ("breached": marked breached, or running past
    its due). Each part is one index range, so the list's count is the sum of the parts' counts."""
    for name in ("case", "court", "responsible"):
        if (v := query_int(request, name)) is not None:
            qs = qs.filter(**{f"{name}_id": v})
    if v := request.query_params.get("rule"):
        qs = qs.filter(node=v)
    if (v := _param(request, "provisional", _bool, "须为 true 或 false。")) is not None:
        qs = qs.filter(provisional=v)
    if v := _param(request, "due_before", _datetime, "须为 ISO 日期或时间。"):
        qs = qs.filter(due_at__lte=v)
    if v := _param(request, "due_after", _datetime, "须为 ISO 日期或时间。"):
        qs = qs.filter(due_at__gte=v)
    if v := _param(request, "status", _choice(DeadlineStatus.values), f"可选值：{', '.join(DeadlineStatus.values)}。"):
        return [qs.filter(part) for part in status_parts(v)]
    return [qs]


def filter_deadlines(request, qs):
    return reduce(operator.or_, deadline_filter_parts(request, qs))


DEADLINE_FILTERS = [
    OpenApiParameter("case", int), OpenApiParameter("court", int), OpenApiParameter("responsible", int),
    OpenApiParameter("rule", str), OpenApiParameter("status", str, enum=DeadlineStatus.values),
    OpenApiParameter("provisional", bool), OpenApiParameter("due_before", str), OpenApiParameter("due_after", str),
]


@extend_schema(parameters=DEADLINE_FILTERS)
class DeadlineList(generics.ListAPIView):
    serializer_class = DeadlineSerializer
    pagination_class = IndexOrderedPagination

    def get_queryset(self):
        self.parts = deadline_filter_parts(self.request, selectors.deadlines_visible_to(self.request.user))
        return reduce(operator.or_, self.parts).order_by("due_at", "id")

    def count_rows(self) -> int:
        """The list's count (``IndexOrderedPagination``): part by part, each an index-only count."""
        return sum(part.order_by().count() for part in self.parts)


class DeadlineExplain(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        d = selectors.deadline_for_user(user=request.user, pk=pk)
        return Response(selectors.deadline_explain(d))


class CorrectStartInput(serializers.Serializer):
    started_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000)


class DeadlineCorrectStart(APIView):
    @extend_schema(request=CorrectStartInput, responses=DeadlineSerializer)
    def post(self, request, pk):
        d = selectors.deadline_for_user(user=request.user, pk=pk)
        data = validate(CorrectStartInput, request.data)
        d = corrections.deadline_correct_start(deadline=d, actor=request.user, **data)
        return Response(DeadlineSerializer(selectors.deadline_for_user(user=request.user, pk=d.pk)).data)


class AlertSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="node")
    case_number = serializers.CharField(source="case.number", default=None)
    court_name = serializers.CharField(source="court.name")
    due_at = serializers.DateTimeField(source="deadline.due_at")
    deadline_status = serializers.CharField(source="deadline.current_status", read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "deadline", "rule", "case", "case_number", "court", "court_name", "level", "status",
                  "raised_at", "due_at", "deadline_status", "handler", "acknowledged_at", "acknowledged_by", "note",
                  "resolved_at"]


@extend_schema(parameters=[
    OpenApiParameter("level", str, enum=AlertLevel.values), OpenApiParameter("status", str, enum=AlertStatus.values),
    OpenApiParameter("rule", str), OpenApiParameter("court", int), OpenApiParameter("case", int),
    OpenApiParameter("handler", int),
])
class AlertList(generics.ListAPIView):
    serializer_class = AlertSerializer
    pagination_class = IndexOrderedPagination  # ``alert_list_idx`` covers the order

    def get_queryset(self):
        r = self.request
        qs = selectors.alerts_visible_to(r.user)
        if v := _param(r, "level", _choice(AlertLevel.values), f"可选值：{', '.join(AlertLevel.values)}。"):
            qs = qs.filter(level=v)
        if v := _param(r, "status", _choice(AlertStatus.values), f"可选值：{', '.join(AlertStatus.values)}。"):
            qs = qs.filter(status=v)
        if v := r.query_params.get("rule"):
            qs = qs.filter(node=v)
        for name in ("court", "case", "handler"):
            if (v := query_int(r, name)) is not None:
                qs = qs.filter(**{f"{name}_id": v})
        return qs.order_by("-raised_at", "-id")


class AckParams(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


alert_registry = Registry()
alert_registry.register(TransitionSpec(
    "acknowledge", "确认预警", AckParams,
    lambda u, a: a.status == AlertStatus.OPEN and (u.has_role(*services.ACK_ROLES) or u.pk == a.handler_id),
    lambda *, obj, actor, **p: services.alert_acknowledge(alert=obj, actor=actor, **p),
))


AlertTransitionList, AlertTransitionFire = transition_endpoints(
    name="Alert", registry=alert_registry, fetch=lambda user, pk: selectors.alert_for_user(user=user, pk=pk),
    serializer=AlertSerializer,
)
