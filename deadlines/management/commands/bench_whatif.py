"""Benchmark of the rule what-if replay (SPEC §11b; issue: replay one intermediate court's subtree over a
year of 20,000 cases in under 10 s on PostgreSQL).

Builds, in a database whose name contains "bench" (wiped: cases, deadlines, drafts), one intermediate
court with three basic courts below it, 40 judges and N cases filed over the past calendar year, each
with the clocks the national rules start for a case that was received, accepted, queried and had its
property controlled (CASE_ACCEPT, NOTICE_SEND, QUERY_START, CONTROL_OFFLINE, CASE_LIMIT and a met
FUNDS_NOTICE), done at randomised times so some are late. Then it replays a draft modelled on
Luoyang's 2021 campaign (accept in 3 days, query in 3 days, control in 3 working days, notice in 2
days) three times and prints the figures, ending with one line other tools read:
``whatif cases=… deadlines=… replay_ms=… added=… removed=…``.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, CaseStatus
from deadlines import calendar as cal_mod
from deadlines.calendar_services import calendar_seed_national
from deadlines.models import Deadline, DeadlineStatus, Rule
from deadlines.services import rulesets_seed
from deadlines.whatif.replay import TrialRule, replay
from enforcement.models import Court, CourtLevel, Role, User, UserRole

NODES = [  # node, start event, offset of the start event from filing (days), usual days to done
    ("CASE_ACCEPT", "case.filed", 0, 4),
    ("NOTICE_SEND", "case.accepted", 3, 2),
    ("QUERY_START", "case.received", 1, 5),
    ("CONTROL_OFFLINE", "query.feedback", 12, 4),
    ("FUNDS_NOTICE", "funds.arrived", 40, 9),
    ("CASE_LIMIT", "case.filed", 0, 150),
]
CAMPAIGN = [
    TrialRule(pk="b:1", node="CASE_ACCEPT", start_event="case.filed", period=3, unit="days"),
    TrialRule(pk="b:2", node="QUERY_START", start_event="case.received", period=3, unit="working_days"),
    TrialRule(pk="b:3", node="NOTICE_SEND", start_event="case.accepted", period=2, unit="days"),
    TrialRule(pk="b:4", node="CONTROL_OFFLINE", start_event="query.feedback", period=2, unit="working_days"),
]


class Command(BaseCommand):
    help = ("Time the rule what-if replay over a generated court subtree "
            "(PostgreSQL, database name must contain 'bench').")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=20_000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--reuse", action="store_true",
                            help="keep the data of an earlier run with the same number of cases")

    def handle(self, *args, cases: int, runs: int, reuse: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("基准测试须在 PostgreSQL 上运行（设置 DATABASE_URL）。")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("为防误删数据，基准测试只在名称含 bench 的数据库上运行。")
        t = time.perf_counter()
        year = timezone.localdate().year - 1
        court = Court.objects.filter(name="基准中院").first()
        if not (reuse and court and Case.objects.filter(court__path__startswith=court.path).count() == cases):
            court, year = self.generate(cases)
            self.stdout.write(f"生成 {cases:,} 件案件（{year} 年立案）及 {Deadline.objects.count():,} 个期限："
                              f"{time.perf_counter() - t:.1f} 秒")
        times, cpu, report = [], [], None
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            report = replay(court=court, date_from=date(year, 1, 1), date_to=date(year, 12, 31), trial=CAMPAIGN)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        assert report is not None
        ms = statistics.median(times) * 1000
        cpu_ms = statistics.median(cpu) * 1000
        self.stdout.write(f"负载（1 分钟平均）：{os.getloadavg()[0]:.1f}；"
                          f"本进程 CPU 时间中位数 {cpu_ms / 1000:.2f} 秒")
        added, removed = len(report["added"]), len(report["removed"])
        self.stdout.write(f"推演 {report['cases']:,} 件案件、{report['deadlines']:,} 个期限："
                          f"{', '.join(f'{x:.2f}' for x in times)} 秒（中位数 {ms / 1000:.2f} 秒，目标 < 10 秒）")
        for n in report["by_node"]:
            self.stdout.write(f"  {n['name']}：新增超期 {n['breaches_added']:,}，减少 {n['breaches_removed']:,}，"
                              f"届满提前 {n['retimed']:,}")
        self.stdout.write(f"whatif cases={report['cases']} deadlines={report['deadlines']} replay_ms={ms:.0f} "
                          f"cpu_ms={cpu_ms:.0f} added={added} removed={removed}")

    def generate(self, n: int) -> tuple[Court, int]:
        calendar_seed_national()
        rulesets_seed()
        year = timezone.localdate().year - 1
        with connection.cursor() as c:
            c.execute("TRUNCATE deadlines_draftrule, deadlines_ruledraft, deadlines_alert, deadlines_deadline, "
                      "cases_case RESTART IDENTITY CASCADE")
        high = Court.objects.filter(level=CourtLevel.HIGH).first() or Court.objects.create(
            name="基准高院", code="测高", level=CourtLevel.HIGH)
        mid, _ = Court.objects.get_or_create(
            name="基准中院", defaults={"code": "测中", "level": CourtLevel.INTERMEDIATE, "parent": high})
        courts = [mid] + [Court.objects.get_or_create(name=f"基准基层法院{i}", defaults={
            "code": f"测基{i}", "level": CourtLevel.BASIC, "parent": mid})[0] for i in range(1, 4)]
        judges = []
        for i in range(40):
            u, _ = User.objects.get_or_create(username=f"bench_judge_{i}",
                                              defaults={"name": f"基准法官{i}", "court": courts[i % 4]})
            UserRole.objects.get_or_create(user=u, role=Role.POST_JUDGE)
            judges.append(u)
        rules = {r.node: r for r in Rule.objects.filter(rule_set__code="national", condition={})
                 .exclude(node="CONTROL_OFFLINE")}
        rules["CONTROL_OFFLINE"] = Rule.objects.get(rule_set__code="national", node="CONTROL_OFFLINE")
        rng = random.Random(2021)
        start = timezone.make_aware(datetime(year, 1, 1, 9, 0), cal_mod.SHANGHAI)
        cals = {c.pk: cal_mod.calendar_for(c) for c in courts}
        now = timezone.now()
        with transaction.atomic():
            case_rows = []
            for i in range(n):
                judge = judges[i % len(judges)]
                assert judge.court_id is not None
                filed = start + timedelta(days=rng.randrange(365), minutes=rng.randrange(480))
                case_rows.append(Case(
                    court_id=judge.court_id, number=f"({year})测执{i + 1}号", year=year, seq=i + 1,
                    basis="基准测试判决书", claim_amount=10000, status=CaseStatus.CLOSED, closure="performed",
                    judge=judge, filed_at=filed, received_at=filed + timedelta(days=1),
                    accepted_at=filed + timedelta(days=3), closed_at=filed + timedelta(days=160),
                    last_event_at=filed + timedelta(days=160), payee_bank="基准银行",
                    payee_account_no="6222000000000000", payee_holder="基准申请人", account_no=f"WB{i + 1}"))
            Case.objects.bulk_create(case_rows, batch_size=2000)
            dl = []
            for case in case_rows:
                cal = cals[case.court_id]
                for node, event, offset, usual in NODES:
                    rule = rules[node]
                    started = case.filed_at + timedelta(days=offset)
                    due = cal_mod.compute_due(started, rule.period, rule.unit, cal=cal).due
                    done = started + timedelta(days=max(0.1, rng.gauss(usual, usual / 2)))
                    cand = {"rule": rule.pk, "due": due.astimezone(cal_mod.SHANGHAI).isoformat(), "event": event,
                            "started_at": started.astimezone(cal_mod.SHANGHAI).isoformat(), "provisional": False}
                    dl.append(Deadline(
                        node=node, bound_rule=rule, case_id=case.pk, court_id=case.court_id, subject_type="case",
                        subject_id=case.pk, responsible_id=case.judge_id, start_event=event, started_at=started,
                        due_at=due, unit=rule.unit, status=DeadlineStatus.MET, completed_at=min(done, now),
                        completed_late=done > due, candidates=[cand], shifts=[]))
            Deadline.objects.bulk_create(dl, batch_size=5000)
        with connection.cursor() as c:
            c.execute("ANALYZE cases_case")
            c.execute("ANALYZE deadlines_deadline")
        return mid, year
