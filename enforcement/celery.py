"""The Celery application. Periodic work is registered in one place: CELERY_BEAT_SCHEDULE in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enforcement.settings")

app = Celery("enforcement")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Subpackages of an app keep their own tasks module (supervision reads every floor, so it cannot
# live in deadlines/tasks.py).
app.autodiscover_tasks(["deadlines.supervision", "deadlines.whatif"])
