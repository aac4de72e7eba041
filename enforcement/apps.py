from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("执行系统基础")

    def ready(self) -> None:
        from . import checks, notifications, signals  # noqa: F401  (deploy checks, outbox handler, login audit)
        from .audit import events
        from .models import DocumentKind

        events.register_values("document_kind", DocumentKind.choices)
