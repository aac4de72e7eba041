"""Failed lookups of the public progress page are limited per client address (SPEC §10: more than
10 failed tries from one address in an hour are refused). Counted by django-ratelimit in Django's
cache — Redis when ``REDIS_URL`` is set, so every worker shares one count."""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit.core import get_usage

from enforcement.accounts.lockout import client_ip

GROUP = "public-progress-failures"
RATE = "10/h"


def _key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    return get_usage(request, group=GROUP, key=_key, rate=RATE, increment=increment)


def blocked(request: HttpRequest) -> bool:
    """True once this address has failed 10 times in the current hour: the 11th try is refused."""
    usage = _usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count_failure(request: HttpRequest) -> None:
    _usage(request, increment=True)
