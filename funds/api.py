"""REST endpoints for case funds (SPEC §13 Funds). Thin: validate, call a service or selector, serialize."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from cases.selectors import case_for_user, cases_visible_to
from enforcement.drf import query_choice, query_int, validate
from enforcement.errors import InvalidInput
from enforcement.models import Court
from enforcement.transitions import transition_endpoints

from . import selectors, services
from .models import Disbursement, DisbursementStatus, PayeeChange, Receipt, ReceiptStatus
from .transitions import disbursement_registry, receipt_registry


def money(value: Decimal) -> str:
    return f"{value:.2f}"


# --- receipts ------------------------------------------------------------------------------------

class ReceiptSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)

    class Meta:
        model = Receipt
        fields = ["id", "bank_txn_id", "account_no", "amount", "payer", "received_at", "court", "court_name",
                  "case", "case_number", "status", "matched_by", "matched_at", "recorded_at"]


class ReceiptInput(serializers.Serializer):
    bank_txn_id = serializers.CharField(max_length=64, label=_("银行流水号"))
    account_no = serializers.CharField(max_length=40, label=_("入账案款账号"))
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"), label=_("金额（元）"))
    payer = serializers.CharField(max_length=200, label=_("付款人"))
    received_at = serializers.DateTimeField(label=_("到账时间"))
    court = serializers.PrimaryKeyRelatedField(queryset=Court.objects.all(), required=False, label=_("收款法院"))


@extend_schema(parameters=[
    OpenApiParameter("status", str, enum=ReceiptStatus.values), OpenApiParameter("case", int),
    OpenApiParameter("court", int),
])
class ReceiptListCreate(generics.ListCreateAPIView):
    serializer_class = ReceiptSerializer

    def get_queryset(self):
        r = self.request
        qs = selectors.receipt_list(user=r.user)
        if st := query_choice(r, "status", ReceiptStatus.values):
            qs = qs.filter(status=st)
        if (case := query_int(r, "case")) is not None:
            qs = qs.filter(case_id=case)
        if (court := query_int(r, "court")) is not None:
            qs = qs.filter(court_id=court)
        return qs.order_by("received_at", "id")

    @extend_schema(request=ReceiptInput, responses={201: ReceiptSerializer, 200: ReceiptSerializer})
    def post(self, request, *args, **kwargs):
        d = validate(ReceiptInput, request.data)
        court = d.pop("court", None)
        receipt, created = services.receipt_record(actor=request.user, data=services.ReceiptData(**d), court=court)
        receipt = selectors.receipt_for_user(request.user, receipt.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ReceiptSerializer(receipt).data, status=code)


class ReceiptDetail(generics.RetrieveAPIView):
    serializer_class = ReceiptSerializer

    def get_object(self):
        return selectors.receipt_for_user(self.request.user, self.kwargs["pk"])


ReceiptTransitionList, ReceiptTransitionFire = transition_endpoints(
    name="Receipt", registry=receipt_registry, fetch=selectors.receipt_for_user, serializer=ReceiptSerializer,
)


class AllocationInput(serializers.Serializer):
    party = serializers.IntegerField(min_value=1, label=_("申请执行人"))
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"), label=_("金额（元）"))


class AllocateInput(serializers.Serializer):
    allocations = AllocationInput(many=True, allow_empty=False)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)


class ReceiptAllocate(APIView):
    """Several creditors: the judge allocates a receipt, in the order given (priority parties first)."""

    @extend_schema(request=AllocateInput, responses={201: OpenApiResponse(description="the disbursements created")})
    def post(self, request, pk):
        receipt = selectors.receipt_for_user(request.user, pk)
        d = validate(AllocateInput, request.data)
        parties = {p.pk: p for p in Party.objects.filter(pk__in=[a["party"] for a in d["allocations"]],
                                                         case_id=receipt.case_id)}
        missing = [a["party"] for a in d["allocations"] if a["party"] not in parties]
        if missing:
            raise InvalidInput(
                {
                    "allocations": [
                        gettext("当事人 %(value)s 不是本案当事人。") % {"value": ", ".join(map(str, missing))}
                    ]
                }
            )
        created = services.receipt_allocate(
            receipt=receipt,
            actor=request.user,
            occurred_at=d.get("occurred_at"),
            allocations=[(parties[a["party"]], a["amount"]) for a in d["allocations"]],
        )
        qs = selectors.disbursement_list(user=request.user).filter(pk__in=[x.pk for x in created])
        return Response(DisbursementSerializer(qs.order_by("sequence"), many=True).data, status=status.HTTP_201_CREATED)


class StatementInput(serializers.Serializer):
    file = serializers.FileField(label=_("银行流水 CSV 文件"), max_length=255)
    court = serializers.PrimaryKeyRelatedField(queryset=Court.objects.all(), required=False, label=_("收款法院"))


MAX_STATEMENT_BYTES = 10 * 1024 * 1024


class StatementUpload(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": StatementInput},
        responses={201: OpenApiResponse(description="{created, duplicates, unidentified}")},
    )
    def post(self, request):
        d = validate(StatementInput, request.data)
        upload = d["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise InvalidInput({"file": [gettext("文件过大（上限 10 MB）。")]})
        result = services.statement_import(actor=request.user, content=upload.read(), court=d.get("court"))
        body = {"created": result.created, "duplicates": result.duplicates, "unidentified": result.unidentified}
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class UnidentifiedSummaryView(APIView):
    @extend_schema(responses=OpenApiResponse(description="{count, total, oldest_age_days}"))
    def get(self, request):
        s = selectors.unidentified_summary(request.user)
        return Response({"count": s.count, "total": money(s.total), "oldest_age_days": s.oldest_age_days})


# --- disbursements --------------------------------------------------------------------------------


class DisbursementSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    party_name = serializers.CharField(source="party.name", default=None, read_only=True)
    payee_account = serializers.SerializerMethodField()

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "case",
            "case_number",
            "receipt",
            "party",
            "party_name",
            "amount",
            "sequence",
            "status",
            "split_from",
            "created_at",
            "notified_at",
            "notified_by",
            "paid_at",
            "paid_by",
            "paid_to_account_no",
            "bank_ref",
            "held_at",
            "hold_ground",
            "hold_reason",
            "hold_approved_by",
            "hold_approved_at",
            "released_at",
            "payee_account",
        ]

    def get_payee_account(self, obj: Disbursement) -> dict:
        c = obj.case
        return {"bank": c.payee_bank, "account_no": c.payee_account_no, "holder": c.payee_holder}


@extend_schema(
    parameters=[
        OpenApiParameter("case", int),
        OpenApiParameter("status", str, enum=DisbursementStatus.values),
        OpenApiParameter("receipt", int),
    ]
)
class DisbursementList(generics.ListAPIView):
    serializer_class = DisbursementSerializer

    def get_queryset(self):
        r = self.request
        qs = selectors.disbursement_list(user=r.user)
        if (case := query_int(r, "case")) is not None:
            qs = qs.filter(case_id=case)
        if (receipt := query_int(r, "receipt")) is not None:
            qs = qs.filter(receipt_id=receipt)
        if st := query_choice(r, "status", DisbursementStatus.values):
            qs = qs.filter(status=st)
        return qs.order_by("case_id", "sequence", "id")


class DisbursementDetail(generics.RetrieveAPIView):
    serializer_class = DisbursementSerializer

    def get_object(self):
        return selectors.disbursement_for_user(self.request.user, self.kwargs["pk"])


DisbursementTransitionList, _DisbursementTransitionFire = transition_endpoints(
    name="Disbursement",
    registry=disbursement_registry,
    fetch=selectors.disbursement_for_user,
    serializer=DisbursementSerializer,
)


class DisbursementTransitionFire(_DisbursementTransitionFire):  # type: ignore[valid-type, misc]  # a class built by type()
    """``pay`` takes its idempotency key from the ``Idempotency-Key`` header (SPEC §13)."""

    def post(self, request, pk, name):
        if name != "pay":
            return super().post(request, pk, name)
        obj = self.get_object(request, pk)
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise InvalidInput(
                {"Idempotency-Key": [gettext("发放案款须提供 Idempotency-Key 请求头，重复提交时使用同一值。")]}
            )
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        data["idempotency_key"] = key
        spec = self.registry.get(name)
        params = validate(spec.params, data)
        result = spec.run(obj=obj, actor=request.user, **params)
        return Response(self.render(request, result))


class CaseLedger(APIView):
    @extend_schema(responses=OpenApiResponse(description="{received, paid, notified, pending, held, unallocated}"))
    def get(self, request, pk):
        case = case_for_user(user=request.user, pk=pk, for_detail=False)
        b = selectors.case_ledger(case=case)
        return Response(
            {k: money(b[k]) for k in ("received", "paid", "notified", "pending", "held", "unallocated")}
            | {"account_no": case.account_no}
        )


# --- payee account changes ---------------------------------------------------------------------


class PayeeChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayeeChange
        fields = [
            "id",
            "case",
            "status",
            "old_bank",
            "old_account_no",
            "old_holder",
            "new_bank",
            "new_account_no",
            "new_holder",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class PayeeChangeInput(serializers.Serializer):
    bank = serializers.CharField(max_length=100, label=_("开户行"))
    account_no = serializers.RegexField(
        r"^[0-9]{8,30}$", max_length=30, label=_("账号"), error_messages={"invalid": _("账号应为 8–30 位数字。")}
    )
    holder = serializers.CharField(max_length=100, label=_("户名"))
    reason = serializers.CharField(max_length=2000, label=_("变更理由"))


class DecisionInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label=_("审批意见"))


class CasePayeeChanges(APIView):
    @extend_schema(responses=PayeeChangeSerializer(many=True))
    def get(self, request, pk):
        case = case_for_user(user=request.user, pk=pk, for_detail=False)
        return Response(PayeeChangeSerializer(selectors.case_payee_changes(case=case), many=True).data)

    @extend_schema(request=PayeeChangeInput, responses={201: PayeeChangeSerializer})
    def post(self, request, pk):
        case = case_for_user(user=request.user, pk=pk, for_detail=False)
        d = validate(PayeeChangeInput, request.data)
        change = services.payee_change_request(case=case, actor=request.user, **d)
        return Response(PayeeChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class PayeeChangeDecide(APIView):
    decision: str = "approve"

    @extend_schema(request=DecisionInput, responses=PayeeChangeSerializer)
    def post(self, request, pk):
        change = generics.get_object_or_404(PayeeChange.objects.filter(case__in=cases_visible_to(request.user)), pk=pk)
        d = validate(DecisionInput, request.data)
        if self.decision == "approve":
            change = services.payee_change_approve(change=change, actor=request.user, note=d["note"])
        else:
            change = services.payee_change_reject(change=change, actor=request.user, note=d["note"])
        return Response(PayeeChangeSerializer(change).data)
