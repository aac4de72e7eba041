"""Deployment checks of the kernel's own secrets (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

MIN_AUDIT_KEY_LENGTH = 32
DEV_KEY_PREFIX = "dev-insecure-"  # the development defaults in settings start so


@checks.register(checks.Tags.security, deploy=True)
def audit_key_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """SPEC §12: the audit chain's key is a real secret of its own, not the development one nor SECRET_KEY."""
    key = settings.AUDIT_KEY
    if key.startswith(DEV_KEY_PREFIX) or len(key) < MIN_AUDIT_KEY_LENGTH:
        return [checks.Error(f"AUDIT_KEY must be a random secret of at least {MIN_AUDIT_KEY_LENGTH} characters.",
                             id="enforcement.E001")]
    if key == settings.SECRET_KEY:
        return [checks.Error("AUDIT_KEY must differ from SECRET_KEY: rotating one must not change the other.",
                             id="enforcement.E002")]
    return []
