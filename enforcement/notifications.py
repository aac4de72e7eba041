"""Notifications (SPEC §5, §10): rows written in the acting transaction, delivered after commit
through pluggable channel adapters. Delivery goes through the transactional outbox
(``enforcement.outbox``, topic ``notifications.deliver``), so a broker outage delays it and never
fails the act; ``deliver`` sends each notification once, whatever the re-deliveries."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

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
        who = notification.recipient.username if notification.recipient is not None else notification.address
        logger.info("[通知→%s] %s %s", who, notification.title, notification.body)


class EmailAdapter:
    channel = "email"

    def send(self, notification: Notification) -> None:
        address = notification.recipient.email if notification.recipient is not None else notification.address
        if address:
            send_mail(notification.title, notification.body, None, [address])


ADAPTERS: dict[str, Adapter] = {a.channel: a for a in (InAppAdapter(), ConsoleAdapter(), EmailAdapter())}


Text = str | Callable[[], str]


def stored_text(text: Text) -> str:
    """A text kept in the database (a notification's title or body), worded in the court's default
    language whatever the acting user's interface language: ``text`` is a string, or a function
    building it (``lambda: gettext(...) % {...}``), which runs here under the default language so
    that its translations and choice labels read Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text() if callable(text) else text)


def notify(*, recipients: Iterable[User | None], kind: str, title: Text, body: Text = "",
           case_id: int | None = None) -> list[Notification]:
    """Queue one in-app notification per recipient; delivery runs after commit. ``title`` and
    ``body`` are stored in the default language (``stored_text``): pass a function building them."""
    title, body = stored_text(title), stored_text(body)
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


DELIVER_BATCH = 1000


@outbox_handler(DELIVER_TOPIC)
def deliver(ids: list[int]) -> int:
    """Send queued notifications through every configured adapter; returns how many were sent.

    In batches: each batch's queued rows are locked in one statement (a concurrent delivery skips
    them), sent, and marked sent in one statement in the same transaction. Exactly once: a row
    already sent is not queued any more and is not picked again; a row whose adapter fails stays
    queued for the next try while the rest of its batch is marked sent."""
    sent = 0
    channels = [ADAPTERS[c] for c in settings.NOTIFICATION_ADAPTERS if c in ADAPTERS]
    for start in range(0, len(ids), DELIVER_BATCH):
        chunk = ids[start:start + DELIVER_BATCH]
        with transaction.atomic():
            rows = list(Notification.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related("recipient").filter(pk__in=chunk, status=Notification.Status.QUEUED)
                        .order_by("pk"))
            done = []
            for n in rows:
                try:
                    for adapter in channels:
                        adapter.send(n)
                except Exception:  # an adapter's outage must not lose the message: it stays queued for a retry
                    logger.exception("notification %s delivery failed", n.pk)
                    continue
                done.append(n.pk)
            if done:
                Notification.objects.filter(pk__in=done).update(status=Notification.Status.SENT,
                                                                sent_at=timezone.now())
            sent += len(done)
    return sent
