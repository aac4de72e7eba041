"""A refusal that reaches a browser view unhandled is shown as what it is — a 4xx page with the
reason in Chinese — not as a server error. Views that re-render their form catch refusals
themselves; this is the net beneath them. The API maps the same errors in ``enforcement.drf``."""

from django.shortcuts import render

from .errors import DomainError, GuardFailed, InvalidInput


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        messages = [exception.detail]
        if isinstance(exception, InvalidInput):
            messages = [f"{field}：{'；'.join(map(str, errs)) if isinstance(errs, list) else errs}"
                        for field, errs in exception.errors.items()] or messages
        elif isinstance(exception, GuardFailed):
            messages = [f"{v.detail}（依据 {v.source}）" if v.source else v.detail for v in exception.violations]
        return render(request, "error.html", {"status": exception.status, "code": exception.code,
                                              "messages": messages}, status=exception.status)
