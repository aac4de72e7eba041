from celery import shared_task

from .services import draft_run_execute


@shared_task(ignore_result=True)
def replay_draft_task(pk: int) -> None:
    """Kept for replays a broker still holds from before the outbox; ``draft_run`` now queues the
    replay through the outbox (topic ``whatif.replay``)."""
    draft_run_execute(pk)
