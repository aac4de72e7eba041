from .calendar import Calendar, CalendarDay, CalendarYear, DayKind
from .deadline import (
    OPEN_Q,
    OPEN_STATUSES,
    Alert,
    AlertLevel,
    AlertStatus,
    Deadline,
    DeadlineStatus,
    status_at,
    status_parts,
    status_q,
)
from .rules import Rule, RuleSet, Unit
from .whatif import DraftRule, DraftStatus, RuleDraft, RunStatus

__all__ = [
    "Alert", "AlertLevel", "AlertStatus", "Calendar", "CalendarDay", "CalendarYear", "DayKind", "Deadline",
    "DeadlineStatus", "DraftRule", "DraftStatus", "OPEN_Q", "OPEN_STATUSES", "Rule", "RuleDraft", "RuleSet",
    "RunStatus", "Unit", "status_at", "status_parts", "status_q",
]
from .stats import CourtDayStats, NodeDayStats, StatsRefresh  # noqa: E402
