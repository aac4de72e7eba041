from django.core.management.base import BaseCommand

from deadlines.calendar_services import calendar_seed_national


class Command(BaseCommand):
    help = "Seed the national working-day calendar from chinesecalendar; safe to repeat (SPEC §3)."

    def handle(self, *args, **options):
        result = calendar_seed_national(actor=None)
        years = result.calendar.years.order_by("year").values_list("year", flat=True)
        span = f"{years.first()}–{years.last()}" if years else "无"
        self.stdout.write(
            f"{result.calendar.name}：新增节假日/调休日 {result.days_created} 条，新增已确认年度 "
            f"{result.years_created} 个；已确认年度 {span}。"
        )
