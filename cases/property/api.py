"""REST endpoints for network queries, leads and properties (SPEC §13)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors
from cases.models import AuctionRound, Lead, LeadStatus, Property, PropertyQuery, PropertyStatus, PropertyType
from cases.models.property import ALL_CATEGORIES, QueryChannel
from cases.property import selectors as pselectors
from cases.property import services as ps
from cases.property.transitions import lead_registry, property_registry
from enforcement.drf import query_choice, query_int, validate
from enforcement.transitions import transition_endpoints

MONEY: dict[str, Any] = dict(max_digits=16, decimal_places=2)


class AuctionRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuctionRound
        fields = ["round_no", "announced_at", "auction_at", "starting_price", "result", "price", "recorded_at"]


class PropertySerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    auction_rounds = AuctionRoundSerializer(many=True, read_only=True)
    receipt = serializers.IntegerField(source="receipt_id", read_only=True, allow_null=True)

    class Meta:
        model = Property
        fields = ["id", "case", "case_number", "owner", "query", "lead", "type", "description", "value",
                  "online_controllable", "exempt_kind", "status", "discovered_at", "measure", "mode", "queue",
                  "freeze_amount", "controlled_value", "controlled_online", "controlled_at", "control_expires_at",
                  "renewals", "valuation_method", "reference_price", "priced_at", "disposal_method",
                  "disposal_started_at", "self_disposal_until", "sold_price", "sold_at", "realized_at", "receipt",
                  "released_at", "release_reason", "released_amount", "auction_rounds"]


class LeadSerializer(serializers.ModelSerializer):
    property = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = ["id", "case", "description", "urgent", "status", "received_at", "verification_started_at",
                  "decided_at", "reason", "creditor_informed_at", "property"]

    def get_property(self, obj: Lead) -> int | None:
        try:
            return obj.property.pk
        except Property.DoesNotExist:
            return None


class QuerySerializer(serializers.ModelSerializer):
    complete = serializers.BooleanField(read_only=True)
    feedback_count = serializers.SerializerMethodField()

    class Meta:
        model = PropertyQuery
        fields = ["id", "case", "channels", "categories", "covered", "complete", "initiated_at", "completed_at",
                  "feedback_count"]

    def get_feedback_count(self, obj: PropertyQuery) -> int:
        return len(obj.feedbacks.all())






def category_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=PropertyType.choices)


class QueryInput(serializers.Serializer):
    channels = serializers.ListField(child=serializers.ChoiceField(choices=QueryChannel.choices), allow_empty=False)
    categories = serializers.ListField(child=category_field(), required=False)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)


class FoundInput(serializers.Serializer):
    type = category_field()
    description = serializers.CharField(max_length=2000)
    value = serializers.DecimalField(**MONEY, required=False, allow_null=True, min_value=0)
    online_controllable = serializers.BooleanField(required=False, default=False)
    exempt_kind = serializers.ChoiceField(choices=["", "necessities", "relief", "donation"], required=False,
                                          default="")


class FeedbackInput(serializers.Serializer):
    categories = serializers.ListField(child=category_field(), allow_empty=False)
    properties = FoundInput(many=True, required=False, default=list)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)


class LeadInput(serializers.Serializer):
    description = serializers.CharField(max_length=4000)
    urgent = serializers.BooleanField(required=False, default=False)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)


class CaseQueries(APIView):
    @extend_schema(request=QueryInput, responses={201: QuerySerializer})
    def post(self, request, pk):
        case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        d = validate(QueryInput, request.data)
        q = ps.query_initiate(case=case, actor=request.user, channels=d["channels"], categories=d.get("categories"),
                              occurred_at=d.get("occurred_at"))
        return Response(QuerySerializer(pselectors.query_for_user(user=request.user, pk=q.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses=QuerySerializer(many=True))
    def get(self, request, pk):
        case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        qs = pselectors.queries_visible_to(request.user).filter(case=case)
        return Response(QuerySerializer(qs, many=True).data)


class QueryList(generics.ListAPIView):
    serializer_class = QuerySerializer

    @extend_schema(parameters=[OpenApiParameter("case", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = pselectors.queries_visible_to(self.request.user)
        if (case := query_int(self.request, "case")) is not None:
            qs = qs.filter(case_id=case)
        return qs.order_by("-initiated_at", "-id")


class QueryDetail(generics.RetrieveAPIView):
    serializer_class = QuerySerializer

    def get_object(self):
        return pselectors.query_for_user(user=self.request.user, pk=self.kwargs["pk"])


class QueryFeedbackView(APIView):
    @extend_schema(request=FeedbackInput, responses=QuerySerializer)
    def post(self, request, pk):
        q = pselectors.query_for_user(user=request.user, pk=pk)
        d = validate(FeedbackInput, request.data)
        found = [ps.FoundProperty(**p) for p in d["properties"]]
        ps.query_feedback(query=q, actor=request.user, categories=d["categories"], properties=found,
                          occurred_at=d.get("occurred_at"))
        return Response(QuerySerializer(pselectors.query_for_user(user=request.user, pk=pk)).data)


@extend_schema(parameters=[OpenApiParameter("case", int), OpenApiParameter("status", str, enum=PropertyStatus.values),
                           OpenApiParameter("type", str, enum=list(ALL_CATEGORIES))])
class PropertyList(generics.ListAPIView):
    serializer_class = PropertySerializer

    def get_queryset(self):
        r = self.request
        qs = pselectors.properties_visible_to(r.user)
        if (case := query_int(r, "case")) is not None:
            qs = qs.filter(case_id=case)
        if st := query_choice(r, "status", PropertyStatus.values):
            qs = qs.filter(status=st)
        if t := query_choice(r, "type", ALL_CATEGORIES):
            qs = qs.filter(type=t)
        return qs.order_by("case_id", "id")


class PropertyDetail(generics.RetrieveAPIView):
    serializer_class = PropertySerializer

    def get_object(self):
        return pselectors.property_for_user(user=self.request.user, pk=self.kwargs["pk"])


PropertyTransitionList, PropertyTransitionFire = transition_endpoints(
    name="Property", registry=property_registry,
    fetch=lambda user, pk: pselectors.property_for_user(user=user, pk=pk), serializer=PropertySerializer,
)


class CaseLeads(APIView):
    @extend_schema(request=LeadInput, responses={201: LeadSerializer})
    def post(self, request, pk):
        case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        d = validate(LeadInput, request.data)
        lead = ps.lead_receive(case=case, actor=request.user, description=d["description"], urgent=d["urgent"],
                               occurred_at=d.get("occurred_at"))
        return Response(LeadSerializer(pselectors.lead_for_user(user=request.user, pk=lead.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("case", int), OpenApiParameter("status", str, enum=LeadStatus.values)])
class LeadList(generics.ListAPIView):
    serializer_class = LeadSerializer

    def get_queryset(self):
        r = self.request
        qs = pselectors.leads_visible_to(r.user).select_related("property")
        if (case := query_int(r, "case")) is not None:
            qs = qs.filter(case_id=case)
        if st := query_choice(r, "status", LeadStatus.values):
            qs = qs.filter(status=st)
        return qs.order_by("-received_at", "-id")


class LeadDetail(generics.RetrieveAPIView):
    serializer_class = LeadSerializer

    def get_object(self):
        return pselectors.lead_for_user(user=self.request.user, pk=self.kwargs["pk"])


LeadTransitionList, LeadTransitionFire = transition_endpoints(
    name="Lead", registry=lead_registry, fetch=lambda user, pk: pselectors.lead_for_user(user=user, pk=pk),
    serializer=LeadSerializer,
)
