"""``Idempotency-Key`` on every creating ``POST`` of the API (SPEC §13 "Idempotency").

A client that does not know whether its ``POST`` arrived (a timeout, a dropped connection, a 500 from
a proxy) sends it again with the same key:

* the same key with the same request (method, path and query, body) answers the first answer again,
  without doing the act a second time (header ``Idempotent-Replayed: true``);
* the same key with a different request is 409 ``idempotency_key_reused``;
* keys are per user and kept ``IDEMPOTENCY_KEY_TTL`` (at least 24 hours; the outbox sweep forgets
  older ones).

The key's row is written in one transaction with the act, and the answer is stored in it before the
commit: either both the act and its answer are kept, or neither. Two requests with one key at once
are serialised on the row's unique index; the second waits and then replays the first's answer. Only
a success (2xx) is kept: a refused request did not do the act, so its key can be used again, and a
server error rolls back everything the request wrote.

Written here rather than taken from a package: django-idempotency-key supports Django up to 4.2 and
answers in its own error format; the DRF packages on PyPI are young single-author releases. The rule
is small and our error format, user scope and transaction boundary are what matter.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REUSED_CODE = "idempotency_key_reused"
# No act to repeat, or no user to scope a key by: logins (their failures must count, SPEC §13
# "Auth"), logout and the public progress page.
EXEMPT_PREFIXES = ("/api/v1/auth/", "/api/v1/public/")


def _api_user(request: HttpRequest):
    """The user DRF will authenticate for this request, or None (the view then answers 401/403).
    Leaves the request as it found it: DRF sets ``request.user`` as it authenticates."""
    saved = request.__dict__.get("user", None)
    try:
        user = Request(request, authenticators=[a() for a in api_settings.DEFAULT_AUTHENTICATION_CLASSES]).user  # type: ignore[operator]  # stubs: the setting's strings, imported as classes at runtime
    except exceptions.APIException:
        user = None
    finally:
        if saved is not None:
            request.user = saved
    return user if user is not None and user.is_authenticated else None


def request_fingerprint(request: HttpRequest) -> str:
    """What makes two requests "the same": method, path with query, and the body -- JSON compared as
    data (key order and spacing do not count), forms and uploads field by field and file by file."""
    h = hashlib.sha256()
    h.update(f"{request.method} {request.get_full_path()}\n".encode())
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name in sorted(request.POST):
            h.update(json.dumps([name, request.POST.getlist(name)], ensure_ascii=False).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                h.update(json.dumps([name, upload.name, upload.size], ensure_ascii=False).encode())
                for chunk in upload.chunks():
                    h.update(chunk)
                upload.seek(0)
        return h.hexdigest()
    body = request.body
    if content_type.endswith("json"):
        try:
            body = json.dumps(json.loads(body or b"null"), sort_keys=True, ensure_ascii=False,
                              separators=(",", ":")).encode()
        except ValueError:
            pass  # not JSON after all: compared byte for byte, and the view answers 400
    h.update(body)
    return h.hexdigest()


def _error(status: int, code: str, detail: str, **extra) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if (request.method != "POST" or HEADER not in request.headers or not request.path.startswith("/api/")
                or request.path.startswith(EXEMPT_PREFIXES)):
            return self.get_response(request)
        key = request.headers[HEADER].strip()
        if not key or len(key) > 255:
            return _error(400, "invalid", "输入有误，请检查标出的字段。",
                          errors={HEADER: ["幂等键须为 1–255 个字符。"]})
        user = _api_user(request)
        if user is None:
            return self.get_response(request)
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            record = self._claim(user, key, fingerprint)
            if record.status_code is not None:
                if record.fingerprint != fingerprint:
                    return _error(409, REUSED_CODE, "该幂等键已用于另一个请求；新的请求请使用新的幂等键。")
                return _replay(record)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # nothing of a failed request is kept, its key neither
            elif 200 <= response.status_code < 300 and not response.streaming:
                record.status_code, record.content_type = response.status_code, response.get("Content-Type", "")
                record.body = response.content
                record.save(update_fields=["status_code", "content_type", "body"])
            else:
                record.delete()
        return response

    @staticmethod
    def _claim(user, key: str, fingerprint: str) -> IdempotencyRecord:
        """The key's row, locked: the stored answer, or a new empty row this request now holds."""
        rows = IdempotencyRecord.objects.select_for_update()
        record = rows.filter(user=user, key=key).first()
        if record is not None and record.created_at < timezone.now() - settings.IDEMPOTENCY_KEY_TTL:
            record.delete()  # past retention: the key starts afresh
            record = None
        if record is None:
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(user=user, key=key, fingerprint=fingerprint)
            except IntegrityError:  # a concurrent request with this key committed first
                record = rows.get(user=user, key=key)
        return record
