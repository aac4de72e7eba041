"""Every write about the debtor's property (SPEC §6.2), one module per aggregate: network queries
(``queries``), creditors' leads (``leads``), control of a property (``control``) and its pricing and
disposal (``disposal``). Callers import the functions from here."""

from cases.property.services.control import (
    MEASURES_BY_TYPE,
    on_case_event,
    property_control,
    property_realize,
    property_release,
    property_renew,
)
from cases.property.services.disposal import (
    auction_exhausted,
    property_end_self_disposal,
    property_record_auction_result,
    property_schedule_auction,
    property_set_reference_price,
    property_start_disposal,
    property_start_valuation,
)
from cases.property.services.leads import lead_confirm, lead_receive, lead_reject, lead_start_verification
from cases.property.services.queries import (
    ROUND_REVIEW_YEARS,
    FoundProperty,
    query_feedback,
    query_initiate,
    round_review_ends,
)

__all__ = [
    "FoundProperty", "MEASURES_BY_TYPE", "ROUND_REVIEW_YEARS", "auction_exhausted", "lead_confirm", "lead_receive",
    "lead_reject", "lead_start_verification", "on_case_event", "property_control", "property_end_self_disposal",
    "property_realize", "property_record_auction_result", "property_release", "property_renew",
    "property_schedule_auction", "property_set_reference_price", "property_start_disposal",
    "property_start_valuation", "query_feedback", "query_initiate", "round_review_ends",
]
