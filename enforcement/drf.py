"""DRF plumbing shared by every app: error format, pagination, input validation.

Kept free of view imports so DRF settings can import it without a cycle.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .accounts.authentication import TokenExpired
from .errors import DomainError, InvalidInput


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(detail) -> dict | list | str:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) for v in detail]
    return str(detail)


_DRF_CODES = {
    # Subclasses before their bases: the first match names the code.
    TokenExpired: "token_expired",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "malformed_request",
}


def exception_handler(exc, context):
    """Every 4xx is JSON with a stable ``code`` and a Chinese ``detail`` (SPEC §13)."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        return Response({"code": "not_found", "detail": "未找到。"}, status=404)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = InvalidInput(errors).as_dict()
        return response
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
    detail = exc.detail if isinstance(exc.detail, str) else _flatten(exc.detail)
    response.data = {"code": code, "detail": str(detail)}
    return response


def validate(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    """Validate ``data`` or raise InvalidInput (400) with per-field errors."""
    s = serializer_class(data=data, **kwargs)
    if not s.is_valid():
        errors = _flatten(s.errors)
        raise InvalidInput(errors if isinstance(errors, dict) else {"non_field_errors": errors})
    return s.validated_data


# --- query-string filters (SPEC §13 "Lists … filterable"): a bad value is a 400, never a 500 ---

def query_int(request, name: str) -> int | None:
    """An integer id from the query string, or None when absent."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()):  # "²".isdigit() is True but int("²") fails
        raise InvalidInput({name: [gettext("须为整数 id。")]})
    return int(value)


def query_choice(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value not in choices:
        raise InvalidInput({name: [gettext("可选值：%(value)s。") % {"value": ', '.join(choices)}]})
    return value


def query_date(request, name: str):
    from django.utils.dateparse import parse_date

    value = request.query_params.get(name)
    if not value:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput({name: [gettext("日期格式应为 YYYY-MM-DD。")]})
    return parsed
