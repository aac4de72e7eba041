"""Short dates that never drop a year that matters: "12-02 17:00" this year, "2027-12-02 17:00" else."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext

register = template.Library()


def _local(value):
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def short_when(value) -> str:
    """A date and time, with the year unless it is this year."""
    if not value:
        return ""
    v = _local(value)
    this_year = timezone.localdate().year
    if isinstance(v, datetime):
        return v.strftime("%m-%d %H:%M" if v.year == this_year else "%Y-%m-%d %H:%M")
    return short_day(v)


@register.filter
def short_day(value) -> str:
    """A date in Chinese, with the year unless it is this year: 12月2日 / 2027年12月2日."""
    if not value:
        return ""
    v = _local(value)
    d = v.date() if isinstance(v, datetime) else v
    if not isinstance(d, date):
        return str(value)
    if d.year == timezone.localdate().year:
        return gettext("%(month)s月%(day)s日") % {"month": d.month, "day": d.day}
    return gettext("%(year)s年%(month)s月%(day)s日") % {"year": d.year, "month": d.month, "day": d.day}
