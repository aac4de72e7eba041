"""Celery tasks of the kernel: thin, they call the services. The outbox's own task
(``enforcement.outbox.dispatch``) lives with the outbox."""

from celery import shared_task

from .audit import audit_checkpoint
from .notifications import deliver
from .outbox import outbox_sweep


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def deliver_notifications(ids: list[int]) -> int:
    """Kept for messages a broker still holds from before the outbox; new deliveries go through it."""
    return deliver(ids)


@shared_task
def outbox_sweep_task() -> dict[str, int]:
    """Beat, every minute: relay what is still queued, forget what is past retention."""
    return outbox_sweep()


@shared_task
def checkpoint_audit_task() -> bool:
    """SPEC §12: anchor every audit chain's head outside the database (beat, every minute)."""
    return audit_checkpoint() is not None
