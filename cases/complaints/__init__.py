"""Complaints of a party to the judge (当事人异议/投诉, SPEC §11, [001]): each complaint is its own
record with its own COMPLAINT_REPLY clock (3 days); it is answered by the judge, or referred to the
collegial panel (合议庭) when it is a major dispute, whose answer then completes it."""
