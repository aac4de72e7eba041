"""REST endpoints of the coordination area (SPEC §13 "Disputes", "Delegations", "Supervision"):

* ``POST|GET /api/v1/cases/<id>/supervision-orders/``, ``GET /api/v1/supervision-orders/``,
  ``/supervision-orders/<id>/`` and its transitions (``reply``);
* ``POST /api/v1/cases/<id>/transfer/``, ``GET /api/v1/cases/<id>/transfers/``;
* ``POST|GET /api/v1/disputes/``, ``/disputes/<id>/`` and its transitions;
* ``POST|GET /api/v1/delegations/``, ``/delegations/<id>/`` and its transitions.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.drf import query_choice, query_int, validate
from enforcement.transitions import transition_endpoints

from .. import selectors as case_selectors
from . import selectors, services
from .models import (
    CaseTransfer,
    Delegation,
    DelegationStatus,
    Dispute,
    DisputeKind,
    DisputeStatus,
    SupervisionOrder,
    SupervisionStatus,
)
from .transitions import (
    DelegationCreateParams,
    DisputeCreateParams,
    IssueOrderParams,
    TransferParams,
    delegation_registry,
    dispute_registry,
    order_registry,
)


def _case(request, pk):
    return case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)


# --- supervision orders ----------------------------------------------------------------------

class SupervisionOrderSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)
    handling_court_name = serializers.CharField(source="handling_court.name", read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = ["id", "case", "case_number", "court", "court_name", "handling_court", "handling_court_name",
                  "instructions", "status", "issued_by", "issued_at", "reply", "replied_by", "replied_at"]


class CaseSupervisionOrders(APIView):
    @extend_schema(responses=SupervisionOrderSerializer(many=True))
    def get(self, request, pk):
        case = _case(request, pk)
        orders = selectors.orders_visible_to(request.user).filter(case=case)
        return Response(SupervisionOrderSerializer(orders, many=True).data)

    @extend_schema(request=IssueOrderParams, responses={201: SupervisionOrderSerializer})
    def post(self, request, pk):
        case = _case(request, pk)
        d = validate(IssueOrderParams, request.data)
        order = services.supervision_order_issue(case=case, actor=request.user, **d)
        return Response(SupervisionOrderSerializer(selectors.order_for_user(request.user, order.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("case", int), OpenApiParameter("court", int),
                           OpenApiParameter("status", str, enum=SupervisionStatus.values)])
class SupervisionOrderList(generics.ListAPIView):
    serializer_class = SupervisionOrderSerializer

    def get_queryset(self):
        qs = selectors.orders_visible_to(self.request.user)
        if (case := query_int(self.request, "case")) is not None:
            qs = qs.filter(case_id=case)
        if (court := query_int(self.request, "court")) is not None:
            qs = qs.filter(court_id=court)
        if st := query_choice(self.request, "status", SupervisionStatus.values):
            qs = qs.filter(status=st)
        return qs.order_by("-issued_at", "-id")


class SupervisionOrderDetail(generics.RetrieveAPIView):
    serializer_class = SupervisionOrderSerializer

    def get_object(self):
        return selectors.order_for_user(self.request.user, self.kwargs["pk"])


OrderTransitionList, OrderTransitionFire = transition_endpoints(
    name="SupervisionOrder", registry=order_registry, fetch=selectors.order_for_user,
    serializer=SupervisionOrderSerializer,
)


# --- transfers -------------------------------------------------------------------------------

class TransferSerializer(serializers.ModelSerializer):
    from_court_name = serializers.CharField(source="from_court.name", read_only=True)
    to_court_name = serializers.CharField(source="to_court.name", read_only=True)

    class Meta:
        model = CaseTransfer
        fields = ["id", "case", "kind", "from_court", "from_court_name", "to_court", "to_court_name",
                  "ordered_by_court", "from_number", "to_number", "reason", "ordered_by", "transferred_at"]


class CaseTransferCreate(APIView):
    @extend_schema(request=TransferParams, responses={201: TransferSerializer})
    def post(self, request, pk):
        case = _case(request, pk)
        d = validate(TransferParams, request.data)
        transfer = services.case_transfer(case=case, actor=request.user, **d)
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


class CaseTransfers(APIView):
    @extend_schema(responses=TransferSerializer(many=True))
    def get(self, request, pk):
        case = _case(request, pk)
        rows = selectors.transfers_visible_to(request.user).filter(case=case).order_by("transferred_at", "id")
        return Response(TransferSerializer(rows, many=True).data)


# --- disputes --------------------------------------------------------------------------------

class DisputeSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    reporting_court_name = serializers.CharField(source="reporting_court.name", read_only=True)
    other_court_name = serializers.CharField(source="other_court.name", default=None, read_only=True)
    upper_court_name = serializers.CharField(source="upper_court.name", read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "case", "case_number", "kind", "reporting_court", "reporting_court_name", "other_court",
                  "other_court_name", "other_organ", "upper_court", "upper_court_name", "summary", "status",
                  "reported_by", "reported_at", "referred_at", "coordination_started_at", "decision",
                  "resolved_by", "resolved_at", "reporting_implemented_at", "reporting_note",
                  "other_implemented_at", "other_note"]


@extend_schema(parameters=[OpenApiParameter("case", int), OpenApiParameter("court", int),
                           OpenApiParameter("status", str, enum=DisputeStatus.values),
                           OpenApiParameter("kind", str, enum=DisputeKind.values)])
class DisputeListCreate(generics.ListCreateAPIView):
    serializer_class = DisputeSerializer
    court_field = "upper_court_id"  # enforcement.drf.CourtFilter: a dispute is the deciding court's

    def get_queryset(self):
        qs = selectors.disputes_visible_to(self.request.user)
        if (case := query_int(self.request, "case")) is not None:
            qs = qs.filter(case_id=case)
        if (court := query_int(self.request, "court")) is not None:
            qs = qs.filter(upper_court_id=court)
        if st := query_choice(self.request, "status", DisputeStatus.values):
            qs = qs.filter(status=st)
        if kind := query_choice(self.request, "kind", DisputeKind.values):
            qs = qs.filter(kind=kind)
        return qs.order_by("-reported_at", "-id")

    @extend_schema(request=DisputeCreateParams, responses={201: DisputeSerializer})
    def post(self, request, *args, **kwargs):
        d = validate(DisputeCreateParams, request.data)
        case = _case(request, d.pop("case"))
        dispute = services.dispute_report(case=case, actor=request.user, **d)
        return Response(DisputeSerializer(selectors.dispute_for_user(request.user, dispute.pk)).data,
                        status=status.HTTP_201_CREATED)


class DisputeDetail(generics.RetrieveAPIView):
    serializer_class = DisputeSerializer

    def get_object(self):
        return selectors.dispute_for_user(self.request.user, self.kwargs["pk"])


DisputeTransitionList, DisputeTransitionFire = transition_endpoints(
    name="Dispute", registry=dispute_registry, fetch=selectors.dispute_for_user, serializer=DisputeSerializer,
)


# --- delegations -----------------------------------------------------------------------------

class DelegationPartySerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class DelegationSerializer(serializers.ModelSerializer):
    """The task and the case facts the entrusted court needs — number, parties, basis — and no more."""

    case_number = serializers.CharField(source="case.number", read_only=True)
    basis = serializers.CharField(source="case.basis", read_only=True)
    parties = DelegationPartySerializer(source="case.parties", many=True, read_only=True)
    from_court_name = serializers.CharField(source="from_court.name", read_only=True)
    to_court_name = serializers.CharField(source="to_court.name", read_only=True)

    class Meta:
        model = Delegation
        fields = ["id", "case", "case_number", "basis", "parties", "from_court", "from_court_name", "to_court",
                  "to_court_name", "task", "details", "status", "requested_by", "requested_at", "handler",
                  "accepted_at", "result", "return_reason", "finished_at"]


@extend_schema(parameters=[OpenApiParameter("case", int), OpenApiParameter("to_court", int),
                           OpenApiParameter("from_court", int),
                           OpenApiParameter("status", str, enum=DelegationStatus.values)])
class DelegationListCreate(generics.ListCreateAPIView):
    serializer_class = DelegationSerializer

    def get_queryset(self):
        qs = selectors.delegations_visible_to(self.request.user)
        for name in ("case", "to_court", "from_court"):
            if (value := query_int(self.request, name)) is not None:
                qs = qs.filter(**{f"{name}_id": value})
        if st := query_choice(self.request, "status", DelegationStatus.values):
            qs = qs.filter(status=st)
        return qs.order_by("-requested_at", "-id")

    @extend_schema(request=DelegationCreateParams, responses={201: DelegationSerializer})
    def post(self, request, *args, **kwargs):
        d = validate(DelegationCreateParams, request.data)
        case = _case(request, d.pop("case"))
        delegation = services.delegation_request(case=case, actor=request.user, **d)
        return Response(DelegationSerializer(selectors.delegation_for_user(request.user, delegation.pk)).data,
                        status=status.HTTP_201_CREATED)


class DelegationDetail(generics.RetrieveAPIView):
    serializer_class = DelegationSerializer

    def get_object(self):
        return selectors.delegation_for_user(self.request.user, self.kwargs["pk"])


DelegationTransitionList, DelegationTransitionFire = transition_endpoints(
    name="Delegation", registry=delegation_registry, fetch=selectors.delegation_for_user,
    serializer=DelegationSerializer,
)
