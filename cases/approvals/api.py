"""REST endpoints for approvals (SPEC §13 "Approvals"): ``POST /api/v1/approvals/``,
``GET /api/v1/approvals/?status=pending``, ``GET /api/v1/approvals/<id>/`` and the uniform
transitions ``approve`` / ``reject``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from enforcement.approvals.services import approval_request, approval_title
from enforcement.drf import query_choice, query_int, validate
from enforcement.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from enforcement.transitions import transition_endpoints

from .. import selectors as case_selectors
from . import selectors
from .transitions import RequestParams, registry


class ApprovalSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    object = serializers.IntegerField(source="object_id", read_only=True)
    title = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = ["id", "case", "case_number", "court", "kind", "code", "object", "title", "reason", "status",
                  "requested_by", "requested_at", "decided_by", "decided_at", "note", "used_by", "used_at"]

    def get_title(self, obj: ApprovalRequest) -> str:
        return approval_title(obj)


@extend_schema(parameters=[OpenApiParameter("case", int), OpenApiParameter("court", int),
                           OpenApiParameter("requested_by", int),
                           OpenApiParameter("kind", str, enum=ApprovalKind.values),
                           OpenApiParameter("status", str, enum=ApprovalStatus.values)])
class ApprovalListCreate(generics.ListAPIView):
    serializer_class = ApprovalSerializer

    def get_queryset(self):
        qs = selectors.approvals_visible_to(self.request.user).order_by("-requested_at", "-id")
        for name in ("case", "court", "requested_by"):
            if (value := query_int(self.request, name)) is not None:
                qs = qs.filter(**{f"{name}_id": value})
        if kind := query_choice(self.request, "kind", ApprovalKind.values):
            qs = qs.filter(kind=kind)
        if st := query_choice(self.request, "status", ApprovalStatus.values):
            qs = qs.filter(status=st)
        return qs

    @extend_schema(request=RequestParams, responses={201: ApprovalSerializer})
    def post(self, request):
        d = validate(RequestParams, request.data)
        case = case_selectors.case_for_user(user=request.user, pk=d["case"], for_detail=False)
        req = approval_request(case=case, actor=request.user, kind=d["kind"], code=d["code"],
                               object_id=d["object"], reason=d["reason"])
        req = selectors.approval_for_user(request.user, req.pk)
        return Response(ApprovalSerializer(req).data, status=status.HTTP_201_CREATED)


class ApprovalDetail(generics.RetrieveAPIView):
    serializer_class = ApprovalSerializer

    def get_object(self):
        return selectors.approval_for_user(self.request.user, self.kwargs["pk"])


ApprovalTransitionList, ApprovalTransitionFire = transition_endpoints(
    name="Approval", registry=registry, fetch=selectors.approval_for_user, serializer=ApprovalSerializer)
