from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "执行案件"

    def ready(self) -> None:
        from . import (
            property_rules,  # noqa: F401  (registers the 终本 property guards)
            resources,  # noqa: F401  (cases, properties, leads, queries for the generic views)
        )
