"""REST endpoints for petitions (SPEC §11, §13: resource ``petitions`` with transitions)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from cases import selectors
from cases.models import Petition, PetitionStatus
from cases.petitions import services as svc
from enforcement.drf import query_choice, query_int, validate
from enforcement.errors import InvalidInput
from enforcement.models import Court, Role
from enforcement.resources import Resource, register
from enforcement.selectors import court_ids_visible_to
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec, transition_endpoints


def petitions_visible_to(user):
    return Petition.objects.filter(court_id__in=court_ids_visible_to(user)).select_related("court", "case")


def petition_for_user(user, pk) -> Petition:
    return get_object_or_404(petitions_visible_to(user), pk=pk)


class PetitionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Petition
        fields = ["id", "court", "case", "case_number", "petitioner", "content", "status", "received_at",
                  "registered_at", "resolved_at", "answer"]


class PetitionInput(OccurredAtMixin):
    petitioner = serializers.CharField(max_length=100)
    content = serializers.CharField(max_length=4000)
    case = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    court = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class ResolveParams(OccurredAtMixin):
    answer = serializers.CharField(max_length=4000, label=_("答复意见"))


registry = Registry()
registry.register(TransitionSpec(
    "register", "录入信访", OccurredAtMixin,
    lambda u, p: p.status == PetitionStatus.RECEIVED and u.has_role(*svc.INTAKE_ROLES),
    lambda *, obj, actor, **p: svc.petition_register(petition=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "resolve", "办结并答复", ResolveParams,
    lambda u, p: p.status != PetitionStatus.RESOLVED and (
        u.has_role(Role.SUPERVISOR, Role.BUREAU_HEAD) or (p.case is not None and p.case.judge_id == u.pk)),
    lambda *, obj, actor, **p: svc.petition_resolve(petition=obj, actor=actor, **p),
))
register(Resource("petitions", registry, petition_for_user, lambda p: p.case, "信访"))

PetitionTransitionList, PetitionTransitionFire = transition_endpoints(
    name="Petition", registry=registry, fetch=petition_for_user, serializer=PetitionSerializer,
)


@extend_schema(parameters=[OpenApiParameter("case", int), OpenApiParameter("court", int),
                           OpenApiParameter("status", str, enum=PetitionStatus.values)])
class PetitionListCreate(generics.ListCreateAPIView):
    serializer_class = PetitionSerializer

    def get_queryset(self):
        qs = petitions_visible_to(self.request.user)
        for name in ("case", "court"):
            if (value := query_int(self.request, name)) is not None:
                qs = qs.filter(**{f"{name}_id": value})
        if st := query_choice(self.request, "status", PetitionStatus.values):
            qs = qs.filter(status=st)
        return qs.order_by("-received_at", "-id")

    @extend_schema(request=PetitionInput, responses={201: PetitionSerializer})
    def post(self, request, *args, **kwargs):
        d = validate(PetitionInput, request.data)
        case = selectors.case_for_user(user=request.user, pk=d["case"], for_detail=False) if d.get("case") else None
        court = None
        if d.get("court"):
            court = Court.objects.filter(pk__in=court_ids_visible_to(request.user), pk=d["court"]).first()
            if court is None:
                raise InvalidInput({"court": [gettext("法院不存在或不可见。")]})
        p = svc.petition_receive(actor=request.user, petitioner=d["petitioner"], content=d["content"], court=court,
                                 case=case, occurred_at=d.get("occurred_at"))
        return Response(PetitionSerializer(petition_for_user(request.user, p.pk)).data,
                        status=status.HTTP_201_CREATED)


class PetitionDetail(generics.RetrieveAPIView):
    serializer_class = PetitionSerializer

    def get_object(self):
        return petition_for_user(self.request.user, self.kwargs["pk"])
