from django.core.management.base import BaseCommand, CommandError

from enforcement.audit import audit_verify
from enforcement.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chains; exit non-zero if a row was edited or removed (SPEC §12)."

    def handle(self, *args, **options):
        problems = list(audit_verify())
        for line in problems:
            self.stderr.write(line)
        if problems:
            # Name the rows in the error itself: cron mails and CI logs often keep only this line.
            shown = "；".join(problems[:5]) + ("……" if len(problems) > 5 else "")
            raise CommandError(f"审计链校验失败：发现 {len(problems)} 处问题：{shown}")
        self.stdout.write(f"审计链完整：共 {AuditEvent.objects.count()} 条事件，未发现篡改或删除。")
