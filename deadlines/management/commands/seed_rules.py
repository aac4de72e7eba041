from django.core.management.base import BaseCommand

from deadlines.services import rulesets_seed


class Command(BaseCommand):
    help = "Create the national, Luoyang-2021 and Zhejiang-2016 rule sets (SPEC §4). Idempotent."

    def handle(self, *args, **options):
        created = rulesets_seed()
        self.stdout.write(f"期限规则：新增 {created} 条（已有规则保持不变，适用法院已关联）。")
