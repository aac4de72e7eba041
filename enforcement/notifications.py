"""The notification outbox (SPEC §5, §10): rows written in the acting transaction, delivered
after commit by a Celery task through pluggable channel adapters."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, User

logger = logging.getLogger("enforcement.notifications")


class Adapter(Protocol):
    channel: str

    def send(self, notification: Notification) -> None: ...


class InAppAdapter:
    """In-app: the row itself is the message; the user's list shows it."""

    channel = "inapp"

    def send(self, notification: Notification) -> None:
        return None


class ConsoleAdapter:
    """Development: print what an SMS would say."""

    channel = "console"

    def send(self, notification: Notification) -> None:
        who = notification.recipient.username if notification.recipient_id else notification.address
        logger.info("[通知→%s] %s %s", who, notification.title, notification.body)


class EmailAdapter:
    channel = "email"

    def send(self, notification: Notification) -> None:
        address = notification.recipient.email if notification.recipient_id else notification.address
        if address:
            send_mail(notification.title, notification.body, None, [address])


ADAPTERS: dict[str, Adapter] = {a.channel: a for a in (InAppAdapter(), ConsoleAdapter(), EmailAdapter())}


def notify(*, recipients: Iterable[User], kind: str, title: str, body: str = "",
           case_id: int | None = None) -> list[Notification]:
    """Queue one in-app notification per recipient; delivery runs after commit."""
    rows = [
        Notification(recipient=u, channel="inapp", kind=kind, title=title, body=body, case_id=case_id)
        for u in {u.pk: u for u in recipients if u is not None}.values()
    ]
    return queue(rows)


def queue(rows: list[Notification]) -> list[Notification]:
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk is not None]
    if ids:
        from .tasks import deliver_notifications

        transaction.on_commit(lambda: deliver_notifications.delay(ids))
    return created


def deliver(ids: list[int]) -> int:
    """Send queued notifications through every configured adapter; idempotent (only queued rows)."""
    sent = 0
    channels = [c for c in settings.NOTIFICATION_ADAPTERS if c in ADAPTERS]
    for n in Notification.objects.select_related("recipient").filter(pk__in=ids, status=Notification.Status.QUEUED):
        try:
            for channel in channels:
                ADAPTERS[channel].send(n)
        except Exception:  # an adapter's outage must not lose the message: it stays queued for a retry
            logger.exception("notification %s delivery failed", n.pk)
            continue
        Notification.objects.filter(pk=n.pk, status=Notification.Status.QUEUED).update(
            status=Notification.Status.SENT, sent_at=timezone.now()
        )
        sent += 1
    return sent
