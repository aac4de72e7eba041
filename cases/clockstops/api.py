"""REST endpoints for case-limit stops: ``GET|POST /api/v1/cases/<id>/clock-stops/``,
``GET /api/v1/clock-stops/<id>/`` and the uniform transitions (``end``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.drf import validate
from enforcement.transitions import transition_endpoints

from .. import selectors as case_selectors
from . import selectors
from .models import CaseLimitStop
from .transitions import START, StartParams, registry


class ClockStopSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseLimitStop
        fields = ["id", "case", "case_number", "kind", "reason", "started_at", "ended_at", "started_by",
                  "approved_by", "ended_by", "end_note", "recorded_at"]


class CaseClockStops(APIView):
    @extend_schema(responses=ClockStopSerializer(many=True))
    def get(self, request, pk):
        case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        stops = selectors.stops_visible_to(request.user).filter(case=case)
        return Response(ClockStopSerializer(stops, many=True).data)

    @extend_schema(request=StartParams, responses={201: ClockStopSerializer})
    def post(self, request, pk):
        case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        params = validate(StartParams, request.data)
        stop = START.run(obj=case, actor=request.user, **params)
        return Response(ClockStopSerializer(selectors.stop_for_user(request.user, stop.pk)).data,
                        status=status.HTTP_201_CREATED)


class ClockStopDetail(APIView):
    @extend_schema(responses=ClockStopSerializer)
    def get(self, request, pk):
        return Response(ClockStopSerializer(selectors.stop_for_user(request.user, pk)).data)


ClockStopTransitionList, ClockStopTransitionFire = transition_endpoints(
    name="ClockStop", registry=registry, fetch=selectors.stop_for_user, serializer=ClockStopSerializer,
)
