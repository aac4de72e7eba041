"""``python manage.py expire_sanctions [--now ISO]``: the same service as the daily beat task."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from credit.services import sanctions_expire


class Command(BaseCommand):
    help = "将失信期限届满的失信名单移出（解除，原因：期限届满）并通知征信平台。"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按指定时间执行（ISO 日期时间），默认为当前时间")

    def handle(self, *args, **options):
        now = None
        if options.get("now"):
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError("--now 须为 ISO 日期时间，如 2026-11-25T00:10:00+08:00")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        ids = sanctions_expire(now=now)
        self.stdout.write(f"期限届满移出失信名单 {len(ids)} 项" + (f"：{', '.join(map(str, ids))}" if ids else ""))
