from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("信用惩戒")

    def ready(self) -> None:
        from cases.services import on_case_lifecycle

        from . import (
            delivery,  # noqa: F401  (registers the outbox handler of the credit platform's messages)
            rules,  # noqa: F401  (registers the 终本 guard termination_no_restriction)
            transitions,  # noqa: F401  (registers the "sanctions" resource)
        )
        from .services import on_case_event

        # Registered after cases.lifecycle (INSTALLED_APPS order), so the clocks started on a
        # "performed" closure are not cancelled by the case's own closing of its clocks.
        on_case_lifecycle(on_case_event)

        from enforcement.audit import events

        from .models import CorrectionOutcome, SanctionKind

        # Audit lines word sanction kinds and correction outcomes in Chinese (enforcement.audit.events).
        events.register_values("sanction_kind", SanctionKind.choices)
        events.register_values("correction_outcome", CorrectionOutcome.choices)
