"""API endpoints of the shared kernel: token auth, the caller, users and courts."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from .audit import audit_record
from .drf import query_int, validate
from .models import Court, User
from .selectors import courts_visible_to, users_visible_to

# --- auth and people ------------------------------------------------------------------------

class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer,
                   responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}))
    def post(self, request):
        data = validate(TokenRequestSerializer, request.data)
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None or not user.is_active:
            return Response({"code": "authentication_failed", "detail": "用户名或密码错误。"},
                            status=status.HTTP_401_UNAUTHORIZED)
        token, _ = Token.objects.get_or_create(user=user)
        audit_record(actor=user, action="user.token_login", obj=user, court=user.court_id)
        return Response({"token": token.key})


class CourtSerializer(serializers.ModelSerializer):
    class Meta:
        model = Court
        fields = ["id", "name", "code", "parent", "level"]


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    court_name = serializers.CharField(source="court.name", default=None, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "court", "court_name", "roles"]

    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.roles)


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class UserList(generics.ListAPIView):
    serializer_class = UserSerializer

    def get_queryset(self):
        qs = users_visible_to(self.request.user)
        if (court := query_int(self.request, "court")) is not None:
            qs = qs.filter(court_id=court)
        if role := self.request.query_params.get("role"):
            qs = qs.filter(role_rows__role=role)
        return qs


class CourtList(generics.ListAPIView):
    serializer_class = CourtSerializer

    def get_queryset(self):
        return courts_visible_to(self.request.user).order_by("path")
