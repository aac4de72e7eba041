"""Logins, failed logins and sign-outs are audited (SPEC §12)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .accounts.lockout import client_ip, login_refused
from .audit import audit_record, events


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action=events.USER_LOGIN, obj=user, court=user.court_id,
                 after={"ip": client_ip(request) if request else None})


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Tries refused by the lockout are recorded too, marked, so the trail shows the whole attack.
    audit_record(actor=None, action=events.USER_LOGIN_FAILED, object_type="enforcement.user",
                 object_id=str(credentials.get("username", ""))[:50],
                 after={"ip": client_ip(request) if request else None,
                        "throttled": bool(request is not None and login_refused(request))})


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is None:  # a sign-out without a session
        return
    audit_record(actor=user, action=events.USER_LOGOUT, obj=user, court=user.court_id,
                 after={"ip": client_ip(request) if request else None})
