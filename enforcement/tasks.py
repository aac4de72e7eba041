from celery import shared_task

from .audit import audit_checkpoint
from .notifications import deliver


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def deliver_notifications(ids: list[int]) -> int:
    return deliver(ids)


@shared_task
def checkpoint_audit_task() -> bool:
    """SPEC §12: anchor every audit chain's head outside the database (beat, every minute)."""
    return audit_checkpoint() is not None
