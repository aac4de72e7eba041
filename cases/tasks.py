from celery import shared_task

from .services import cases_convert_overdue_simple


@shared_task(ignore_result=True)
def convert_overdue_simple_cases_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): simple cases past their period move to the normal track."""
    return cases_convert_overdue_simple()
