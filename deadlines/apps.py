from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "节点期限与预警"

    def ready(self) -> None:
        # The clock listens to the calendar (below it) here; case events reach it through the hook
        # that ``cases.apps`` registers (``cases.lifecycle``), so this floor never imports cases.
        from . import receivers  # noqa: F401  (calendar → deadline recomputation)
        from .whatif import services  # noqa: F401  (the outbox handler of queued what-if replays)
