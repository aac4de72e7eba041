# The case-limit stops, complaints and party messages live in their own subpackages (cases/clockstops,
# cases/complaints, cases/parties); imported here so Django registers the models with the cases app.
from cases.clockstops.models import CaseLimitStop, LimitStopKind  # noqa: E402
from cases.complaints.models import Complaint, ComplaintStatus  # noqa: E402
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
from cases.parties.models import PartyEvent, PartyMessage, PartyMessageStatus  # noqa: E402

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
    "CaseLimitStop", "LimitStopKind", "Complaint", "ComplaintStatus", "PartyEvent", "PartyMessage",
    "PartyMessageStatus",
    "CaseTransfer", "Delegation", "DelegationStatus", "DelegationTask", "Dispute", "DisputeKind", "DisputeStatus",
    "SupervisionOrder", "SupervisionStatus", "TransferKind",
    "Petition", "PetitionStatus",
    "AuctionResult", "AuctionRound", "BasisKind", "Case", "CaseKind", "CaseNumberCounter", "CaseStatus",
    "ClockStop", "Closure", "ControlMeasure", "ExemptKind", "Lead", "LeadStatus", "Milestone", "MilestoneKind",
    "Party", "PartyKind", "PartyRole", "Property", "PropertyQuery", "PropertyStatus",
    "PropertyType", "QueryFeedback", "SuspensionGround", "Track", "ValuationMethod",
]
