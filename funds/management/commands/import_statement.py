from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enforcement.errors import DomainError
from enforcement.models import Court, User
from funds.services import statement_import


class Command(BaseCommand):
    help = "Import a bank statement CSV (columns bank_txn_id,account_no,amount,payer,received_at). " \
           "Idempotent: importing the same statement twice changes nothing; a bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="import as this finance/admin user (default: console import)")
        parser.add_argument("--court", help="receiving court id or name, for receipts naming no known case account")

    def handle(self, *args, file: Path, user=None, court=None, **options):
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"没有用户 {user}。")
        court_obj = None
        if court:
            court_obj = (Court.objects.filter(pk=int(court)).first() if court.isdigit()
                         else Court.objects.filter(name=court).first())
            if court_obj is None:
                raise CommandError(f"没有法院 {court}。")
        if actor is None and court_obj is None:
            raise CommandError("请用 --user 指定导入人，或用 --court 指定收款法院。")
        try:
            result = statement_import(actor=actor, content=file.read_bytes(), court=court_obj)
        except DomainError as exc:
            lines = [m for msgs in getattr(exc, "errors", {}).values() for m in msgs]
            raise CommandError("\n".join([exc.detail, *lines])) from exc
        self.stdout.write(f"导入完成：新增 {result.created} 笔（其中不明款 {result.unidentified} 笔），"
                          f"重复 {result.duplicates} 笔未重复入账。")
