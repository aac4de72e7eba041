from celery import shared_task

from .notifications import deliver


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def deliver_notifications(ids: list[int]) -> int:
    return deliver(ids)
