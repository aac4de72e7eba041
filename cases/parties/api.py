"""REST endpoints of the parties' side (SPEC §13 Parties): a case's party messages, the bureau head's
reissue of the query code, and the public progress lookup (no authentication)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.drf import validate

from .. import selectors as case_selectors
from . import lookup, selectors, services
from .models import PartyMessage


class PartyMessageSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    undeliverable_reason = serializers.CharField(read_only=True)

    class Meta:
        model = PartyMessage
        fields = ["id", "party", "event", "channel", "status", "created_at", "occurred_at", "text",
                  "undeliverable_reason"]


class CasePartyMessages(generics.ListAPIView):
    """``GET /api/v1/cases/<id>/party-messages/``: what each party was told, oldest first."""

    serializer_class = PartyMessageSerializer

    def get_queryset(self):
        case = case_selectors.case_for_user(user=self.request.user, pk=self.kwargs["pk"], for_detail=False)
        return selectors.messages_of(case)


class ReissueParams(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                   label=_("理由"), help_text=_("如原查询码已泄露"))


class QueryCodeSerializer(serializers.Serializer):
    query_code = serializers.CharField()


class QueryCodeReissue(APIView):
    """``POST /api/v1/cases/<id>/query-code/`` (bureau head): a new code; the old one stops working."""

    @extend_schema(request=ReissueParams, responses={200: QueryCodeSerializer})
    def post(self, request, pk):
        case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        d = validate(ReissueParams, request.data)
        case = services.query_code_reissue(case=case, actor=request.user, reason=d["reason"])
        return Response({"query_code": case.query_code})


class ProgressQuery(serializers.Serializer):
    number = serializers.CharField(max_length=60, label=_("案号"))
    code = serializers.CharField(max_length=20, label=_("查询码"))


class NodeSerializer(serializers.Serializer):
    name = serializers.CharField()
    at = serializers.DateTimeField()


class PartyPublicSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    number = serializers.CharField()
    court = serializers.CharField()
    status = serializers.CharField()
    judge = serializers.CharField(allow_null=True)
    filed_at = serializers.DateTimeField()
    parties = PartyPublicSerializer(many=True)
    nodes = NodeSerializer(many=True)


class PublicProgress(APIView):
    """``POST /api/v1/public/progress/`` ``{"number", "code"}``, no authentication (SPEC §10, §13)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    error_statuses = ("400", "404", "429")  # enforcement.schema: a public read, throttled per address

    @extend_schema(request=ProgressQuery, responses={200: ProgressSerializer}, auth=[])
    def post(self, request):
        d = validate(ProgressQuery, request.data)
        progress = lookup.progress_lookup(request._request, number=d["number"], code=d["code"])
        return Response(ProgressSerializer(progress).data)
