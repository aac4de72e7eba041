from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = "执行案款"

    def ready(self) -> None:
        from . import (
            rules,  # noqa: F401  (registers closure_funds_unpaid with cases.rules)
            transitions,  # noqa: F401  (registers the receipts and disbursements resources)
        )
