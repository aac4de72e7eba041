from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执行系统基础"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login audit)
