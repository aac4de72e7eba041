"""API tokens that expire (SPEC §13 "Auth": default 12 hours, ``TOKEN_TTL_HOURS``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

if TYPE_CHECKING:  # enforcement.drf imports this module before the app registry is ready
    from rest_framework.authtoken.models import Token


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "登录已过期，请重新获取令牌。"
    default_code = "token_expired"


def token_ttl() -> timedelta:
    return timedelta(hours=settings.TOKEN_TTL_HOURS)


def token_expires_at(token: Token) -> datetime:
    return token.created + token_ttl()


def token_is_expired(token: Token, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than TOKEN_TTL_HOURS with 401 ``token_expired``.

    The expired row is left in place (logging in again replaces it), so every later use of it
    keeps answering ``token_expired`` rather than a puzzling ``authentication_failed``.
    """

    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise TokenExpired()
        return user, token
