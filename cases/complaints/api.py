"""REST endpoints for complaints (SPEC §13): ``POST /api/v1/cases/<id>/complaints/``,
``GET /api/v1/complaints/?case=<id>``, ``GET /api/v1/complaints/<id>/`` and the uniform transitions."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.drf import query_choice, query_int, validate
from enforcement.errors import InvalidInput
from enforcement.transitions import transition_endpoints

from .. import selectors as case_selectors
from . import selectors, services
from .models import Complaint, ComplaintStatus
from .transitions import ReceiveParams, registry


class ComplaintSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    due_at = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["id", "case", "case_number", "party", "content", "status", "received_at", "referred_at",
                  "referral_reason", "answer", "answered_at", "answered_by", "answered_by_panel", "due_at"]

    def get_due_at(self, obj: Complaint) -> str | None:
        due = self.context.get("due", {}).get(obj.pk)
        return serializers.DateTimeField().to_representation(due) if due else None


def _context(complaints) -> dict:
    return {"due": selectors.reply_due(complaints)}


class CaseComplaints(APIView):
    @extend_schema(request=ReceiveParams, responses={201: ComplaintSerializer})
    def post(self, request, pk):
        case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        d = validate(ReceiveParams, request.data)
        party = case.parties.filter(pk=d["party"]).first()
        if party is None:
            raise InvalidInput({"party": [gettext("投诉人须为本案当事人。")]})
        c = services.complaint_receive(case=case, actor=request.user, party=party, content=d["content"],
                                       received_at=d.get("received_at"))
        c = selectors.complaint_for_user(request.user, c.pk)
        return Response(ComplaintSerializer(c, context=_context([c])).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("case", int),
                           OpenApiParameter("status", str, enum=ComplaintStatus.values)])
class ComplaintList(generics.ListAPIView):
    serializer_class = ComplaintSerializer

    def get_queryset(self):
        qs = selectors.complaints_visible_to(self.request.user)
        if (case := query_int(self.request, "case")) is not None:
            qs = qs.filter(case_id=case)
        if st := query_choice(self.request, "status", ComplaintStatus.values):
            qs = qs.filter(status=st)
        return qs.order_by("-received_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else list(self.get_queryset())
        data = ComplaintSerializer(rows, many=True, context=_context(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class ComplaintDetail(APIView):
    @extend_schema(responses=ComplaintSerializer)
    def get(self, request, pk):
        c = selectors.complaint_for_user(request.user, pk)
        return Response(ComplaintSerializer(c, context=_context([c])).data)


def _fetch(user, pk):
    return selectors.complaint_for_user(user, pk)


class _Rendered(serializers.BaseSerializer):
    def to_representation(self, instance):
        return ComplaintSerializer(instance, context=_context([instance])).data


ComplaintTransitionList, ComplaintTransitionFire = transition_endpoints(
    name="Complaint", registry=registry, fetch=_fetch, serializer=_Rendered,
)
