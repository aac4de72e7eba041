"""Size and query count of the case page (issue 13, item 6: unbounded pages).

Loads the demo data, renders the case page of the demo case that holds the most objects as its
judge, then credits N more receipts (and as many disbursements) to that case in bulk and renders it
again; prints ``bytes=… queries=…`` for each. Writes rows: refuses to run unless the database name
contains "bench".
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from funds.models import Disbursement, DisbursementStatus, Receipt, ReceiptStatus


def render_case_page(case: Case) -> tuple[int, int, int]:
    """(status, bytes, queries) of the case page of ``case`` as seen by its judge."""
    client = Client()
    assert case.judge is not None
    client.force_login(case.judge)
    url = f"/cases/{case.pk}/"
    client.get(url)  # warm caches (calendar, rule sets) so the count is the page's own
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(response.content), len(ctx.captured_queries)


def add_receipts(case: Case, n: int) -> None:
    """``n`` identified receipts credited to ``case`` and one disbursement of each, in bulk."""
    now = timezone.now()
    stamp = now.strftime("%Y%m%d%H%M%S%f")
    receipts = Receipt.objects.bulk_create([
        Receipt(court_id=case.court_id, bank_txn_id=f"BENCH{stamp}{i:06d}", account_no=case.account_no,
                amount=Decimal("100.00"), payer="被执行人", received_at=now - timedelta(minutes=i),
                case=case, status=ReceiptStatus.IDENTIFIED, matched_at=now)
        for i in range(n)
    ])
    party = case.parties.filter(role="applicant").first()
    Disbursement.objects.bulk_create([
        Disbursement(case=case, receipt=r, party=party, amount=Decimal("100.00"), status=DisbursementStatus.PENDING,
                     created_at=now, last_event_at=now)
        for r in receipts
    ])


class Command(BaseCommand):
    help = "Bytes and SQL queries of the case page: the richest demo case, then with N more receipts."

    def add_arguments(self, parser):
        parser.add_argument("--receipts", type=int, default=1000)

    def handle(self, *args, receipts: int, **options):
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("为防误改数据，基准测试只在名称含 bench 的数据库上运行。")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("loaddemo", force=True, stdout=self.stdout if options["verbosity"] > 1 else _Null())
        case = (Case.objects.exclude(judge=None).annotate(n=Count("receipts", distinct=True)
                                                           + Count("deadlines", distinct=True))
                .order_by("-n", "id").first())
        if case is None:
            raise CommandError("演示数据中没有已分配承办法官的案件。")
        status, size, queries = render_case_page(case)
        self.stdout.write(f"demo case {case.number}: status={status} bytes={size} queries={queries}")
        add_receipts(case, receipts)
        status, size, queries = render_case_page(case)
        self.stdout.write(f"with {receipts} more receipts: status={status} bytes={size} queries={queries}")


class _Null:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
