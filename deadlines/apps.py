from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("节点期限与预警")

    def ready(self) -> None:
        # The clock listens to the calendar (below it) here; case events reach it through the hook
        # that ``cases.apps`` registers (``cases.lifecycle``), so this floor never imports cases.
        from enforcement.audit import events

        from . import receivers  # noqa: F401  (calendar → deadline recomputation)
        from .models import AlertLevel, Unit
        from .rules_data import NODE_NAMES
        from .whatif import services  # noqa: F401  (the outbox handler of queued what-if replays)

        # Audit lines name nodes and alert levels in Chinese (enforcement.audit.events).
        events.register_values("node", NODE_NAMES.items())
        events.register_values("alert_level", AlertLevel.choices)
        events.register_values("unit", Unit.choices)
        from .corrections import register_approval_act

        register_approval_act()  # a clerk asks the bureau head to correct a start (SPEC §13)
