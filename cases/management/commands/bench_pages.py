"""Benchmark of the workbench pages at scale (issue: the judges' workbench, item 5).

Generates N cases (default 100,000) with two parties and three deadlines each, server-side on
PostgreSQL, spread over the judges of one court, then renders the judge's workbench, the case list
(judge and supervisor) and a case page through the Django test client, several times each, and
prints the median and maximum server time and the number of SQL queries. Wipes cases: refuses to
run unless the database name contains "bench".
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deadlines.calendar_services import calendar_seed_national
from deadlines.models import Rule
from deadlines.services import rulesets_seed
from enforcement.models import Court, CourtLevel, Role, User, UserRole

JUDGES = 50


class Command(BaseCommand):
    help = "Time the workbench pages over N generated cases (PostgreSQL, database name must contain 'bench')."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args, cases: int, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("基准测试须在 PostgreSQL 上运行（设置 DATABASE_URL）。")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("为防误删数据，基准测试只在名称含 bench 的数据库上运行。")
        calendar_seed_national()
        court, judge, supervisor = self.setup()
        rulesets_seed()
        t = time.perf_counter()
        self.generate(cases, court)
        self.stdout.write(f"生成 {cases:,} 件案件（每件 2 名当事人、3 个期限）：{time.perf_counter() - t:.1f} 秒")
        mine = judge.cases_as_judge.count()
        self.stdout.write(f"基准法官承办 {mine:,} 件；监管人员可见 {cases:,} 件")
        case_id = judge.cases_as_judge.order_by("-id").values_list("id", flat=True).first()
        pages = [
            (judge, "/", "法官工作台（本人未结案件 + 近期到期）"),
            (judge, "/cases/", "我的案件列表"),
            (supervisor, "/cases/", "监管人员全部案件列表"),
            (judge, f"/cases/{case_id}/", "案件页"),
            (judge, "/api/v1/cases/?page_size=50", "API 案件列表"),
        ]
        for user, path, label in pages:
            self.measure(user, path, label, runs)

    def setup(self):
        court, _ = Court.objects.get_or_create(name="页面基准法院",
                                               defaults={"code": "页基", "level": CourtLevel.BASIC})
        judges = []
        for i in range(JUDGES):
            u, _ = User.objects.get_or_create(username=f"bench_judge{i}",
                                              defaults={"name": f"法官{i}", "court": court})
            UserRole.objects.get_or_create(user=u, role=Role.POST_JUDGE)
            judges.append(u)
        supervisor, _ = User.objects.get_or_create(username="bench_supervisor",
                                                   defaults={"name": "监管", "court": court})
        UserRole.objects.get_or_create(user=supervisor, role=Role.SUPERVISOR)
        with connection.cursor() as c:
            c.execute("TRUNCATE deadlines_alert, deadlines_deadline, cases_party, cases_milestone, cases_clockstop, "
                      "cases_override, cases_case RESTART IDENTITY CASCADE")
        self.judge_ids = [u.pk for u in judges]
        return court, judges[0], supervisor

    def generate(self, n: int, court) -> None:
        now = timezone.now()
        rules = {r.node: r.pk for r in Rule.objects.filter(rule_set__code="national", condition={})}
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO cases_case (court_id, number, year, seq, kind, basis, basis_kind, claim_amount, costs,
                    status, closure, track, judge_id, filed_at, last_event_at, payee_bank, payee_account_no,
                    payee_holder, payee_method, account_no, government_organ_debtor, livelihood, four_kinds,
                    priority_party, created_at, updated_at)
                SELECT %(court)s, '(2026)页基执' || g || '号', 2026, g, 'first',
                    '（2025）页基民初' || g || '号民事判决书', 'litigation', 10000 + g, 0,
                    CASE WHEN g %% 4 = 0 THEN 'closed' ELSE 'in_progress' END,
                    CASE WHEN g %% 4 = 0 THEN 'performed' ELSE '' END, 'normal',
                    (%(judges)s::bigint[])[1 + g %% %(nj)s],
                    %(now)s - (g %% 300) * interval '1 day', %(now)s - interval '1 day', '基准银行',
                    '6222000000000000', '申请人' || g, 'bank_transfer', 'PB' || g, false, false, false, false,
                    %(now)s, %(now)s
                FROM generate_series(1, %(n)s) AS g
                """,
                {"court": court.pk, "judges": self.judge_ids, "nj": len(self.judge_ids), "now": now, "n": n},
            )
            c.execute(
                """
                INSERT INTO cases_party (case_id, role, name, kind, id_number, phone, legal_representative,
                    government_organ, protected)
                SELECT id, r.role, CASE r.role WHEN 'applicant' THEN '申请人' ELSE '被执行人' END || id,
                    'person', '', '', '', false, false
                FROM cases_case CROSS JOIN (VALUES ('applicant'), ('respondent')) AS r(role)
                """
            )
            for node, offset, status in (("CASE_ACCEPT", "-200 days", "met"), ("QUERY_START", "-190 days", "met"),
                                         ("CASE_LIMIT", "20 days", "running")):
                c.execute(
                    f"""
                    INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                        responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_at,
                        completed_late, next_alert_at, alert_level, candidates, shifts, created_at)
                    SELECT %(node)s, %(rule)s, id, court_id, 'case', id, judge_id, 'case.filed', filed_at,
                        %(now)s + interval '{offset}' + (id %% 60) * interval '1 day', 'days',
                        CASE WHEN status = 'closed' THEN 'met' ELSE %(status)s END, false,
                        CASE WHEN status = 'closed' OR %(status)s = 'met' THEN filed_at ELSE NULL END, false,
                        NULL, '', '[]', '[]', %(now)s
                    FROM cases_case
                    """,
                    {"node": node, "rule": rules[node], "now": now, "status": status},
                )
            c.execute("VACUUM ANALYZE cases_case")
            c.execute("VACUUM ANALYZE cases_party")
            c.execute("VACUUM ANALYZE deadlines_deadline")

    def measure(self, user, path: str, label: str, runs: int) -> None:
        client = Client()
        client.force_login(user)
        client.get(path)  # warm caches (session, calendar)
        times, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{path} 返回 {response.status_code}")
            queries = len(ctx.captured_queries)
        self.stdout.write(f"{label}（{path}）：中位数 {statistics.median(times):.0f} ms，最大 {max(times):.0f} ms，"
                          f"{queries} 条 SQL")
