"""Period arithmetic (SPEC §3). The one module that knows how a legal period is counted."""

from __future__ import annotations

import calendar as _pycal
from datetime import date


def add_months(d: date, months: int) -> date:
    """Calendar months with month-end clamping: 2026-01-31 + 1 month = 2026-02-28 (SPEC §3)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _pycal.monthrange(year, month)[1]))
