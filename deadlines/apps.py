from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "节点期限与预警"

    def ready(self) -> None:
        from cases.services import on_case_lifecycle

        from . import receivers  # noqa: F401  (calendar → deadline recomputation)
        from .lifecycle import on_case_event

        on_case_lifecycle(on_case_event)
