"""Logins and failed logins are audited (SPEC §12)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .audit import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="user.login", obj=user, court=user.court_id,
                 after={"ip": request.META.get("REMOTE_ADDR") if request else None})


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit_record(actor=None, action="user.login_failed", object_type="enforcement.user",
                 object_id=str(credentials.get("username", ""))[:50],
                 after={"ip": request.META.get("REMOTE_ADDR") if request else None})
