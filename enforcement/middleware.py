"""A refusal that reaches a browser view unhandled is shown as what it is — a 4xx page with the
reason in Chinese — not as a server error. Views that re-render their form catch refusals
themselves; this is the net beneath them. The API maps the same errors in ``enforcement.drf``."""

from django.http import JsonResponse
from django.shortcuts import render

from .errors import DomainError, GuardFailed, InvalidInput


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # PostgreSQL cannot store or compare NUL characters: a query string carrying one is refused
        # here, once, instead of failing deep inside whichever filter would read it.
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            detail = "请求参数包含非法字符（NUL）。"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "malformed_request", "detail": detail}, status=400)
            return render(request, "error.html", {"status": 400, "code": "malformed_request", "messages": [detail]},
                          status=400)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        messages = [exception.detail]
        if isinstance(exception, InvalidInput):
            messages = [f"{field}：{'；'.join(map(str, errs)) if isinstance(errs, list) else errs}"
                        for field, errs in exception.errors.items()] or messages
        elif isinstance(exception, GuardFailed):
            messages = [v.message for v in exception.violations]
        return render(request, "error.html", {"status": exception.status, "code": exception.code,
                                              "messages": messages}, status=exception.status)
