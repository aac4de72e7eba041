"""Celery tasks of the credit app: thin, they call the services. Platform messages leave through the
outbox (``enforcement.outbox``, topic ``credit.platform``); the services never import this module."""

from __future__ import annotations

from celery import shared_task

from .delivery import deliver, deliver_pending
from .services import sanctions_expire


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def deliver_platform_messages(ids: list[int]) -> int:
    """Kept for messages a broker still holds from before the outbox; new deliveries go through it."""
    return deliver(ids)


@shared_task(ignore_result=True)
def expire_sanctions_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE "expire-sanctions"): expired listings are lifted, queued messages
    left undelivered (e.g. a platform outage) are pushed again."""
    expired = sanctions_expire()
    deliver_pending()
    return len(expired)
