"""REST endpoints for credit sanctions (SPEC §13 Sanctions). Thin: validate, call a service or
selector, serialize."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from cases.selectors import case_for_user
from enforcement import privacy
from enforcement.drf import query_choice, query_int, validate
from enforcement.errors import InvalidInput
from enforcement.transitions import transition_endpoints

from . import selectors, services
from .models import (
    CorrectionOutcome,
    CorrectionRequest,
    CreditPlatformMessage,
    ListingGround,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from .transitions import registry


class PlatformMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditPlatformMessage
        fields = ["id", "action", "key", "status", "attempts", "created_at", "sent_at"]


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CorrectionRequest
        fields = ["id", "sanction", "received_at", "content", "outcome", "outcome_note", "decided_at", "decided_by"]


class SanctionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)
    party_name = serializers.CharField(source="party.name", read_only=True)
    party_kind = serializers.CharField(source="party.kind", read_only=True)
    party_id_number = serializers.CharField(source="party.masked_id_number", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    ground_label = serializers.CharField(source="get_ground_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    platform_messages = PlatformMessageSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    persons = serializers.SerializerMethodField()

    class Meta:
        model = Sanction
        fields = ["id", "case", "case_number", "court", "court_name", "party", "party_name", "party_kind",
                  "party_id_number", "kind", "kind_label", "ground", "ground_label", "persons", "note",
                  "companion_of", "status", "status_label", "proposed_at", "decided_at", "served_at",
                  "grace_months", "grace_until", "published_at", "term_until", "extended_years", "lift_ground",
                  "lift_ground_at", "lift_urgent", "lifted_at", "lift_reason", "shielded_at",
                  "platform_messages", "corrections"]

    def get_persons(self, obj: Sanction) -> list[dict]:
        return privacy.mask_persons(obj.persons)  # SPEC §10: ID numbers masked outside the case's own detail


class PersonInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    role = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class SanctionCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, label=_("案件"))
    party = serializers.IntegerField(min_value=1, label=_("被执行人"))
    kind = serializers.ChoiceField(choices=SanctionKind.choices, label=_("惩戒措施"))
    ground = serializers.ChoiceField(choices=ListingGround.choices, required=False, allow_blank=True, default="",
                                     label=_("事由"))
    persons = PersonInput(many=True, required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)






def filter_sanctions(request, qs):
    if (v := query_int(request, "case")) is not None:
        qs = qs.filter(case_id=v)
    if (v := query_int(request, "court")) is not None:
        qs = qs.filter(court_id=v)
    if (v := query_int(request, "party")) is not None:
        qs = qs.filter(party_id=v)
    if v := query_choice(request, "kind", SanctionKind.values):
        qs = qs.filter(kind=v)
    if v := query_choice(request, "status", SanctionStatus.values):
        qs = qs.filter(status=v)
    if v := query_choice(request, "ground", ListingGround.values):
        qs = qs.filter(ground=v)
    return qs


@extend_schema(parameters=[
    OpenApiParameter("case", int), OpenApiParameter("court", int), OpenApiParameter("party", int),
    OpenApiParameter("kind", str, enum=SanctionKind.values),
    OpenApiParameter("status", str, enum=SanctionStatus.values),
    OpenApiParameter("ground", str, enum=ListingGround.values),
])
class SanctionListCreate(generics.ListCreateAPIView):
    serializer_class = SanctionSerializer

    def get_queryset(self):
        return filter_sanctions(self.request, selectors.sanction_list(user=self.request.user)).order_by(
            "-proposed_at", "-id"
        )

    @extend_schema(request=SanctionCreateSerializer, responses={201: SanctionSerializer})
    def post(self, request, *args, **kwargs):
        d = validate(SanctionCreateSerializer, request.data)
        case = case_for_user(user=request.user, pk=d["case"], for_detail=False)
        party = Party.objects.filter(pk=d["party"], case=case).first()
        if party is None:
            raise InvalidInput({"party": [gettext("该当事人不属于本案。")]})
        s = services.sanction_propose(case=case, party=party, kind=d["kind"], ground=d["ground"],
                                      persons=d.get("persons"), note=d["note"], occurred_at=d.get("occurred_at"),
                                      actor=request.user)
        return Response(SanctionSerializer(selectors.sanction_for_user(user=request.user, pk=s.pk)).data,
                        status=status.HTTP_201_CREATED)


class SanctionDetail(generics.RetrieveAPIView):
    serializer_class = SanctionSerializer

    def get_object(self):
        return selectors.sanction_for_user(user=self.request.user, pk=self.kwargs["pk"])


SanctionTransitionList, SanctionTransitionFire = transition_endpoints(
    name="Sanction", registry=registry, fetch=lambda user, pk: selectors.sanction_for_user(user=user, pk=pk),
    serializer=SanctionSerializer,
)


class CorrectionInput(serializers.Serializer):
    content = serializers.CharField(max_length=4000, label=_("申请内容"))
    received_at = serializers.DateTimeField(required=False, allow_null=True, label=_("收到时间"))


class CorrectionDecideInput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(CorrectionOutcome.CORRECTED, _("予以纠正")), (CorrectionOutcome.REJECTED, _("驳回申请"))],
        label=_("审查结果"),
    )
    note = serializers.CharField(max_length=4000, label=_("审查意见"))
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)


class SanctionCorrections(APIView):
    @extend_schema(responses=CorrectionSerializer(many=True))
    def get(self, request, pk):
        s = selectors.sanction_for_user(user=request.user, pk=pk)
        return Response(CorrectionSerializer(s.corrections.all(), many=True).data)

    @extend_schema(request=CorrectionInput, responses={201: CorrectionSerializer})
    def post(self, request, pk):
        s = selectors.sanction_for_user(user=request.user, pk=pk)
        d = validate(CorrectionInput, request.data)
        c = services.correction_receive(
            sanction=s, actor=request.user, content=d["content"], received_at=d.get("received_at")
        )
        return Response(CorrectionSerializer(c).data, status=status.HTTP_201_CREATED)


class CorrectionDecide(APIView):
    @extend_schema(request=CorrectionDecideInput, responses=CorrectionSerializer)
    def post(self, request, pk):
        c = selectors.correction_for_user(user=request.user, pk=pk)
        d = validate(CorrectionDecideInput, request.data)
        c = services.correction_decide(
            correction=c, actor=request.user, outcome=d["outcome"], note=d["note"], occurred_at=d.get("occurred_at")
        )
        return Response(CorrectionSerializer(get_object_or_404(CorrectionRequest, pk=c.pk)).data)
