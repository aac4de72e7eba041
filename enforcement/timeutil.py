"""Event-time checks shared by every service (SPEC §13 "Event time")."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from .errors import InvalidInput

# Clocks of client machines drift; an act stamped a moment ahead of the server is not "future".
CLOCK_SKEW = timedelta(seconds=60)


def resolve_occurred_at(occurred_at: datetime | None, *, previous: datetime | None,
                        field: str = "occurred_at") -> datetime:
    """The time an act happened: given (offline act entered later) or now.

    Refused (400, per-field) if in the future or before the object's previous event.
    """
    now = timezone.now()
    if occurred_at is None:
        return max(now, previous) if previous else now
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput({field: [gettext("发生时间不能晚于当前时间。")]})
    if previous is not None and occurred_at < previous:
        local = timezone.localtime(previous).strftime("%Y-%m-%d %H:%M")
        raise InvalidInput({field: [gettext("发生时间不能早于上一节点（%(local)s）。") % {"local": local}]})
    return occurred_at
