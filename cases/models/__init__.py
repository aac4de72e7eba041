# The case-limit stops live in their own subpackage (cases/clockstops); imported here so Django
# registers the model with the cases app.
from cases.clockstops.models import CaseLimitStop, LimitStopKind  # noqa: E402
from cases.coordination.models import (  # noqa: E402
    CaseTransfer,
    Delegation,
    DelegationStatus,
    DelegationTask,
    Dispute,
    DisputeKind,
    DisputeStatus,
    SupervisionOrder,
    SupervisionStatus,
    TransferKind,
)

from .case import (
    BasisKind,
    Case,
    CaseKind,
    CaseNumberCounter,
    CaseStatus,
    ClockStop,
    Closure,
    Milestone,
    MilestoneKind,
    Override,
    OverrideStatus,
    Party,
    PartyKind,
    PartyRole,
    SuspensionGround,
    Track,
)
from .petition import Petition, PetitionStatus
from .property import (
    ALL_CATEGORIES,
    AuctionResult,
    AuctionRound,
    ControlMeasure,
    DisposalMethod,
    ExemptKind,
    Lead,
    LeadStatus,
    Property,
    PropertyQuery,
    PropertyStatus,
    PropertyType,
    QueryChannel,
    QueryFeedback,
    ValuationMethod,
)

__all__ = [
    "CaseLimitStop", "LimitStopKind",
    "CaseTransfer", "Delegation", "DelegationStatus", "DelegationTask", "Dispute", "DisputeKind", "DisputeStatus",
    "SupervisionOrder", "SupervisionStatus", "TransferKind",
    "Petition", "PetitionStatus",
    "AuctionResult", "AuctionRound", "BasisKind", "Case", "CaseKind", "CaseNumberCounter", "CaseStatus",
    "ClockStop", "Closure", "ControlMeasure", "ExemptKind", "Lead", "LeadStatus", "Milestone", "MilestoneKind",
    "Override", "OverrideStatus", "Party", "PartyKind", "PartyRole", "Property", "PropertyQuery", "PropertyStatus",
    "PropertyType", "QueryFeedback", "SuspensionGround", "Track", "ValuationMethod",
]
