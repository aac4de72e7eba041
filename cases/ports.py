"""What the case floor needs to know about money without importing the floor above it.

``cases`` sits below ``funds`` (SPEC-level layering: kernel ← clock ← cases ← funds/credit), yet three
case rules read money: the outstanding claim that bounds a freeze and over-seizure is the claim less
what was paid out ([004 §15]), realizing a property links a receipt of the case account, and the
case page's header shows the money received and paid. ``funds`` registers its readers here in its
``AppConfig.ready``; until it has (a project without the funds app), the case floor sees no money.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


def _no_balances(case_id: int) -> dict[str, Decimal]:
    return {"received": Decimal("0"), "paid": Decimal("0")}


def _no_receipt(*, case: Any, pk: int | str) -> None:
    return None


@dataclass
class MoneyReaders:
    # The case's balances by bucket: at least ``received`` and ``paid`` (funds.ledger.case_balances).
    balances: Callable[[int], dict[str, Decimal]] = _no_balances
    # The receipt ``pk`` if it was credited to ``case``'s account, else None (funds.selectors).
    receipt_of_case: Callable[..., Any] = _no_receipt


money = MoneyReaders()


def register_money_readers(*, balances: Callable[[int], dict[str, Decimal]],
                           receipt_of_case: Callable[..., Any]) -> None:
    money.balances = balances
    money.receipt_of_case = receipt_of_case


def paid_out(case_id: int) -> Decimal:
    """Money already paid to the case's creditors."""
    return money.balances(case_id)["paid"]
