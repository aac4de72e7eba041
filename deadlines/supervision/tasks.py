"""Periodic supervision work (registered in CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from .metrics import stats_refresh


# The name is the beat schedule's key to this task; it predates the move into supervision.
@shared_task(name="deadlines.tasks.refresh_dashboard_stats_task", ignore_result=True)
def refresh_dashboard_stats_task() -> str:
    """Run by beat every 10 minutes (CELERY_BEAT_SCHEDULE): rebuild the indicators' summary tables."""
    r = stats_refresh()
    return f"{r.rows} rows in {r.seconds:.1f}s"
