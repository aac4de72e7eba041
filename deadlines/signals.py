"""Signals the calendar sends so the deadline engine can recompute (SPEC §3 "Calendar data").

Both are sent inside the writing transaction, after the new calendar data is visible through
``deadlines.calendar.calendar_for``: a receiver's recomputation commits or rolls back together
with the calendar change. Receivers with side effects outside the database use ``on_commit``.
"""

from django.dispatch import Signal

# A year's schedule was loaded or replaced: provisional deadlines running into it are recomputed.
# kwargs: calendar (Calendar), year (int), actor (User | None)
calendar_year_loaded = Signal()

# Single exceptional days were added, changed or deleted (admin edits).
# kwargs: calendar (Calendar), dates (list[date]), actor (User | None)
calendar_days_changed = Signal()
