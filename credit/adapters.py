"""Adapters to the credit platform (失信被执行人名单库 / 征信部门, SPEC §1 staff systems).

The outbox (``CreditPlatformMessage``) is written in the acting transaction; after commit a Celery
task hands each queued message to the configured adapter. Every message carries its unique ``key``
so the platform can recognise a re-delivery: delivering twice never publishes twice.

``settings.CREDIT_PLATFORM_ADAPTER`` names the class (dotted path); the default logs the message.
"""

from __future__ import annotations

import json
import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .models import CreditPlatformMessage

logger = logging.getLogger("credit.platform")

DEFAULT_ADAPTER = "credit.adapters.ConsoleCreditPlatform"


class CreditPlatformAdapter(Protocol):
    def push(self, message: CreditPlatformMessage) -> None:
        """Deliver one message; raise on failure (the message stays queued for a retry)."""


class ConsoleCreditPlatform:
    """Development and tests: the message goes to the log."""

    def push(self, message: CreditPlatformMessage) -> None:
        logger.info("[征信平台] %s %s %s", message.action, message.key,
                    json.dumps(message.payload, ensure_ascii=False, sort_keys=True))


def get_adapter() -> CreditPlatformAdapter:
    return import_string(getattr(settings, "CREDIT_PLATFORM_ADAPTER", DEFAULT_ADAPTER))()
