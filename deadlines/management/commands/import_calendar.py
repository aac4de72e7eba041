from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from deadlines.calendar_services import calendar_import_file, calendar_local_get_or_create, calendar_national
from enforcement.errors import DomainError, InvalidInput
from enforcement.models import Court


class Command(BaseCommand):
    help = (
        "Load one year's official schedule into the national calendar (or a court's local calendar) "
        "from CSV (date,kind,name) or JSON ([{\"date\", \"kind\", \"name\"}]). All or nothing (SPEC §3)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or JSON file")
        parser.add_argument("--year", type=int, required=True, help="the year the file covers, e.g. 2027")
        parser.add_argument("--calendar-court", type=int, dest="court",
                            help="court id: load into that court's local calendar instead of the national one")
        parser.add_argument("--source", default="", help="source, e.g. 国办发明电〔2026〕X号")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
        source = options["source"] or f"导入文件 {path.name}"
        try:
            # One transaction: a new local calendar is not left behind if the file is rejected.
            with transaction.atomic():
                calendar = self._calendar(options["court"])
                calendar_year = calendar_import_file(calendar=calendar, year=options["year"], content=content,
                                                     filename=path.name, source=source, actor=None)
        except InvalidInput as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    self.stderr.write(f"[{field}] {message}")
            raise CommandError(exc.detail) from exc
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        count = calendar.days.filter(date__year=calendar_year.year).count()
        self.stdout.write(
            f"已载入 {calendar.name} {calendar_year.year} 年：节假日/调休日 {count} 条（来源：{source}）。"
        )

    def _calendar(self, court_id):
        if court_id is None:
            return calendar_national()
        court = Court.objects.filter(pk=court_id).first()
        if court is None:
            raise CommandError(f"法院 id {court_id} 不存在。")
        return calendar_local_get_or_create(court=court, actor=None)
