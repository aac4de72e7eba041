"""Benchmark of the breach scan at scale (issue: the legal clock, item 6; SPEC §5).

Generates N cases with their deadlines on PostgreSQL server-side (INSERT … SELECT generate_series,
no per-row saves), then, when 0.1 % and 1 % of the cases' deadlines are newly due, times on the
same rows: ``scan_deadlines``; the floor (one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` of the
alerts from the due index, rolled back and again committed); the naive peer (a loop with
``get_or_create``, rolled back); the bulk delivery of the scan's notifications; and the scan again
after the closed history is made 10× larger. Prints the ratios and, last, one line per size
(``newly_due=… scan_ms=… floor_ms=… floor_commit_ms=… peer_ms=… history_ratio=…``).
Wipes cases, deadlines and alerts: it refuses to run unless
the database name contains "bench".
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from deadlines.models import Alert, AlertLevel, Deadline, DeadlineStatus, Rule
from deadlines.scan import BATCH_SIZE, scan_deadlines
from deadlines.services import rulesets_seed
from enforcement import outbox
from enforcement.models import Court, CourtLevel, Notification, Role, User, UserRole
from enforcement.notifications import deliver


class Command(BaseCommand):
    help = "Time the deadline scan over a generated data set (PostgreSQL, database name must contain 'bench')."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--history-factor", type=int, default=10)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, cases: int, history_factor: int, batch_size: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("基准测试须在 PostgreSQL 上运行（设置 DATABASE_URL）。")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("为防误删数据，基准测试只在名称含 bench 的数据库上运行。")
        # The scan's outbox row is relayed to the broker by the sweep here, not by the on-commit hook:
        # the figure is the scan's own work (delivery is timed on its own below).
        outbox._broker_down_until = float("inf")
        self.now = timezone.now().replace(microsecond=0)
        self.batch_size = batch_size
        court, user, rule = self.setup()
        t = time.perf_counter()
        self.generate(cases, court, user, rule)
        self.stdout.write(f"生成 {cases:,} 件案件及其期限：{time.perf_counter() - t:.1f} 秒")
        self.report_sizes()
        sizes = [max(1, int(cases * share)) for share in (0.001, 0.01)]
        base = {k: self.measure(k, peer=True) for k in sizes}
        t = time.perf_counter()
        self.grow_history(cases, history_factor, court, user, rule)
        self.stdout.write(f"历史（已完成）期限扩大到 {history_factor} 倍：{time.perf_counter() - t:.1f} 秒")
        self.report_sizes()
        grown = {k: self.measure(k, peer=False) for k in sizes}
        self.stdout.write("")
        for k in sizes:
            b, g = base[k], grown[k]
            self.stdout.write(
                f"新到期 {k:,}：扫描 ÷ 下限（含提交）{b['scan'] / b['floor_commit']:.2f}（目标 ≤ 3），"
                f"逐行写法 ÷ 扫描 {b['peer'] / b['scan']:.1f}（目标 ≥ 10），"
                f"历史扩大 {history_factor} 倍后 ÷ 前 {g['scan'] / b['scan']:.2f}（目标 ≤ 1.5），"
                f"重复扫描新增 {b['again'] + g['again']}（目标 0）"
            )
        for k in sizes:
            b, g = base[k], grown[k]
            self.stdout.write(
                f"newly_due={k} scan_ms={b['scan'] * 1000:.0f} floor_ms={b['floor'] * 1000:.0f} "
                f"floor_commit_ms={b['floor_commit'] * 1000:.0f} peer_ms={b['peer'] * 1000:.0f} "
                f"history_ratio={g['scan'] / b['scan']:.2f}"
            )

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
                      "cases_case RESTART IDENTITY CASCADE")
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
                    priority_party, basis_issuer, cause, query_code,
                    created_at, updated_at)
                SELECT %(court)s, '(2026)测基执' || g || '号', 2026, g, 'first', '基准测试判决书', 'litigation',
                    10000, 0,
                    CASE WHEN g %% 10 = 0 THEN 'in_progress' ELSE 'closed' END,
                    CASE WHEN g %% 10 = 0 THEN '' ELSE 'performed' END, 'normal', %(user)s,
                    %(now)s - interval '200 days', %(now)s - interval '10 days', '基准银行', '6222000000000000',
                    '基准申请人', 'bank_transfer', 'B' || g, false, false, false, false, '基准法院', '', '',
                    %(now)s, %(now)s
                FROM generate_series(1, %(n)s) AS g
                """,
                {"court": court.pk, "user": user.pk, "now": self.now, "n": n},
            )
            self.insert_deadlines(c, court, user, rule, status_sql="'met'", where="TRUE", copies=1)
            c.execute(
                """
                INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                    responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_late,
                    next_alert_at, due_soon_at, escalate_at, alert_level, candidates, shifts, holds, corrections,
                    created_at)
                SELECT 'CASE_LIMIT', %(rule)s, id, %(court)s, 'case', id, %(user)s, 'case.filed', filed_at,
                    %(now)s + interval '30 days', 'months', 'running', false, false,
                    %(now)s + interval '27 days', %(now)s + interval '27 days', %(now)s + interval '32 days',
                    '', '[]', '[]', '[]', '[]', %(now)s
                FROM cases_case WHERE status = 'in_progress'
                """,
                {"rule": rule.pk, "court": court.pk, "user": user.pk, "now": self.now},
            )
        self.vacuum(checkpoint=True)

    def insert_deadlines(self, c, court, user, rule, *, status_sql, where, copies):
        c.execute(
            f"""
            INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_at,
                completed_late, next_alert_at, alert_level, candidates, shifts, holds, corrections, created_at)
            SELECT 'CASE_ACCEPT', %(rule)s, cc.id, %(court)s, 'case', cc.id, %(user)s, 'case.filed', cc.filed_at,
                cc.filed_at + interval '7 days', 'days', {status_sql}, false, cc.filed_at + interval '3 days',
                false, NULL, '', '[]', '[]', '[]', '[]', %(now)s
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
        self.vacuum(checkpoint=True)

    def report_sizes(self):
        with connection.cursor() as c:
            c.execute("SELECT status, count(*) FROM deadlines_deadline GROUP BY status ORDER BY status")
            rows = ", ".join(f"{s} {k:,}" for s, k in c.fetchall())
        self.stdout.write(f"  期限表：{rows}")

    # --- measurement ---------------------------------------------------------------------------

    def vacuum(self, *, checkpoint: bool = False) -> None:
        """What autovacuum does in production: reclaim the dead rows the resets leave, refresh statistics.
        After a bulk load, a checkpoint too, so that the runs do not pay for writing out the bench's
        own load (gigabytes of dirty pages written in a minute, which production accumulates over years)."""
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE cases_case")
            c.execute("VACUUM ANALYZE deadlines_deadline")
            c.execute("VACUUM ANALYZE deadlines_alert")
            if not checkpoint:
                return
            try:
                c.execute("CHECKPOINT")  # autocommit: a refusal leaves the connection usable
            except DatabaseError as exc:  # needs a superuser or pg_checkpoint: then the server's timing decides
                self.stdout.write(f"  （未能执行 CHECKPOINT：{exc}）")

    def reset(self, due_count: int) -> None:
        with connection.cursor() as c:
            c.execute("DELETE FROM deadlines_alert")
            c.execute("DELETE FROM enforcement_notification")
            c.execute("DELETE FROM enforcement_outboxmessage")
            # Every running clock back to "not yet due", then exactly ``due_count`` newly breached.
            c.execute(
                "UPDATE deadlines_deadline SET alert_level = '', due_at = %(now)s + interval '30 days', "
                "next_alert_at = %(now)s + interval '27 days', due_soon_at = %(now)s + interval '27 days', "
                "escalate_at = %(now)s + interval '32 days', status = 'running' "
                "WHERE status IN ('running', 'breached') AND (next_alert_at IS NULL OR next_alert_at < %(now)s "
                "OR alert_level <> '')",
                {"now": self.now},
            )
            c.execute(
                "UPDATE deadlines_deadline SET due_at = %(now)s - interval '1 hour', "
                "next_alert_at = %(now)s - interval '1 hour', due_soon_at = %(now)s - interval '3 days', "
                "escalate_at = %(now)s + interval '2 days' WHERE id IN ("
                "SELECT id FROM deadlines_deadline WHERE status = 'running' ORDER BY id LIMIT %(k)s)",
                {"now": self.now, "k": due_count},
            )
        self.vacuum()

    def measure(self, due_count: int, *, peer: bool, runs: int = 3) -> dict:
        """On the same ``due_count`` newly due rows (each run starts from the same reset): the scan,
        the floor statement rolled back and committed (medians of ``runs``), the naive peer (rolled
        back), the bulk delivery of the scan's notifications, and a repeat scan."""
        at = self.now + timedelta(seconds=1)
        scans, floors, commits = [], [], []
        per_batch, batches, raised, again, deliver_s = 0.0, 0, 0, 0, 0.0
        for _ in range(runs):
            self.reset(due_count)
            connection.queries_log.clear()  # a full log (maxlen) would make the count below read 0
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                result = scan_deadlines(now=at, batch_size=self.batch_size)
                scans.append(time.perf_counter() - t)
            batches, raised = result.batches, sum(result.raised.values())
            per_batch = len(ctx.captured_queries) / max(1, result.batches)
            again = sum(scan_deadlines(now=self.now + timedelta(seconds=2), batch_size=self.batch_size).raised.values())
            ids = list(Notification.objects.filter(status=Notification.Status.QUEUED).values_list("pk", flat=True))
            with override_settings(NOTIFICATION_ADAPTERS=["inapp"]):  # no console print per message
                t = time.perf_counter()
                deliver(ids)
                deliver_s = time.perf_counter() - t
        for _ in range(runs):
            self.reset(due_count)
            floors.append(self.floor(at, commit=False))
            commits.append(self.floor(at, commit=True))
            self.reset(due_count)
        peer_s = float("nan")
        if peer:
            self.reset(due_count)
            peer_s = self.peer(at)
        out = {"scan": statistics.median(scans), "floor": statistics.median(floors),
               "floor_commit": statistics.median(commits), "peer": peer_s, "again": again}
        self.stdout.write(
            f"新到期 {due_count:,}：扫描中位数 {out['scan'] * 1000:.0f} 毫秒"
            f"（{runs} 次：{', '.join(f'{x * 1000:.0f}' for x in scans)}），{batches} 批，新增预警 {raised:,}，"
            f"每批约 {per_batch:.1f} 条 SQL；下限语句 {out['floor'] * 1000:.0f} 毫秒（回滚）/ "
            f"{out['floor_commit'] * 1000:.0f} 毫秒（提交）；"
            + (f"逐行写法 {peer_s * 1000:.0f} 毫秒；" if peer else "")
            + f"批量送达 {len(ids):,} 条通知 {deliver_s * 1000:.0f} 毫秒；重复扫描新增 {again}"
        )
        return out

    FLOOR_SQL = (
        "INSERT INTO deadlines_alert (deadline_id, level, status, node, case_id, court_id, handler_id, raised_at, "
        "due_at, note) SELECT id, 'breached', 'open', node, case_id, court_id, responsible_id, %(now)s, due_at, '' "
        "FROM deadlines_deadline WHERE next_alert_at <= %(now)s ON CONFLICT DO NOTHING"
    )

    def floor(self, at, *, commit: bool) -> float:
        """The least the database can do: one INSERT … SELECT of the alerts from the due index."""
        t = time.perf_counter()
        try:
            with transaction.atomic(), connection.cursor() as c:
                c.execute(self.FLOOR_SQL, {"now": at})
                if not commit:
                    raise _Rollback
        except _Rollback:
            pass
        return time.perf_counter() - t

    def peer(self, at) -> float:
        """The naive scan: a loop over the running deadlines past their due, ``get_or_create`` of each
        alert and a save of each row, inside a transaction that is rolled back."""
        t = time.perf_counter()
        try:
            with transaction.atomic():
                for d in Deadline.objects.filter(status=DeadlineStatus.RUNNING, due_at__lt=at).iterator(2000):
                    Alert.objects.get_or_create(deadline=d, level=AlertLevel.BREACHED, defaults={
                        "node": d.node, "case_id": d.case_id, "court_id": d.court_id, "handler_id": d.responsible_id,
                        "raised_at": at})
                    d.status, d.alert_level, d.next_alert_at = DeadlineStatus.BREACHED, AlertLevel.BREACHED, None
                    d.save(update_fields=["status", "alert_level", "next_alert_at"])
                raise _Rollback
        except _Rollback:
            pass
        return time.perf_counter() - t


class _Rollback(Exception):
    pass
