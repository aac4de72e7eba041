from django.core.management.base import BaseCommand

from enforcement.audit import audit_checkpoint, checkpoint_store


class Command(BaseCommand):
    help = ("Write a checkpoint of every audit chain's head (court, last id, count, head hash) outside the "
            "database; beat does it every minute (SPEC §12).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="write one even if no chain moved since the last")

    def handle(self, *args, force: bool = False, **options):
        store = checkpoint_store()
        record = audit_checkpoint(store=store, force=force)
        where = getattr(store, "path", type(store).__name__)
        if record is None:
            self.stdout.write(f"审计链自上次检查点以来没有变化，未写入新检查点（{where}）。")
            return
        chains = record["chains"]
        events = sum(c["count"] for c in chains)
        self.stdout.write(f"已写入检查点 {record['at']}：{len(chains)} 条链，共 {events} 条事件（{where}）。")
