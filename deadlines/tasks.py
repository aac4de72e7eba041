from celery import shared_task

from .scan import scan_deadlines


@shared_task(ignore_result=True)
def scan_deadlines_task() -> str:
    """Run by beat every minute (CELERY_BEAT_SCHEDULE in settings)."""
    return scan_deadlines().summary()

