from celery import shared_task

from .scan import scan_deadlines


@shared_task(ignore_result=True)
def scan_deadlines_task() -> str:
    """Run by beat every minute (CELERY_BEAT_SCHEDULE in settings)."""
    return scan_deadlines().summary()


@shared_task(ignore_result=True)
def refresh_dashboard_stats_task() -> str:
    """Run by beat every 10 minutes (CELERY_BEAT_SCHEDULE): rebuild the indicators' summary tables."""
    from .metrics import stats_refresh

    r = stats_refresh()
    return f"{r.rows} rows in {r.seconds:.1f}s"
