from .calendar import Calendar, CalendarDay, CalendarYear, DayKind

__all__ = ["Calendar", "CalendarDay", "CalendarYear", "DayKind"]
