from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.models import Case, CaseStatus
from deadlines.calendar_services import calendar_seed_national
from deadlines.scan import scan_deadlines
from deadlines.services import rulesets_seed
from enforcement import demo
from enforcement.demo.whatif import load_whatif


class Command(BaseCommand):
    help = (
        "Load the demo courts, users (password DEMO_PASSWORD, default 'demo') and cases (SPEC §13). "
        "Idempotent: running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Load even when DEBUG is off (creates users with a known password — never in production).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 已关闭：拒绝创建使用公开密码的演示用户。确需加载演示数据，请加 --force。"
                " / DEBUG is off: refusing to create demo users with a known password; use --force to override."
            )
        with transaction.atomic():
            courts, court_result = demo.load_courts()
            users, user_result = demo.load_users(courts, password=settings.DEMO_PASSWORD)
            # The legal clock before any case: the national calendar (also seeded by migration) and
            # the national, Luoyang-2021 and Zhejiang-2016 rule sets attached to their courts.
            calendar_seed_national()
            rules_added = rulesets_seed()
            _, case_result = demo.load_cases(courts, users)
            load_whatif(courts, users)
            # Supervision order, take-up, dispute and delegated task (SPEC §11): one of each.
            coordination = demo.load_coordination(courts, users)
        # Raise the alerts the demo's overdue nodes call for (the beat does this every minute).
        scan = scan_deadlines()
        self.stdout.write(f"协作事项（督办、提级执行、执行争议、事项委托）：新增 {coordination.created} 项")
        self.stdout.write(f"期限规则：新增 {rules_added} 条；期限扫描：{scan.summary()}")
        self._summary(court_result, user_result, case_result)

    def _summary(self, courts: demo.Result, users: demo.Result, cases: demo.Result) -> None:
        if not (courts.created or users.created or cases.created):
            self.stdout.write("演示数据已存在，未作改动。")
        self.stdout.write(f"法院 {courts.total} 个（新增 {courts.created}）")
        self.stdout.write(
            f"用户 {users.total} 个（新增 {users.created}），新建用户的密码为 DEMO_PASSWORD（默认 demo）"
        )
        demo_courts = list(demo.STAFF)
        by_status = Counter(
            Case.objects.filter(court__code__in=demo_courts).values_list("status", flat=True)
        )
        states = "，".join(f"{label} {by_status[value]}" for value, label in CaseStatus.choices)
        self.stdout.write(f"演示案件 {cases.total} 件（本次立案 {cases.created}）；各状态案件数：{states}")
        self.stdout.write(self.style.SUCCESS("演示数据加载完成。"))
