from celery import shared_task


@shared_task(ignore_result=True)
def replay_draft_task(pk: int) -> None:
    """A long what-if replay (SPEC §11b), queued by ``draft_run``."""
    from .services import draft_run_execute

    draft_run_execute(pk)
