"""Every write of the coordination area, one module per aggregate (SPEC §11): supervision orders,
transfers, disputes and delegated tasks. Each function checks role and court, guards, changes
state, runs the clocks and writes the audit event in one transaction."""

from .delegations import delegation_accept, delegation_complete, delegation_request, delegation_return
from .disputes import dispute_implement, dispute_refer, dispute_report, dispute_resolve, dispute_start_coordination
from .supervision import supervision_order_issue, supervision_order_reply
from .transfers import case_transfer

__all__ = [
    "case_transfer", "delegation_accept", "delegation_complete", "delegation_request", "delegation_return",
    "dispute_implement", "dispute_refer", "dispute_report", "dispute_resolve", "dispute_start_coordination",
    "supervision_order_issue", "supervision_order_reply",
]
