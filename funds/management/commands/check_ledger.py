from django.core.management.base import BaseCommand, CommandError

from funds.ledger import verify


class Command(BaseCommand):
    help = "Verify the funds ledger (SPEC §6.3): balanced entries, per-case identity, no negative balance, " \
           "postings matching receipts and disbursement states. Non-zero exit on any discrepancy."

    def handle(self, *args, **options):
        problems = verify()
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise CommandError(f"案款账务核对发现 {len(problems)} 处不符。")
        self.stdout.write("案款账务核对通过：借贷平衡，各案到账 = 已发放 + 已通知 + 待通知 + 暂缓 + 待分配，无负余额。")
