from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from deadlines.models import AlertLevel
from deadlines.scan import scan_deadlines


class Command(BaseCommand):
    help = "Run the deadline scan once, synchronously, as of now or --now (SPEC §5, §13)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO datetime; naive values are Asia/Shanghai")

    def handle(self, *args, now=None, **options):
        at = None
        if now:
            at = parse_datetime(now)
            if at is None:
                raise CommandError(f"--now 须为 ISO 时间，如 2026-10-13T00:00:00+08:00，收到：{now}")
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        result = scan_deadlines(now=at)
        for deadline_id, node, level in result.alerts:
            self.stdout.write(f"{AlertLevel(level).label}\t{node}\tdeadline #{deadline_id}")
        self.stdout.write(result.summary())
