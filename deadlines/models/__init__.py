from .calendar import Calendar, CalendarDay, CalendarYear, DayKind
from .deadline import OPEN_STATUSES, Alert, AlertLevel, AlertStatus, Deadline, DeadlineStatus
from .rules import Rule, RuleSet, Unit

__all__ = [
    "Alert", "AlertLevel", "AlertStatus", "Calendar", "CalendarDay", "CalendarYear", "DayKind", "Deadline",
    "DeadlineStatus", "OPEN_STATUSES", "Rule", "RuleSet", "Unit",
]
from .stats import CourtDayStats, NodeDayStats, StatsRefresh  # noqa: E402
