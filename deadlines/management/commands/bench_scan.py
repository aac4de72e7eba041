"""Benchmark of the breach scan at scale (issue: the legal clock, item 6; SPEC §5).

Generates N cases with their deadlines on PostgreSQL server-side (INSERT … SELECT generate_series,
no per-row saves), then times ``scan_deadlines`` when 0.1 % and 1 % of the cases' deadlines are
newly due, and again after the closed history is made 10× larger. Prints the figures and the
queries per batch. Wipes cases, deadlines and alerts: it refuses to run unless the database name
contains "bench".
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deadlines.models import Rule
from deadlines.scan import scan_deadlines
from deadlines.services import rulesets_seed
from enforcement.models import Court, CourtLevel, Role, User, UserRole


class Command(BaseCommand):
    help = "Time the deadline scan over a generated data set (PostgreSQL, database name must contain 'bench')."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--history-factor", type=int, default=10)
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, cases: int, history_factor: int, batch_size: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("基准测试须在 PostgreSQL 上运行（设置 DATABASE_URL）。")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("为防误删数据，基准测试只在名称含 bench 的数据库上运行。")
        self.now = timezone.now().replace(microsecond=0)
        self.batch_size = batch_size
        court, user, rule = self.setup()
        t = time.perf_counter()
        self.generate(cases, court, user, rule)
        self.stdout.write(f"生成 {cases:,} 件案件及其期限：{time.perf_counter() - t:.1f} 秒")
        self.report_sizes()
        base = {}
        for share in (0.001, 0.01):
            base[share] = self.measure(share, cases)
        t = time.perf_counter()
        self.grow_history(cases, history_factor, court, user, rule)
        self.stdout.write(f"历史（已完成）期限扩大到 {history_factor} 倍：{time.perf_counter() - t:.1f} 秒")
        self.report_sizes()
        for share in (0.001, 0.01):
            seconds, per_batch = self.measure(share, cases)
            ratio = seconds / base[share][0] if base[share][0] else float("nan")
            self.stdout.write(f"  历史扩大后 / 扩大前耗时比：{ratio:.2f}（目标 ≤ 1.5）")

    # --- data ----------------------------------------------------------------------------------

    def setup(self):
        court, _ = Court.objects.get_or_create(name="基准测试法院",
                                               defaults={"code": "测基", "level": CourtLevel.BASIC})
        user, _ = User.objects.get_or_create(username="bench_judge", defaults={"name": "基准法官", "court": court})
        UserRole.objects.get_or_create(user=user, role=Role.POST_JUDGE)
        rulesets_seed()
        rule = Rule.objects.get(rule_set__code="national", node="CASE_LIMIT", condition={})
        with connection.cursor() as c:
            c.execute("TRUNCATE deadlines_alert, deadlines_deadline, cases_party, cases_milestone, cases_clockstop, "
                      "cases_override, cases_case RESTART IDENTITY CASCADE")
        return court, user, rule

    def generate(self, n, court, user, rule):
        """N cases (90 % closed); per case one met deadline (history) and, for open cases, one running
        CASE_LIMIT not yet due; closed cases also carry a met CASE_LIMIT."""
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO cases_case (court_id, number, year, seq, kind, basis, basis_kind, claim_amount, costs,
                    status, closure, track, judge_id, filed_at, last_event_at, payee_bank, payee_account_no,
                    payee_holder, payee_method, account_no, government_organ_debtor, livelihood, four_kinds,
                    priority_party, created_at, updated_at)
                SELECT %(court)s, '(2026)测基执' || g || '号', 2026, g, 'first', '基准测试判决书', 'litigation',
                    10000, 0,
                    CASE WHEN g %% 10 = 0 THEN 'in_progress' ELSE 'closed' END,
                    CASE WHEN g %% 10 = 0 THEN '' ELSE 'performed' END, 'normal', %(user)s,
                    %(now)s - interval '200 days', %(now)s - interval '10 days', '基准银行', '6222000000000000',
                    '基准申请人', 'bank_transfer', 'B' || g, false, false, false, false, %(now)s, %(now)s
                FROM generate_series(1, %(n)s) AS g
                """,
                {"court": court.pk, "user": user.pk, "now": self.now, "n": n},
            )
            self.insert_deadlines(c, court, user, rule, status_sql="'met'", where="TRUE", copies=1)
            c.execute(
                """
                INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                    responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_late,
                    next_alert_at, alert_level, candidates, shifts, created_at)
                SELECT 'CASE_LIMIT', %(rule)s, id, %(court)s, 'case', id, %(user)s, 'case.filed', filed_at,
                    %(now)s + interval '30 days', 'months', 'running', false, false,
                    %(now)s + interval '29 days', '', '[]', '[]', %(now)s
                FROM cases_case WHERE status = 'in_progress'
                """,
                {"rule": rule.pk, "court": court.pk, "user": user.pk, "now": self.now},
            )
        self.vacuum()

    def insert_deadlines(self, c, court, user, rule, *, status_sql, where, copies):
        c.execute(
            f"""
            INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_at,
                completed_late, next_alert_at, alert_level, candidates, shifts, created_at)
            SELECT 'CASE_ACCEPT', %(rule)s, cc.id, %(court)s, 'case', cc.id, %(user)s, 'case.filed', cc.filed_at,
                cc.filed_at + interval '7 days', 'days', {status_sql}, false, cc.filed_at + interval '3 days',
                false, NULL, '', '[]', '[]', %(now)s
            FROM cases_case cc CROSS JOIN generate_series(1, %(copies)s) WHERE {where}
            """,
            {"rule": rule.pk, "court": court.pk, "user": user.pk, "now": self.now, "copies": copies},
        )

    def grow_history(self, n, factor, court, user, rule):
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM deadlines_deadline WHERE status = 'met'")
            before = c.fetchone()[0]
            # Add (factor - 1) × the existing closed history, as more met deadlines of the closed cases.
            self.insert_deadlines(c, court, user, rule, status_sql="'met'", where="cc.status = 'closed'",
                                  copies=max(1, round((factor - 1) * before / max(1, int(n * 0.9)))))
        self.vacuum()

    def report_sizes(self):
        with connection.cursor() as c:
            c.execute("SELECT status, count(*) FROM deadlines_deadline GROUP BY status ORDER BY status")
            rows = ", ".join(f"{s} {k:,}" for s, k in c.fetchall())
        self.stdout.write(f"  期限表：{rows}")

    # --- measurement ---------------------------------------------------------------------------

    def vacuum(self) -> None:
        """What autovacuum does in production: reclaim the dead rows the resets leave, refresh statistics."""
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE cases_case")
            c.execute("VACUUM ANALYZE deadlines_deadline")
            c.execute("VACUUM ANALYZE deadlines_alert")

    def reset(self, due_count: int) -> None:
        with connection.cursor() as c:
            c.execute("DELETE FROM deadlines_alert")
            c.execute("DELETE FROM enforcement_notification")
            # Every running clock back to "not yet due", then exactly ``due_count`` newly breached.
            c.execute(
                "UPDATE deadlines_deadline SET alert_level = '', due_at = %(now)s + interval '30 days', "
                "next_alert_at = %(now)s + interval '29 days', status = 'running' "
                "WHERE status IN ('running', 'breached') AND (next_alert_at IS NULL OR next_alert_at < %(now)s "
                "OR alert_level <> '')",
                {"now": self.now},
            )
            c.execute(
                "UPDATE deadlines_deadline SET due_at = %(now)s - interval '1 hour', "
                "next_alert_at = %(now)s - interval '1 day' WHERE id IN ("
                "SELECT id FROM deadlines_deadline WHERE status = 'running' ORDER BY id LIMIT %(k)s)",
                {"now": self.now, "k": due_count},
            )
        self.vacuum()

    def measure(self, share: float, n: int, runs: int = 3):
        """Median of ``runs`` scans, each over a freshly reset set of ``share`` × n newly due deadlines."""
        due_count = int(n * share)
        times, per_batch, batches, raised, again = [], 0.0, 0, 0, 0
        for _ in range(runs):
            self.reset(due_count)
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                result = scan_deadlines(now=self.now + timedelta(seconds=1), batch_size=self.batch_size)
                times.append(time.perf_counter() - t)
            batches, raised = result.batches, sum(result.raised.values())
            per_batch = len(ctx.captured_queries) / max(1, result.batches)
            again = sum(scan_deadlines(now=self.now + timedelta(seconds=2), batch_size=self.batch_size).raised.values())
        seconds = statistics.median(times)
        self.stdout.write(
            f"新到期 {due_count:,}（{share:.1%}）：扫描中位数 {seconds:.3f} 秒"
            f"（{runs} 次：{', '.join(f'{x:.3f}' for x in times)}），"
            f"{batches} 批，新增预警 {raised:,}，每批约 {per_batch:.1f} 条 SQL；重复扫描新增 {again}"
        )
        return seconds, per_batch
