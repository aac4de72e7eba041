"""Guards the funds module adds to other acts (SPEC §7)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext

from cases.models import Case
from cases.rules import close_guard
from enforcement.errors import Violation

from . import ledger


@close_guard
def closure_funds_unpaid(case: Case, closure: str, at: datetime) -> list[Violation]:
    # [004 §22] 执行案款应及时发放: a case whose account still holds money not paid out cannot be closed.
    unpaid = ledger.unpaid_total(case.pk)
    if unpaid > 0:
        return [Violation(
            "closure_funds_unpaid",
            gettext("本案案款账户尚有 ¥%(unpaid)s 未发放（含待通知、待发放、暂缓发放及未分配款项）"
                    "，不得结案。") % {"unpaid": f'{unpaid:,.2f}'},
            "[004 §22]",
        )]
    return []
