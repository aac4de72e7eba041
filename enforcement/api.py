"""API endpoints of the shared kernel: token auth, the caller, users and courts."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .accounts.authentication import token_expires_at
from .accounts.lockout import login_refused, one_try_at_a_time, throttled_payload
from .accounts.services import token_login, token_revoke
from .drf import query_int, validate
from .models import Court, User
from .selectors import courts_visible_to, users_visible_to

# --- auth and people ------------------------------------------------------------------------

class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class AuthErrorSerializer(serializers.Serializer):
    """The SPEC §13 error body, as the auth endpoints answer it."""

    code = serializers.CharField()
    detail = serializers.CharField()


class TokenView(APIView):
    """Exchange a username and password for an API token, valid for TOKEN_TTL_HOURS (12 by default).

    After 10 failed logins for one username from one address, further tries from that address get
    429 `throttled` for 15 minutes, the right password included (SPEC §13; shared with the login page).
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    error_statuses = ("400", "401", "429")  # enforcement.schema: no state to conflict with

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                     "expires_at": serializers.DateTimeField()}),
            400: AuthErrorSerializer, 401: AuthErrorSerializer, 429: AuthErrorSerializer,
        },
    )
    def post(self, request):
        data = validate(TokenRequestSerializer, request.data)
        with one_try_at_a_time(request._request, data["username"]):
            user = authenticate(request._request, username=data["username"], password=data["password"])
            if login_refused(request._request):
                payload, seconds = throttled_payload(request._request, data["username"])
                return Response(payload, status=status.HTTP_429_TOO_MANY_REQUESTS,
                                headers={"Retry-After": str(seconds)})
            if user is None or not user.is_active:
                return Response({"code": "authentication_failed", "detail": "用户名或密码错误。"},
                                status=status.HTTP_401_UNAUTHORIZED)
            token = token_login(user=user, request=request._request)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})


class LogoutView(APIView):
    """Revoke the caller's API token (SPEC §13); any later use of it is a 401."""

    error_statuses = ("401",)

    @extend_schema(request=None, responses={204: None, 401: AuthErrorSerializer})
    def post(self, request):
        token_revoke(user=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


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


@csrf_exempt
def unknown_path(request, *args, **kwargs) -> JsonResponse:
    """Any path under ``/api/v1/`` that names no endpoint: a JSON 404 with a stable code, whatever the
    method (SPEC §13 "Errors": every 4xx has a JSON body with ``code`` and ``detail``)."""
    return JsonResponse({"code": "not_found", "detail": f"接口不存在：{request.path}"}, status=404,
                        json_dumps_params={"ensure_ascii": False})
