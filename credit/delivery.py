"""Delivery of the credit-platform messages through the configured adapter, as the handler of the
outbox topic ``credit.platform`` (``enforcement.outbox``). Exactly once: each row is locked while it
is pushed (a concurrent delivery skips it) and marked sent in the same transaction, and the platform
recognises a re-delivered message by its unique ``key`` should the commit itself fail."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enforcement.outbox import outbox_handler

from .adapters import get_adapter
from .models import CreditPlatformMessage, PlatformMessageStatus

logger = logging.getLogger("credit.platform")


PLATFORM_TOPIC = "credit.platform"


@outbox_handler(PLATFORM_TOPIC)
def deliver(ids: list[int]) -> int:
    adapter = get_adapter()
    sent = 0
    for pk in sorted(ids):
        with transaction.atomic():
            message = (CreditPlatformMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, status=PlatformMessageStatus.QUEUED).first())
            if message is None:
                continue
            message.attempts += 1
            try:
                adapter.push(message)
            except Exception as exc:  # an outage must not lose the message: it stays queued for a retry
                logger.exception("credit platform message %s failed", message.pk)
                message.last_error = str(exc)[:2000]
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.status, message.sent_at, message.last_error = PlatformMessageStatus.SENT, timezone.now(), ""
            message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
            sent += 1
    return sent


def deliver_pending(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Push messages still queued some minutes after they were written (the on-commit task was lost)."""
    cutoff = timezone.now() - older_than
    ids = list(
        CreditPlatformMessage.objects.filter(status=PlatformMessageStatus.QUEUED, created_at__lt=cutoff)
        .order_by("id").values_list("pk", flat=True)[:1000]
    )
    return deliver(ids) if ids else 0
