"""The login lockout (SPEC §13 "Auth"), on django-axes.

Axes counts failures per (username, address) in its AccessAttempt table and refuses further tries
once ``AXES_FAILURE_LIMIT`` is reached, until ``AXES_COOLOFF_TIME`` has passed. This module holds
the pieces axes is configured with: the backend marking a refused try, the client address, and the
429 answer — JSON with code ``throttled`` in the API, the login form with a Chinese message in the
browser.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

THROTTLED_CODE = "throttled"


class LockoutBackend(AxesStandaloneBackend):
    """Axes' gate before the password backends; marks the request when it refused the try.

    Axes also flags ``axes_locked_out`` on the failure that *reaches* the limit. That failure is
    answered as the failed login it was; only tries refused because of the lockout get 429.
    """

    def authenticate(self, request: HttpRequest, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.login_refused = True  # type: ignore[attr-defined]
            raise


@contextmanager
def one_try_at_a_time(request: HttpRequest, username: str | None) -> Iterator[None]:
    """Serialise the login tries of one (username, address) pair, check through count.

    Axes checks the count, then the password is tried, then the failure counted: twenty tries in
    parallel would all pass the check before any was counted. A transaction-scoped advisory lock
    on the pair makes the eleventh try wait for the tenth's count (SQLite serialises writers itself).
    Other pairs never wait. The body must not raise to report a failed login: that would roll the
    count back — return the outcome and raise after the block.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"login:{username}|{client_ip(request)}"])
        yield


def login_refused(request: HttpRequest) -> bool:
    """Was this request's login try refused by the lockout (not merely a wrong password)?"""
    return getattr(request, "login_refused", False)


def client_ip(request: HttpRequest) -> str | None:
    """The address a failure is counted against.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appending the address it received from
    to X-Forwarded-For, the client is that many entries from the right; anything further left was
    sent by the client and is not trusted. Without proxies it is REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def retry_after_seconds(request: HttpRequest, username: str | None) -> int:
    """Seconds until the lockout on (username, address) lifts: the cool-off from its last counted failure."""
    cool_off = get_cool_off(request)
    last = (AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
            .aggregate(last=Max("attempt_time"))["last"])
    if cool_off is None or last is None:
        return 1
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))  # a locked pair waits >= 1 s


def throttled_detail(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"登录失败次数过多，该账号在本地址已被暂时锁定，请 {minutes} 分钟后再试。"


def throttled_payload(request: HttpRequest, username: str | None) -> tuple[dict[str, str], int]:
    seconds = retry_after_seconds(request, username)
    return {"code": THROTTLED_CODE, "detail": throttled_detail(seconds)}, seconds


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: what a locked-out request is answered with (AxesMiddleware)."""
    if original_response is not None and not login_refused(request):
        return original_response  # the failure that reached the limit: a plain failed login
    if original_response is not None and original_response.status_code == 429:
        return original_response  # the API view already answered throttled
    username = get_client_username(request, credentials)
    payload, seconds = throttled_payload(request, username)
    if original_response is None or request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(payload, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        # The login page, re-rendered by its view with the throttled message on the form.
        response = original_response
        response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response
