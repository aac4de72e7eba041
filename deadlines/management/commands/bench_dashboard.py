"""Benchmark of the supervisors' dashboard at scale (issue "dashboard", item 4; SPEC §8).

Generates N cases server-side (INSERT … SELECT generate_series, the approach of ``bench_scan``)
spread over the demo court tree — 洛阳中院 and three basic courts below it hold 60 %, 杭州中院 and
the two high courts the rest — with their CASE_LIMIT / CASE_ACCEPT / ROUND_REVIEW / QUERY_START
clocks, alerts on the breached ones, receipts and payments for a third of the cases, controlled
properties, unidentified money. It then refreshes the summary tables and times, through the Django
test Client logged in as a supervisor of 洛阳中院, (a) the dashboard's first page and (b)
``/api/v1/metrics/`` for that subtree: median and max server time and the query counts.
Wipes cases and everything hanging on them: it refuses to run unless the database name contains
"bench".
"""

from __future__ import annotations

import logging
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from deadlines.models import Rule
from deadlines.services import rulesets_seed
from deadlines.supervision.dashboard import WATCH_CODES
from deadlines.supervision.metrics import stats_refresh
from enforcement.models import Court, CourtLevel, Role, User, UserRole

TREE = [  # (name, code, level, parent code)
    ("最高人民法院", "最高法", CourtLevel.SUPREME, None),
    ("河南省高级人民法院", "豫", CourtLevel.HIGH, "最高法"),
    ("洛阳市中级人民法院", "豫03", CourtLevel.INTERMEDIATE, "豫"),
    ("洛阳市西工区人民法院", "豫0303", CourtLevel.BASIC, "豫03"),
    ("洛阳市涧西区人民法院", "豫0305", CourtLevel.BASIC, "豫03"),
    ("洛阳市老城区人民法院", "豫0302", CourtLevel.BASIC, "豫03"),
    ("浙江省高级人民法院", "浙", CourtLevel.HIGH, "最高法"),
    ("杭州市中级人民法院", "浙01", CourtLevel.INTERMEDIATE, "浙"),
]
# g % 10 → court code: 洛阳 subtree 0–5 (60 %), others 6–9.
SPREAD = ["豫03", "豫03", "豫0303", "豫0303", "豫0305", "豫0302", "浙01", "浙01", "豫", "浙"]
CLOSURES = ["performed", "performed", "performed", "terminated_round", "terminated_round", "terminated", "withdrawn"]


class Command(BaseCommand):
    help = "Time the dashboard and the metrics API over a generated data set (PostgreSQL, database name must " \
           "contain 'bench')."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--skip-generate", action="store_true", help="reuse the data of a previous run")
        parser.add_argument("--explain", action="store_true",
                            help="print EXPLAIN (ANALYZE, BUFFERS) of each page's slowest query")
        parser.add_argument("--queries", type=float, default=None, metavar="MS",
                            help="print each query of a page that took at least MS milliseconds")
        parser.add_argument("--only", default="", help="measure only the requests whose label contains this")

    def handle(self, *args, cases: int, runs: int, skip_generate: bool, explain: bool = False,
               queries: float | None = None, only: str = "", **options):
        self.explain, self.slow_ms, self.only = explain, queries, only
        logging.getLogger("axes").setLevel(logging.WARNING)  # not a line per measured request's login
        if connection.vendor != "postgresql":
            raise CommandError("基准测试须在 PostgreSQL 上运行（设置 DATABASE_URL）。")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("为防误删数据，基准测试只在名称含 bench 的数据库上运行。")
        self.now = timezone.now().replace(microsecond=0)
        courts, supervisor, judges = self.setup()
        if not skip_generate:
            t = time.perf_counter()
            self.generate(cases, courts, judges)
            self.stdout.write(f"生成 {cases:,} 件案件及其期限、预警、案款：{time.perf_counter() - t:.1f} 秒")
        self.report_sizes()
        t = time.perf_counter()
        r = stats_refresh()
        self.stdout.write(f"刷新指标汇总表：{time.perf_counter() - t:.1f} 秒，{r.rows:,} 行")
        ly = courts["豫03"]
        start = self.now.date().replace(month=1, day=1)
        self.measure("(a) 监管看板首页 /dashboard/", supervisor, "/dashboard/", runs)
        for code in WATCH_CODES:
            self.measure(f"(a') 监管清单 {code}", supervisor, f"/dashboard/?tab={code}", runs)
        # Unfiltered, and with the filters a staff system uses most (open clocks, one node, one court).
        for path in ("/api/v1/deadlines/", "/api/v1/deadlines/?status=breached", "/api/v1/deadlines/?status=running",
                     "/api/v1/deadlines/?rule=CASE_LIMIT", f"/api/v1/deadlines/?court={courts['豫0303'].pk}",
                     "/api/v1/alerts/", "/api/v1/alerts/?status=open"):
            sep = "&" if "?" in path else "?"
            self.measure(f"(d) 列表接口 {path} 第 1 页", supervisor, path, runs)
            self.measure(f"(d) 列表接口 {path} 末页", supervisor, f"{path}{sep}page=last", runs)
        self.measure("(b) 指标接口 /api/v1/metrics/（洛阳中院及下级）", supervisor,
                     f"/api/v1/metrics/?court={ly.pk}&from={start}&to={self.now.date()}", runs)
        self.measure("(c) 指标页面 /dashboard/metrics/", supervisor,
                     f"/dashboard/metrics/?court={ly.pk}&from={start}&to={self.now.date()}", runs)

    # --- data ----------------------------------------------------------------------------------

    def setup(self):
        courts: dict[str, Court] = {}
        for name, code, level, parent in TREE:
            court = Court.objects.filter(code=code).first() or Court(name=name, code=code)
            court.level, court.parent = level, courts.get(parent)
            court.save()
            courts[code] = court
        judges = {}
        for code, court in courts.items():
            judge, _ = User.objects.get_or_create(username=f"bench_judge_{court.pk}",
                                                  defaults={"name": f"{court.name[:4]}法官", "court": court})
            UserRole.objects.get_or_create(user=judge, role=Role.POST_JUDGE)
            judges[code] = judge
        supervisor, _ = User.objects.get_or_create(username="bench_supervisor",
                                                   defaults={"name": "基准监管", "court": courts["豫03"]})
        UserRole.objects.get_or_create(user=supervisor, role=Role.SUPERVISOR)
        rulesets_seed()
        return courts, supervisor, judges

    def generate(self, n, courts, judges):
        rule = {node: Rule.objects.filter(rule_set__code="national", node=node).order_by("id").first().pk
                for node in ("CASE_LIMIT", "CASE_ACCEPT", "ROUND_REVIEW", "QUERY_START")}
        court_case = " ".join(f"WHEN {i} THEN {courts[c].pk}" for i, c in enumerate(SPREAD))
        judge_case = " ".join(f"WHEN {i} THEN {judges[c].pk}" for i, c in enumerate(SPREAD))
        closure_case = " ".join(f"WHEN {i} THEN '{c}'" for i, c in enumerate(CLOSURES))
        p = {"now": self.now, "n": n}
        with connection.cursor() as c:
            c.execute("TRUNCATE deadlines_alert, deadlines_deadline, deadlines_courtdaystats, deadlines_nodedaystats, "
                      "funds_disbursement, funds_receipt, cases_property, cases_case RESTART IDENTITY CASCADE")
            # Cases: filed over the last ~2.5 years; 85 %% closed 10–300 days after filing (never in the future).
            c.execute(f"""
                INSERT INTO cases_case (court_id, number, year, seq, kind, basis, basis_kind, claim_amount, status,
                    closure, track, judge_id, filed_at, closed_at, last_event_at, payee_bank, payee_account_no,
                    payee_holder, payee_method, account_no, government_organ_debtor, livelihood, four_kinds,
                    priority_party, costs, basis_issuer, cause, query_code, created_at, updated_at)
                SELECT CASE g %% 10 {court_case} END, '(基准)执' || g || '号', 2026, g,
                    CASE WHEN g %% 20 = 0 THEN 'restored' ELSE 'first' END, '基准判决书', 'litigation',
                    10000 + (g %% 50) * 1000,
                    CASE WHEN g %% 100 < 85 THEN 'closed' ELSE 'in_progress' END,
                    CASE WHEN g %% 100 < 85 THEN (CASE (g / 7) %% 7 {closure_case} END) ELSE '' END,
                    'normal', CASE g %% 10 {judge_case} END, f.filed,
                    CASE WHEN g %% 100 < 85 THEN LEAST(f.filed + ((10 + g %% 290) || ' days')::interval,
                                                      %(now)s - interval '1 hour') END,
                    f.filed, '基准银行', '6222000000000000', '基准申请人', 'bank_transfer', 'B' || g,
                    false, false, false, false, 0, '基准法院', '', '', %(now)s, %(now)s
                FROM generate_series(1, %(n)s) AS g
                -- closed cases were filed over the last 2.5 years; open ones mostly in the last 8 months
                CROSS JOIN LATERAL (SELECT %(now)s - ((CASE WHEN g %% 100 < 85 THEN g %% 900 ELSE g %% 240 END)
                                                      || ' days')::interval
                                           - ((g %% 600) || ' minutes')::interval AS filed) f
            """, p)
            c.execute("UPDATE cases_case SET last_event_at = closed_at WHERE closed_at IS NOT NULL")
            # CASE_LIMIT: 6 months; met at closure (late when after due), else running / breached.
            c.execute("""
                INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                    responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_at,
                    completed_late, next_alert_at, alert_level, candidates, shifts, holds, corrections, created_at)
                SELECT 'CASE_LIMIT', %(rule)s, id, court_id, 'case', id, judge_id, 'case.filed', filed_at,
                    filed_at + interval '180 days', 'months',
                    CASE WHEN closed_at IS NOT NULL THEN 'met'
                         WHEN filed_at + interval '180 days' < %(now)s THEN 'breached' ELSE 'running' END,
                    false, closed_at, COALESCE(closed_at > filed_at + interval '180 days', false),
                    CASE WHEN closed_at IS NULL AND filed_at + interval '180 days' >= %(now)s
                         THEN filed_at + interval '179 days' END,
                    CASE WHEN closed_at IS NULL AND filed_at + interval '180 days' < %(now)s THEN 'breached'
                         ELSE '' END, '[]', '[]', '[]', '[]', %(now)s
                FROM cases_case
            """, {**p, "rule": rule["CASE_LIMIT"]})
            # CASE_ACCEPT: met 0–8 days after filing against 7 days (some late).
            c.execute("""
                INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                    responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_at,
                    completed_late, next_alert_at, alert_level, candidates, shifts, holds, corrections, created_at)
                SELECT 'CASE_ACCEPT', %(rule)s, id, court_id, 'case', id, judge_id, 'case.filed', filed_at,
                    filed_at + interval '7 days', 'days', 'met', false, filed_at + ((id %% 9) || ' days')::interval,
                    id %% 9 > 7, NULL, '', '[]', '[]', '[]', '[]', %(now)s
                FROM cases_case
            """, {**p, "rule": rule["CASE_ACCEPT"]})
            # QUERY_START of open cases: a tenth still open and breached.
            c.execute("""
                INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                    responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_at,
                    completed_late, next_alert_at, alert_level, candidates, shifts, holds, corrections, created_at)
                SELECT 'QUERY_START', %(rule)s, id, court_id, 'case', id, judge_id, 'case.received', filed_at,
                    filed_at + interval '7 days', 'working_days',
                    CASE WHEN id %% 10 = 0 THEN 'breached' ELSE 'met' END, false,
                    CASE WHEN id %% 10 = 0 THEN NULL ELSE filed_at + interval '3 days' END, false,
                    NULL, CASE WHEN id %% 10 = 0 THEN 'escalated' ELSE '' END, '[]', '[]', '[]', '[]', %(now)s
                FROM cases_case WHERE closed_at IS NULL
            """, {**p, "rule": rule["QUERY_START"]})
            # ROUND_REVIEW of 终本 cases: the next six-monthly review falls within 6 months; 2 % overdue.
            c.execute("""
                INSERT INTO deadlines_deadline (node, bound_rule_id, case_id, court_id, subject_type, subject_id,
                    responsible_id, start_event, started_at, due_at, unit, status, provisional, completed_at,
                    completed_late, next_alert_at, alert_level, candidates, shifts, holds, corrections, created_at)
                SELECT 'ROUND_REVIEW', %(rule)s, id, court_id, 'case', id, judge_id, 'case.closed_terminated_round',
                    closed_at, %(now)s + (CASE WHEN id %% 50 = 0 THEN -1 ELSE id %% 180 END || ' days')::interval,
                    'months', CASE WHEN id %% 50 = 0 THEN 'breached' ELSE 'running' END, false,
                    NULL, false, NULL, '', '[]', '[]', '[]', '[]', %(now)s
                FROM cases_case WHERE closure = 'terminated_round'
            """, {**p, "rule": rule["ROUND_REVIEW"]})
            # Alerts: every open breached deadline has its breached alert; QUERY_START ones are escalated too.
            c.execute("""
                INSERT INTO deadlines_alert (deadline_id, level, status, node, case_id, court_id, handler_id,
                    raised_at, due_at, note)
                SELECT id, 'breached', 'open', node, case_id, court_id, responsible_id, due_at + interval '1 hour',
                    due_at, ''
                FROM deadlines_deadline WHERE status = 'breached'
            """)
            c.execute("""
                INSERT INTO deadlines_alert (deadline_id, level, status, node, case_id, court_id, handler_id,
                    raised_at, due_at, note)
                SELECT id, 'escalated', 'open', node, case_id, court_id, responsible_id, due_at + interval '3 days',
                    due_at, ''
                FROM deadlines_deadline WHERE status = 'breached' AND node = 'QUERY_START'
            """)
            # Money: a third of the cases received money 30 days after filing, paid 1–20 days later.
            c.execute("""
                INSERT INTO funds_receipt (court_id, bank_txn_id, account_no, amount, payer, received_at, case_id,
                    status, recorded_at)
                SELECT court_id, 'BT' || id, account_no, claim_amount / 2, '基准被执行人',
                    LEAST(filed_at + interval '30 days', %(now)s - interval '2 hours'), id, 'identified', %(now)s
                FROM cases_case WHERE id %% 3 = 0
            """, p)
            c.execute("""
                INSERT INTO funds_disbursement (case_id, receipt_id, amount, sequence, status, created_at,
                    last_event_at, paid_at, paid_to_account_no, paid_to_holder, bank_ref, hold_ground, hold_reason,
                    paid_to_bank)
                SELECT r.case_id, r.id, r.amount, 1, CASE WHEN u.unpaid THEN 'pending' ELSE 'paid' END,
                    r.received_at, r.received_at,
                    CASE WHEN u.unpaid THEN NULL
                         ELSE LEAST(r.received_at + ((1 + r.id %% 20) || ' days')::interval, %(now)s) END,
                    '', '', '', '', '', ''
                FROM funds_receipt r JOIN cases_case cc ON cc.id = r.case_id
                -- money of open cases that arrived in the last 20 days is still waiting to be paid
                CROSS JOIN LATERAL (SELECT cc.closed_at IS NULL AND r.received_at > %(now)s - interval '20 days'
                                    AS unpaid) u
            """, p)
            c.execute("""
                INSERT INTO funds_receipt (court_id, bank_txn_id, account_no, amount, payer, received_at, case_id,
                    status, recorded_at)
                SELECT (SELECT id FROM enforcement_court WHERE code = %(code)s), 'UNK' || g, 'X' || g, 1000 + g,
                    '来源不明', %(now)s - ((g %% 60) || ' days')::interval, NULL, 'unidentified', %(now)s
                FROM generate_series(1, 500) g
            """, {**p, "code": "豫0303"})
            # Properties: a fifth of the cases have a controlled house, its seizure lapsing 3 years after filing.
            c.execute("""
                INSERT INTO cases_property (case_id, type, description, online_controllable, exempt_kind, status,
                    discovered_at, measure, mode, queue, controlled_online, renewals, valuation_method,
                    disposal_method, release_reason, released_amount, last_event_at, controlled_at,
                    control_expires_at)
                SELECT id, 'real_estate', '房产一处', false, '',
                    CASE WHEN closed_at IS NULL THEN 'controlled' ELSE 'released' END, filed_at, 'seize', 'live',
                    'first', false, 0, '', '', '', 0, filed_at, filed_at + interval '5 days',
                    filed_at + interval '3 years'
                FROM cases_case WHERE id %% 5 = 0
            """, p)
        # What autovacuum does in production: visibility maps (index-only scans) and statistics.
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")

    def report_sizes(self):
        with connection.cursor() as c:
            out = []
            for table in ("cases_case", "deadlines_deadline", "deadlines_alert", "funds_receipt", "funds_disbursement",
                          "cases_property"):
                c.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed table names
                out.append(f"{table} {c.fetchone()[0]:,}")
        self.stdout.write("  " + "，".join(out))

    # --- measurement ---------------------------------------------------------------------------

    def measure(self, label: str, user: User, path: str, runs: int):
        if self.only and self.only not in label:
            return
        client = Client()
        client.force_login(user)
        times, queries = [], []
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            client.get(path)  # warm-up (imports, template loading, the user's roles)
            for _ in range(runs):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    r = client.get(path)
                    times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise CommandError(f"{path} → HTTP {r.status_code}")
                queries.append(len(ctx.captured_queries))
        self.stdout.write(f"{label}：中位数 {statistics.median(times):.0f} ms，最大 {max(times):.0f} ms，"
                          f"SQL {queries[0]} 条（{runs} 次）")
        if self.slow_ms is not None:
            for q in ctx.captured_queries:
                if float(q["time"]) * 1000 >= self.slow_ms:
                    self.stdout.write(f"    {float(q['time']) * 1000:6.0f} ms  {q['sql'][:220]}")
        if self.explain:
            slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
            with connection.cursor() as c:
                c.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                plan = [row[0] for row in c.fetchall()]
            self.stdout.write(f"    最慢一条 {float(slowest['time']) * 1000:.0f} ms：{slowest['sql'][:160]}")
            for line in plan:
                self.stdout.write(f"      {line}")
