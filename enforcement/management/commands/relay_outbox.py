from django.core.management.base import BaseCommand

from enforcement.models import OutboxMessage
from enforcement.outbox import outbox_relay, outbox_sweep


class Command(BaseCommand):
    help = ("Hand every queued outbox message to the broker now, whatever its age, then run the sweep "
            "(beat runs the sweep every minute). For an operator after a broker outage.")

    def handle(self, *args, **options):
        relayed = outbox_relay()
        swept = outbox_sweep()
        left = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).count()
        self.stdout.write(f"已发出 {relayed + swept['relayed']} 条待办外发，重新排队 {swept['requeued']} 条，"
                          f"仍待发出 {left} 条。")
        if left:
            self.stderr.write("仍有未发出的消息：消息队列（Redis）是否可用？")
