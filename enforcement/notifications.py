"""Notifications (SPEC §5, §10): rows written in the acting transaction, delivered after commit
through pluggable channel adapters. Delivery goes through the transactional outbox
(``enforcement.outbox``, topic ``notifications.deliver``), so a broker outage delays it and never
fails the act; ``deliver`` sends each notification once, whatever the re-deliveries."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, User
from .outbox import outbox_handler, outbox_send

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
        outbox_send(topic=DELIVER_TOPIC, payload={"ids": ids})
    return created


DELIVER_TOPIC = "notifications.deliver"


@outbox_handler(DELIVER_TOPIC)
def deliver(ids: list[int]) -> int:
    """Send queued notifications through every configured adapter; returns how many were sent.

    Exactly once: each row is locked (a concurrent delivery skips it) and marked sent in the same
    transaction as its sending; a failing adapter leaves it queued for the next try."""
    sent = 0
    channels = [c for c in settings.NOTIFICATION_ADAPTERS if c in ADAPTERS]
    for pk in ids:
        with transaction.atomic():
            n = (Notification.objects.select_for_update(skip_locked=True, of=("self",)).select_related("recipient")
                 .filter(pk=pk, status=Notification.Status.QUEUED).first())
            if n is None:
                continue
            try:
                for channel in channels:
                    ADAPTERS[channel].send(n)
            except Exception:  # an adapter's outage must not lose the message: it stays queued for a retry
                logger.exception("notification %s delivery failed", n.pk)
                continue
            n.status, n.sent_at = Notification.Status.SENT, timezone.now()
            n.save(update_fields=["status", "sent_at"])
            sent += 1
    return sent
