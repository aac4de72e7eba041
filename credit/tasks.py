"""Celery tasks of the credit app: thin, they call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def deliver_platform_messages(ids: list[int]) -> int:
    """Queued on commit by every act that tells the credit platform something (outbox)."""
    from .delivery import deliver

    return deliver(ids)


@shared_task(ignore_result=True)
def expire_sanctions_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE "expire-sanctions"): expired listings are lifted, queued messages
    left undelivered (e.g. broker outage) are pushed again."""
    from .delivery import deliver_pending
    from .services import sanctions_expire

    expired = sanctions_expire()
    deliver_pending()
    return len(expired)
