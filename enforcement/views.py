"""Browser views of the shared kernel: sign-in, sign-out, the home redirect, and the one way a form that
posts and redirects reports a refusal (``report_refusal``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext

from .errors import DomainError, GuardFailed, InvalidInput
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot sign anyone out."""



@login_required
def notifications(request):
    """The user's in-app notifications (SPEC §5 outbox), newest first; opening the page reads them."""
    from django.core.paginator import Paginator
    from django.shortcuts import render
    from django.utils import timezone

    from .models import Notification

    qs = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    unread_ids = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "notifications.html", {"page": page, "unread_ids": set(unread_ids)})
    if unread_ids:
        Notification.objects.filter(pk__in=unread_ids).update(read_at=timezone.now())
    return response


def report_refusal(request, exc: DomainError) -> None:
    """Show on the next page why an act was refused: every violation of a guard, or each per-field
    error, or the refusal's own words (the pages whose forms post and redirect)."""
    if isinstance(exc, GuardFailed):
        for v in exc.violations:
            messages.error(request, gettext("操作被拦截：%(message)s") % {"message": v.message})
    elif isinstance(exc, InvalidInput) and exc.errors:
        for errs in exc.errors.values():
            for e in errs if isinstance(errs, list) else [errs]:
                messages.error(request, str(e))
    else:
        messages.error(request, exc.detail)

