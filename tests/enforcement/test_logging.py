"""A refused request (403) is logged once, as one line, without a traceback (issue 17)."""

import io
import logging.config

import pytest
from django.conf import settings as django_settings
from django.utils.log import DEFAULT_LOGGING


@pytest.fixture
def log_output(settings):
    """Logging configured as at start-up (Django's defaults, then the project's), in development
    (DEBUG on), with every stream handler writing to one buffer."""
    settings.DEBUG = True
    logging.config.dictConfig(DEFAULT_LOGGING)
    logging.config.dictConfig(django_settings.LOGGING)
    buf = io.StringIO()
    for name in ("", "django", "django.request"):
        for h in logging.getLogger(name).handlers:
            if isinstance(h, logging.StreamHandler):
                h.setStream(buf)
    yield buf
    logging.config.dictConfig(django_settings.LOGGING)


def test_a_403_is_logged_once_and_without_a_traceback(client, people, log_output):
    # given a judge, who may not open the supervisors' console
    client.force_login(people.judge)
    # when the page refuses them
    response = client.get("/dashboard/")
    assert response.status_code == 403
    # then one line says so, and no traceback is printed
    err = log_output.getvalue()
    assert err.count("Forbidden") == 1, err
    assert "Traceback" not in err


def test_a_server_error_keeps_its_traceback(log_output):
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.error("Internal Server Error: /x/", exc_info=True, extra={"status_code": 500})
    assert log_output.getvalue().count("Traceback") == 1
