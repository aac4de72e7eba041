"""Every write of the accounts area: issuing and revoking API tokens, each audited (SPEC §12, §13)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

from enforcement.audit import events

from ..audit import audit_record
from ..models import User
from .authentication import token_expires_at, token_is_expired
from .lockout import client_ip


@transaction.atomic
def token_login(*, user: User, request: HttpRequest) -> Token:
    """The caller's API token after a successful password check.

    A still-valid token is handed out again, so two clients of one account do not log each other
    out; an expired one is replaced. Either way it lives TOKEN_TTL_HOURS from its issue.
    """
    # Lock the account, not the token: two first logins at once would otherwise both create one.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
    token = Token.objects.filter(user=user).first()
    if token is not None and token_is_expired(token):
        token.delete()
        token = None
    issued = token is None
    if token is None:
        token = Token.objects.create(user=user)
    audit_record(actor=user, action=events.USER_TOKEN_LOGIN, obj=user, court=user.court_id,
                 after={"ip": client_ip(request), "issued": issued, "expires_at": token_expires_at(token)})
    return token


@transaction.atomic
def token_revoke(*, user: User, request: HttpRequest) -> bool:
    """Delete the caller's API token (``POST /api/v1/auth/logout/``); True when there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    audit_record(actor=user, action=events.USER_LOGOUT, obj=user, court=user.court_id,
                 after={"ip": client_ip(request), "token_revoked": bool(deleted)})
    return bool(deleted)
