"""The public lookup itself (SPEC §10), shared by ``/progress/`` and ``POST /api/v1/public/progress/``:
throttle, find, audit (never the code), and the one answer for an unknown number and a wrong code."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from enforcement.accounts.lockout import client_ip
from enforcement.audit import audit_record, events
from enforcement.errors import DomainError, NotFound

from . import codes, selectors, throttle
from .selectors import Progress

NOT_FOUND = "案号或查询码不正确，未查到案件。请核对执行通知书或立案短信上的案号和查询码。"
THROTTLED = "查询失败次数过多，请一小时后再试。"


class Throttled(DomainError):
    status = 429
    default_code = "throttled"


def progress_lookup(request: HttpRequest, *, number: str, code: str) -> Progress:
    """The case's public progress, or ``NotFound`` (404 ``not_found``) / ``Throttled`` (429 ``throttled``)."""
    if throttle.blocked(request):
        raise Throttled(THROTTLED)
    case, found = selectors.case_by_number_and_code(number, code)
    with transaction.atomic():
        # Each lookup is audited with the number tried and the address — never the code. A wrong code
        # for a real case goes on that case's trail, so its court sees someone guessing.
        audit_record(actor=None, action=events.PROGRESS_LOOKUP, object_type="cases.case",
                     object_id=case.pk if case is not None else "-", court=case.court_id if case else None,
                     case_id=case.pk if case else None,
                     after={"number": codes.normalize_number(number)[:60], "address": client_ip(request),
                            "found": found})
    if case is None or not found:
        throttle.count_failure(request)
        raise NotFound(NOT_FOUND)
    return selectors.progress_of(case)
