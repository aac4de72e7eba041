"""The transactional outbox (STYLE: side effects that leave the database are outbox rows written in
the act's transaction and sent by a relay after commit, and by a sweep for anything left queued).

* ``outbox_send(topic=…, payload=…)`` — in the acting service, inside its transaction: writes one
  ``OutboxMessage`` and asks for a relay once the transaction commits. A rolled-back act leaves no
  row and sends nothing.
* ``outbox_relay`` — hands queued rows to the broker (one Celery task, ``outbox_dispatch``). A broker
  failure is logged and recorded on the row, which stays queued; the request whose act committed
  never sees it. After a failure the web process stops trying for a few seconds (the sweep sends
  what is left), so an outage costs one short timeout, not one per request.
* ``outbox_sweep`` — beat, every minute: relays rows still queued after a minute, re-queues rows the
  broker accepted but no worker finished within ten minutes (a lost message, a dead worker), and
  forgets done rows and idempotency keys past their retention.
* ``outbox_run`` — in the worker: claims the row, runs the topic's handler, marks it done. A second
  delivery of the same task finds it running or done and does nothing; the handlers are idempotent
  themselves (each locks its own rows), so even a re-run after a dead worker sends nothing twice.

A module registers the handler of its topic with ``@outbox_handler("topic")``; the kernel never
imports the modules it runs for (they register in their ``AppConfig.ready``), and a service names its
topic, never a task, so services and tasks do not import each other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import IdempotencyRecord, OutboxMessage

logger = logging.getLogger("enforcement.outbox")

Handler = Callable[..., object]
_H = TypeVar("_H", bound=Handler)
_handlers: dict[str, Handler] = {}

# After a broker failure the web process leaves relaying to the sweep for this long (monotonic time).
_broker_down_until = 0.0


def outbox_handler(topic: str) -> Callable[[_H], _H]:
    """Register the function that carries out ``topic``'s messages: called as ``handler(**payload)``
    in the worker; it must be safe to run again for the same payload."""

    def register(fn: _H) -> _H:
        if _handlers.get(topic, fn) is not fn:
            raise ValueError(f"outbox topic {topic!r} already has a handler")
        _handlers[topic] = fn
        return fn

    return register


def outbox_topics() -> frozenset[str]:
    return frozenset(_handlers)


def outbox_send(*, topic: str, payload: dict) -> OutboxMessage:
    """Queue one side effect in the current transaction; it leaves after commit."""
    if topic not in _handlers:
        raise LookupError(f"no outbox handler is registered for {topic!r}")
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    # robust: whatever goes wrong after commit is logged, never raised into the committed request.
    transaction.on_commit(partial(outbox_relay, ids=[message.pk], after_commit=True), robust=True)
    return message


def outbox_relay(*, ids: list[int] | None = None, older_than: timedelta | None = None, limit: int = 500,
                 after_commit: bool = False, now: datetime | None = None) -> int:
    """Hand queued rows to the broker; returns how many it accepted. Rows a concurrent relay holds
    are skipped (SKIP LOCKED), so the on-commit relay and the sweep never send a row twice at once."""
    global _broker_down_until
    if after_commit and time.monotonic() < _broker_down_until:
        return 0  # the broker failed moments ago: the sweep sends these
    now = now or timezone.now()
    accepted: list[int] = []
    with transaction.atomic():
        rows = OutboxMessage.objects.select_for_update(skip_locked=True).filter(status=OutboxMessage.Status.QUEUED)
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        if older_than is not None:
            rows = rows.filter(created_at__lt=now - older_than)
        for row in rows.order_by("id")[:limit]:
            try:
                outbox_dispatch.apply_async(
                    args=[row.pk], task_id=f"outbox-{row.pk}-{row.attempts + 1}",
                    retry=settings.OUTBOX_PUBLISH_RETRY,
                )
            except Exception as exc:  # noqa: BLE001 - any broker failure: the row stays queued
                logger.warning("outbox message %s not handed to the broker (%s: %s); it stays queued",
                               row.pk, type(exc).__name__, exc)
                OutboxMessage.objects.filter(pk=row.pk).update(
                    attempts=F("attempts") + 1, last_attempt_at=now, last_error=f"{type(exc).__name__}: {exc}"[:2000]
                )
                _broker_down_until = time.monotonic() + settings.OUTBOX_BROKER_BACKOFF_SECONDS
                break
            accepted.append(row.pk)
        OutboxMessage.objects.filter(pk__in=accepted).update(attempts=F("attempts") + 1, last_attempt_at=now,
                                                             last_error="")
        # An eager run (tests, CELERY_TASK_ALWAYS_EAGER) has already marked its rows done.
        OutboxMessage.objects.filter(pk__in=accepted, status=OutboxMessage.Status.QUEUED).update(
            status=OutboxMessage.Status.SENT)
    if accepted:
        _broker_down_until = 0.0
    return len(accepted)


def outbox_run(message_id: int) -> bool:
    """Carry out one message (in the worker). True if it ran now, False if it was done or is running.

    The row is claimed (``running``) in a short transaction and the handler runs outside it, so a
    long handler can commit its own progress; a failing one puts the row back to ``sent`` for the
    task's retry (and the sweep, should that retry be lost)."""
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if row is None or row.status in (OutboxMessage.Status.DONE, OutboxMessage.Status.RUNNING):
            return False
        handler = _handlers.get(row.topic)
        if handler is None:
            raise LookupError(f"no outbox handler is registered for {row.topic!r}")
        row.status, row.last_attempt_at = OutboxMessage.Status.RUNNING, timezone.now()
        row.save(update_fields=["status", "last_attempt_at"])
    try:
        handler(**row.payload)
    except Exception as exc:
        OutboxMessage.objects.filter(pk=row.pk, status=OutboxMessage.Status.RUNNING).update(
            status=OutboxMessage.Status.SENT, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.DONE, done_at=timezone.now())
    return True


def outbox_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic half of the relay (beat, every minute; safe to overlap and to repeat)."""
    now = now or timezone.now()
    lost = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.RUNNING],
        last_attempt_at__lt=now - settings.OUTBOX_REDISPATCH_AFTER,
    ).update(status=OutboxMessage.Status.QUEUED)
    relayed = outbox_relay(older_than=settings.OUTBOX_RETRY_AFTER, now=now)
    purged, _ = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.DONE, done_at__lt=now - settings.OUTBOX_KEEP_DONE
    ).delete()
    keys, _ = IdempotencyRecord.objects.filter(created_at__lt=now - settings.IDEMPOTENCY_KEY_TTL).delete()
    return {"requeued": lost, "relayed": relayed, "purged": purged, "expired_keys": keys}


@shared_task(name="enforcement.outbox.dispatch", autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=300, max_retries=8)
def outbox_dispatch(message_id: int) -> bool:
    return outbox_run(message_id)
