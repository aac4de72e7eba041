"""Calendar changes recompute the deadlines they affect (SPEC §3: provisional dues are recomputed
automatically when the year is loaded)."""

from django.dispatch import receiver

from .services import deadlines_recompute_provisional
from .signals import calendar_year_loaded


@receiver(calendar_year_loaded)
def recompute_on_year_loaded(sender, calendar, year, actor=None, **kwargs) -> None:
    deadlines_recompute_provisional(year=year, actor=actor)
