"""REST endpoints for cases (SPEC §13). Thin: validate, call a service or selector, serialize."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from deadlines import selectors as deadline_selectors
from deadlines.api import DEADLINE_FILTERS, DeadlineSerializer, filter_deadlines
from enforcement import privacy
from enforcement.drf import query_choice, query_date, query_int, validate
from enforcement.models import AuditEvent, Court
from enforcement.transitions import transition_endpoints

from . import selectors, services
from .models import BasisKind, Case, CaseStatus, Closure, MilestoneKind, Party, PartyKind, PartyRole, Track
from .transitions import registry
from .validators import validate_id_number


class PartySerializer(serializers.ModelSerializer):
    """Personal ID and phone numbers masked, except on the case's own detail to its own court (SPEC §10)."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "role", "name", "kind", "id_number", "phone", "legal_representative",
                  "government_organ", "protected", "service_address", "agent_name", "agent_phone"]

    def _full(self, obj: Party) -> bool:
        request = self.context.get("request")
        return bool(self.context.get("case_detail")) and privacy.sees_full(
            getattr(request, "user", None), obj.case.court_id)

    def get_id_number(self, obj: Party) -> str:
        return privacy.shown_id_number(obj.id_number, full=self._full(obj))

    def get_phone(self, obj: Party) -> str:
        return privacy.shown_phone(obj.phone, full=self._full(obj))


class CaseSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)
    judge_name = serializers.SerializerMethodField()
    payee_account = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "court", "court_name", "status", "closure", "track", "kind", "judge",
                  "judge_name", "filed_at", "received_at", "accepted_at", "closed_at", "basis", "basis_kind",
                  "cause", "basis_issuer", "basis_effective_on",
                  "claim_amount", "account_no", "payee_account", "flags", "restored_from", "parties"]

    def get_judge_name(self, obj: Case) -> str | None:
        return obj.judge.display_name if obj.judge is not None else None

    def get_payee_account(self, obj: Case) -> dict:
        return {"bank": obj.payee_bank, "account_no": obj.payee_account_no, "holder": obj.payee_holder,
                "method": obj.payee_method}

    def get_flags(self, obj: Case) -> dict:
        return {"government_organ_debtor": obj.government_organ_debtor, "livelihood": obj.livelihood,
                "four_kinds": obj.four_kinds, "priority_party": obj.priority_party}


class CaseDetailSerializer(CaseSerializer):
    """The case's own detail adds its query code (SPEC §13 Parties: staff only, never on lists)."""

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "query_code"]


class PartyInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    legal_representative = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    government_organ = serializers.BooleanField(required=False, default=False)
    protected = serializers.BooleanField(required=False, default=False)
    service_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                            label=_("送达地址"))
    agent_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", label=_("委托代理人")
    )
    agent_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", label=_("代理人联系电话")
    )

    def validate(self, attrs):
        if attrs["id_number"]:
            error = validate_id_number(attrs["id_number"], attrs["kind"])
            if error:
                raise serializers.ValidationError({"id_number": [error]})
        return attrs


class PayeeInput(serializers.Serializer):
    bank = serializers.CharField(max_length=100)
    account_no = serializers.RegexField(
        r"^[0-9]{8,30}$", max_length=30, error_messages={"invalid": _("账号应为 8–30 位数字。")}
    )
    holder = serializers.CharField(max_length=100)
    method = serializers.CharField(max_length=30, required=False, default="bank_transfer")


class FlagsInput(serializers.Serializer):
    livelihood = serializers.BooleanField(required=False, default=False)
    four_kinds = serializers.BooleanField(required=False, default=False)
    priority_party = serializers.BooleanField(required=False, default=False)
    government_organ_debtor = serializers.BooleanField(required=False, default=False)


class CaseCreateSerializer(serializers.Serializer):
    court = serializers.PrimaryKeyRelatedField(queryset=Court.objects.all(), required=False)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    filed_at = serializers.DateTimeField(required=False)
    basis = serializers.CharField(max_length=4000)
    basis_kind = serializers.ChoiceField(choices=BasisKind.choices, required=False, default=BasisKind.LITIGATION)
    claim_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    cause = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label=_("案由"))
    basis_issuer = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", label=_("执行依据作出机关")
    )
    basis_effective_on = serializers.DateField(
        required=False, allow_null=True, default=None, label=_("执行依据生效日期")
    )
    parties = PartyInput(many=True, allow_empty=False)
    payee_account = PayeeInput()
    flags = FlagsInput(required=False)


def filing_data(d: dict) -> services.FilingData:
    return services.FilingData(
        basis=d["basis"],
        basis_kind=d["basis_kind"],
        claim_amount=d["claim_amount"],
        cause=d.get("cause", ""),
        basis_issuer=d.get("basis_issuer", ""),
        basis_effective_on=d.get("basis_effective_on"),
        parties=[services.PartyData(**p) for p in d["parties"]],
        payee_account=services.PayeeAccount(**d["payee_account"]),
        flags=services.CaseFlags(**d.get("flags", {})),
    )


@extend_schema(
    parameters=[
        OpenApiParameter("court", int),
        OpenApiParameter("status", str, enum=CaseStatus.values),
        OpenApiParameter("judge", int),
        OpenApiParameter("track", str, enum=Track.values),
        OpenApiParameter("closure", str, enum=Closure.values),
        OpenApiParameter("filed_from", str),
        OpenApiParameter("filed_to", str),
        OpenApiParameter("q", str, description=_("案号或当事人名称")),
    ]
)
class CaseListCreate(generics.ListCreateAPIView):
    serializer_class = CaseSerializer

    def get_queryset(self):
        r = self.request
        qs = selectors.case_list(user=r.user)
        if (court := query_int(r, "court")) is not None:
            qs = qs.filter(court_id=court)
        if (judge := query_int(r, "judge")) is not None:
            qs = qs.filter(judge_id=judge)
        if st := query_choice(r, "status", CaseStatus.values):
            qs = qs.filter(status=st)
        if track := query_choice(r, "track", Track.values):
            qs = qs.filter(track=track)
        if closure := query_choice(r, "closure", Closure.values):
            qs = qs.filter(closure=closure)
        if d := query_date(r, "filed_from"):
            qs = qs.filter(filed_at__date__gte=d)
        if d := query_date(r, "filed_to"):
            qs = qs.filter(filed_at__date__lte=d)
        if q := r.query_params.get("q", "").strip():
            # A transferred case is found by its old number too (SPEC §11).
            qs = qs.filter(
                Q(number__icontains=q) | Q(parties__name__icontains=q) | Q(transfers__from_number__icontains=q)
            ).distinct()
        return qs.order_by("-filed_at", "-id")

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def post(self, request, *args, **kwargs):
        d = validate(CaseCreateSerializer, request.data)
        case = services.case_file(
            actor=request.user,
            data=filing_data(d),
            court=d.get("court"),
            number=d.get("number") or None,
            filed_at=d.get("filed_at"),
        )
        case = selectors.case_for_user(user=request.user, pk=case.pk)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "case_detail": True}

    def get_object(self):
        return selectors.case_for_user(user=self.request.user, pk=self.kwargs["pk"])


CaseTransitionList, CaseTransitionFire = transition_endpoints(
    name="Case",
    registry=registry,
    fetch=lambda user, pk: selectors.case_for_user(user=user, pk=pk),
    serializer=CaseSerializer,
)


class AuditEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "recorded_at",
            "actor",
            "actor_name",
            "court",
            "case_id",
            "object_type",
            "object_id",
            "action",
            "before",
            "after",
            "reason",
            "late_entry",
            "hash",
        ]

    def get_actor_name(self, obj: AuditEvent) -> str | None:
        return obj.actor.display_name if obj.actor is not None else None


@extend_schema(parameters=DEADLINE_FILTERS)
class CaseDeadlineList(generics.ListAPIView):
    """``GET /api/v1/cases/<id>/deadlines/`` (SPEC §13): the case's clocks, through the case's scope."""

    serializer_class = DeadlineSerializer

    def get_queryset(self):
        case = selectors.case_for_user(user=self.request.user, pk=self.kwargs["pk"], for_detail=False)
        qs = deadline_selectors.deadlines_visible_to(self.request.user).filter(case=case)
        return filter_deadlines(self.request, qs).order_by("due_at", "id")


class CaseEvents(generics.ListAPIView):
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        case = selectors.case_for_user(user=self.request.user, pk=self.kwargs["pk"], for_detail=False)
        return selectors.case_events(case=case)


class MilestoneInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()
    note = serializers.CharField()


class CaseMilestones(APIView):
    @extend_schema(request=MilestoneInput, responses={201: MilestoneSerializer})
    def post(self, request, pk):
        case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        d = validate(MilestoneInput, request.data)
        m = services.case_record_milestone(
            case=case, actor=request.user, kind=d["kind"], occurred_at=d.get("occurred_at"), note=d["note"]
        )
        return Response(MilestoneSerializer(m).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=MilestoneSerializer(many=True))
    def get(self, request, pk):
        case = selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
        return Response(MilestoneSerializer(case.milestones.all(), many=True).data)
