from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("执行案款")

    def ready(self) -> None:
        from cases.ports import register_money_readers
        from enforcement.audit import events

        from . import ledger, selectors
        from .models import HoldGround, ReceiptStatus

        events.register_values("hold_ground", HoldGround.choices)
        events.register_values("receipt_status", ReceiptStatus.choices)
        from .services.payee_changes import register_approval_act

        register_approval_act()  # the judge asks the bureau head to change the payee account (SPEC §11a)

        # The case floor reads money through this port instead of importing funds (cases.ports).
        register_money_readers(balances=ledger.case_balances, receipt_of_case=selectors.receipt_of_case)
        from . import (
            rules,  # noqa: F401  (registers closure_funds_unpaid with cases.rules)
            transitions,  # noqa: F401  (registers the receipts and disbursements resources)
        )
