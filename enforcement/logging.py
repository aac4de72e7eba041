"""Logging helpers wired in ``settings.LOGGING``."""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 is a refusal the user was shown, not a fault: Django logs it with the exception's
    traceback, which says nothing about the cause. Keep the one line (method, path, status), drop
    the traceback; server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
