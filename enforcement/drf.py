"""DRF plumbing shared by every app: error format, pagination, input validation.

Kept free of view imports so DRF settings can import it without a cycle.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import F, OrderBy
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions, filters, pagination, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .accounts.authentication import TokenExpired
from .errors import DomainError, InvalidInput


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


# At or below this many matching rows, a page is read by sorting the matches (found through the
# index that best fits the filters) rather than by walking the order's index: a walk skips every
# row that fails the filters, and where the matches sit late in the order (open clocks among ten
# years of met ones) it would read most of the table to find a page of them.
SORT_MATCHES_BELOW = 50_000


def _sorted_first(order: list) -> list:
    """The same order, its first key written so that no index provides it (``COALESCE(x, x)``):
    the planner filters first and sorts what matched (a top-N sort of at most a page's end)."""
    first, rest = order[0], order[1:]
    if not isinstance(first, str):
        return order
    name = first.lstrip("-")
    key = Coalesce(F(name), F(name))
    return [OrderBy(key, descending=first.startswith("-")), *rest]


def index_ordered_page(queryset, number, per_page: int, *, count: int | None = None) -> DjangoPage:
    """One page of an ordered list of millions of rows, page N costing what page 1 does.

    The page's ids are read alone (no ``select_related`` join before the limit), in the list's
    order — which an index should cover — and pages past the middle are read from the far end in
    the reverse order, so the last page is as cheap as the first; when few rows match
    (``SORT_MATCHES_BELOW``) they are sorted instead of walked. The rows are then loaded, with
    their joins, by id. The count is a count of the filtered rows alone. ``number`` may be
    ``"last"``; a number out of range raises ``InvalidPage``. A caller that has counted the rows
    already passes ``count``."""
    order = list(queryset.query.order_by)
    if not order:
        raise ValueError("an index-ordered list needs an ORDER BY")
    paginator = DjangoPaginator(queryset.none(), per_page)
    paginator.count = queryset.order_by().count() if count is None else count
    number = paginator.num_pages if number == "last" else paginator.validate_number(number or 1)
    start = (number - 1) * per_page
    end = min(start + per_page, paginator.count)
    ids_of = queryset.values_list("pk", flat=True)
    few = paginator.count <= SORT_MATCHES_BELOW
    if start > paginator.count - end:  # nearer the end: read backwards from it
        back = [f[1:] if f.startswith("-") else f"-{f}" for f in order]
        ids = list(ids_of.order_by(*(_sorted_first(back) if few else back))
                   [paginator.count - end:paginator.count - start])[::-1]
    else:
        ids = list(ids_of.order_by(*(_sorted_first(order) if few else order))[start:end])
    by_id = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)} if ids else {}
    return DjangoPage([by_id[i] for i in ids if i in by_id], number, paginator)


class IndexOrderedPagination(Pagination):
    """Page numbers (the same ``count``/``next``/``previous``/``results``) over a list of millions
    of rows, through ``index_ordered_page``: the first and the last page cost the same. A view that
    counts its rows more cheaply than ``queryset.count()`` says so with a ``count_rows()`` method."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        if not size:
            return None
        number = request.query_params.get(self.page_query_param) or 1
        if number in self.last_page_strings:
            number = "last"
        try:
            count_rows = getattr(view, "count_rows", None)
            self.page = index_ordered_page(queryset, number, size, count=count_rows() if count_rows else None)
        except InvalidPage as exc:
            raise exceptions.NotFound(self.invalid_page_message.format(page_number=number, message=str(exc))) from exc
        self.display_page_controls = self.page.paginator.num_pages > 1 and self.template is not None
        return list(self.page)


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
        raise InvalidInput(errors if isinstance(errors, dict) else {"non_field_errors": list(errors)})
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


class CourtFilter(filters.BaseFilterBackend):
    """``?court=<id>`` on every list (SPEC §13 "Lists … filterable"): the rows of that court, within
    what the user may see anyway (the view's queryset is already scoped); 400 ``invalid`` when the
    value is not an integer id or names no court. The court of a row is its own ``court``, else
    its case's; a view whose rows belong to a court otherwise names the path in ``court_field``."""

    description = "只列出该法院的记录（在本人可见范围内）；须为法院 id。"

    def filter_queryset(self, request, queryset, view):
        from .models import Court

        court = query_int(request, "court")
        if court is None:
            return queryset
        if not Court.objects.filter(pk=court).exists():
            raise InvalidInput({"court": [gettext("没有这个法院。")]})
        return queryset.filter(**{court_field(view, queryset.model): court})

    def get_schema_operation_parameters(self, view):
        return [{"name": "court", "in": "query", "required": False, "description": self.description,
                 "schema": {"type": "integer"}}]


def court_field(view, model) -> str:
    declared = getattr(view, "court_field", None)
    if declared:
        return declared
    if model._meta.label == "enforcement.Court":
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    for field, path in (("court", "court_id"), ("case", "case__court_id"), ("recipient", "recipient__court_id")):
        if field in names:
            return path
    raise TypeError(f"{view.__class__.__name__}: no court to filter {model.__name__} by; set court_field")
