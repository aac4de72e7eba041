"""Delivery of the credit-platform outbox through the configured adapter. Idempotent: only queued
rows are pushed, each row is marked sent by a conditional update, and the platform recognises a
re-delivered message by its unique ``key``."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from .adapters import get_adapter
from .models import CreditPlatformMessage, PlatformMessageStatus

logger = logging.getLogger("credit.platform")


def deliver(ids: list[int]) -> int:
    adapter = get_adapter()
    sent = 0
    queued = CreditPlatformMessage.objects.filter(pk__in=ids, status=PlatformMessageStatus.QUEUED).order_by("id")
    for message in queued:
        CreditPlatformMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
        try:
            adapter.push(message)
        except Exception as exc:  # an outage must not lose the message: it stays queued for a retry
            logger.exception("credit platform message %s failed", message.pk)
            CreditPlatformMessage.objects.filter(pk=message.pk).update(last_error=str(exc)[:2000])
            continue
        sent += CreditPlatformMessage.objects.filter(pk=message.pk, status=PlatformMessageStatus.QUEUED).update(
            status=PlatformMessageStatus.SENT, sent_at=timezone.now(), last_error=""
        )
    return sent


def deliver_pending(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Push messages still queued some minutes after they were written (the on-commit task was lost)."""
    cutoff = timezone.now() - older_than
    ids = list(
        CreditPlatformMessage.objects.filter(status=PlatformMessageStatus.QUEUED, created_at__lt=cutoff)
        .order_by("id").values_list("pk", flat=True)[:1000]
    )
    return deliver(ids) if ids else 0
