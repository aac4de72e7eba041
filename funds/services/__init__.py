"""Every write on case funds (SPEC §6.3). One function per act: role + court, guards, FSM transition,
ledger postings, legal clock, audit event — in one transaction.

Lock order, everywhere: receipt row → case row → disbursement row. The case row is the lock of the
case account: every movement of a case's money serialises on it, so a balance checked is the
balance posted against.

The clocks [004 §22]: funds becoming payable on a case (identified on arrival, or matched later)
start FUNDS_NOTICE and, where a local rule set has it, FUNDS_OUT — both on the *receipt*: the
notice is due 10 working days after *that money* arrived, and it is met once no part of it waits
for a notice; FUNDS_OUT is met once no payable part of it remains unpaid. A payment notice starts
FUNDS_PAY on the *disbursement*. A hold stops that disbursement's running clocks by cancelling
them (the money is lawfully deferred [004 §22 第二款]); when the cause ends the disbursement goes
back to ``pending`` and FUNDS_HELD_OUT (10 days [001]) runs until it is paid.

One module per aggregate: ``receipts``, ``disbursements``, ``payee_changes``; ``_common`` holds the
locks and clock helpers they share. Every public name is re-exported here.
"""

from .disbursements import (
    disbursement_approve_hold,
    disbursement_hold,
    disbursement_notify,
    disbursement_pay,
    disbursement_release_hold,
    disbursement_split,
)
from .payee_changes import (
    payee_change,
    payee_change_approve,
    payee_change_reject,
    payee_change_request,
)
from .receipts import (
    ImportResult,
    ReceiptData,
    find_case_for_match,
    parse_statement,
    receipt_allocate,
    receipt_match,
    receipt_record,
    statement_import,
)

__all__ = [
    "ImportResult",
    "ReceiptData",
    "disbursement_approve_hold",
    "disbursement_hold",
    "disbursement_notify",
    "disbursement_pay",
    "disbursement_release_hold",
    "disbursement_split",
    "find_case_for_match",
    "parse_statement",
    "payee_change",
    "payee_change_approve",
    "payee_change_reject",
    "payee_change_request",
    "receipt_allocate",
    "receipt_match",
    "receipt_record",
    "statement_import",
]
