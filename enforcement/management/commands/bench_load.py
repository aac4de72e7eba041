"""A bounded loopback load test (issue "scale-out shown, not claimed"; README "Growing past one machine").

For each configuration — gunicorn with 1, 2 and 4 worker processes × 1 and 2 Celery workers, all
against one PostgreSQL and one Redis (db 12) — it starts the processes, runs ``--clients``
concurrent keep-alive HTTP clients for ``--seconds`` that mix case-page reads (the API case
detail), list reads (``/api/v1/cases/``, ``/api/v1/deadlines/``, ``/api/v1/alerts/``) and a cheap
act (``POST /api/v1/cases/<id>/milestones/`` with kind ``notice_sent``, by the case's own judge on
an in-progress case, so it is valid), while the deadline scan is sent to the workers every
``--scan-every`` seconds (the beat's schedule — once a minute — is too slow for a short run). It
prints one line per configuration and a conclusion that says whether throughput grew with the
processes on this machine. Every process it starts is stopped in a ``finally``, Ctrl-C included.

The data is the demo (``loaddemo --force``) in a database whose name must contain "bench"; the
``make bench-load`` target drops and re-creates ``enforcement_load_bench`` before it.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

BENCH_REDIS_URL = "redis://127.0.0.1:6379/12"
WEB_COUNTS = (1, 2, 4)
CELERY_COUNTS = (1, 2)
LIST_PATHS = ("/api/v1/cases/", "/api/v1/deadlines/", "/api/v1/alerts/")
# The mix: case page, list, act.
MIX = (("case", 0.45), ("list", 0.40), ("act", 0.15))
BASE_DIR = Path(__file__).resolve().parents[3]


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize(latencies_ms: list[float], seconds: float) -> dict[str, float]:
    """Requests, requests per second, p50 and p99 (milliseconds) of one run."""
    values = sorted(latencies_ms)
    return {
        "requests": len(values),
        "rps": len(values) / seconds if seconds > 0 else 0.0,
        "p50_ms": percentile(values, 50),
        "p99_ms": percentile(values, 99),
    }


def conclusion(rps: dict[tuple[int, int], float], cpus: int) -> str:
    """One honest line on whether throughput grew with the web processes."""
    # The mean over the Celery counts: one noisy configuration should not decide the verdict.
    by_web = {w: statistics.fmean(v for (ww, _), v in rps.items() if ww == w) for w in {w for w, _ in rps}}
    webs = sorted(by_web)
    parts = ["mean rps by web processes: " + ", ".join(f"{w}→{by_web[w]:.0f}" for w in webs)]
    if len(webs) >= 2 and by_web[webs[1]] > by_web[webs[0]] * 1.15:
        parts.append(f"1→{webs[1]} web processes scaled ×{by_web[webs[1]] / by_web[webs[0]]:.2f}")
    elif len(webs) >= 2:
        parts.append(f"1→{webs[1]} web processes did not scale (×{by_web[webs[1]] / by_web[webs[0]]:.2f})")
    top = webs[-1]
    if len(webs) >= 3 and by_web[top] <= by_web[webs[1]] * 1.10:
        parts.append(
            f"throughput cannot grow past {webs[1]} processes here: this machine has {cpus} CPU cores, shared by "
            "gunicorn, PostgreSQL, Redis, Celery and the load generator itself; more web processes only add "
            "queueing (watch p99). Scale-out past that needs more cores or machines, not more processes."
        )
    return "conclusion: " + "; ".join(parts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    transport_errors: int = 0

    def add(self, ms: float, status: int) -> None:
        with self.lock:
            self.latencies_ms.append(ms)
            self.statuses[status] += 1


@dataclass
class Actor:
    token: str
    readable: list[int]  # case ids the user may read
    actable: list[int]  # in-progress cases where the user is the judge


class Command(BaseCommand):
    help = "Loopback load test: gunicorn 1/2/4 × Celery 1/2 workers, mixed reads and acts (database name must " \
           "contain 'bench')."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--clients", type=int, default=30)
        parser.add_argument("--scan-every", type=float, default=5.0, help="send the deadline scan every N seconds")
        parser.add_argument("--web", type=int, nargs="*", default=list(WEB_COUNTS))
        parser.add_argument("--celery", type=int, nargs="*", default=list(CELERY_COUNTS))
        parser.add_argument("--skip-load", action="store_true", help="reuse the data of a previous run")

    def handle(self, *args, seconds: int, clients: int, scan_every: float, web: list[int], celery: list[int],
               skip_load: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("基准测试须在 PostgreSQL 上运行（设置 DATABASE_URL）。")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("为防误删数据，基准测试只在名称含 bench 的数据库上运行。")
        if not skip_load:
            call_command("loaddemo", force=True, stdout=open(os.devnull, "w"))
        actors = self.actors()
        self.stdout.write(f"{len(actors)} users, {sum(len(a.actable) for a in actors)} actable cases, "
                          f"cpus={os.cpu_count()}")
        env = self.child_env()
        rps: dict[tuple[int, int], float] = {}
        for w in web:
            for c in celery:
                line, r = self.run_config(env, w, c, seconds, clients, scan_every, actors)
                rps[(w, c)] = r
                self.stdout.write(line)
        self.stdout.write(conclusion(rps, os.cpu_count() or 1))

    # --- setup ---------------------------------------------------------------------------------

    def actors(self) -> list[Actor]:
        from rest_framework.authtoken.models import Token

        from cases.models import Case, CaseStatus
        from enforcement.models import User

        actors = []
        users = User.objects.filter(is_active=True, court__isnull=False).exclude(username__startswith="bench_")
        for user in users:
            if user.court_id is None:
                continue
            readable = list(Case.objects.filter(court_id=user.court_id).values_list("pk", flat=True)[:200])
            if not readable:
                continue
            actable = list(Case.objects.filter(judge=user, status=CaseStatus.IN_PROGRESS).values_list("pk", flat=True))
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
            actors.append(Actor(token=token.key, readable=readable, actable=actable))
        if not any(a.actable for a in actors):
            raise CommandError("演示数据中没有可记录节点的在办案件。")
        return actors

    def child_env(self) -> dict[str, str]:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@" \
              f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": url, "REDIS_URL": BENCH_REDIS_URL, "DEBUG": "off", "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "off", "LOG_LEVEL": "WARNING",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-load-secret-" + "x" * 40,
            "AUDIT_KEY": getattr(settings, "AUDIT_KEY", "") or "bench-load-audit-" + "x" * 40,
            "REDBEAT_KEY_PREFIX": "bench-load:",
        })
        return env

    # --- one configuration ---------------------------------------------------------------------

    def run_config(self, env, n_web, n_celery, seconds, clients, scan_every, actors) -> tuple[str, float]:
        import redis

        from enforcement.celery import app

        bin_dir = Path(sys.executable).parent
        r = redis.Redis.from_url(BENCH_REDIS_URL)
        r.flushdb()
        port = free_port()
        procs: list[subprocess.Popen] = []
        log = open(BASE_DIR / "var" / "bench_load.log", "ab")
        try:
            procs.append(subprocess.Popen(
                [str(bin_dir / "gunicorn"), "enforcement.wsgi", "-w", str(n_web), "-b", f"127.0.0.1:{port}",
                 "--keep-alive", "30", "--log-level", "warning"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True))
            for i in range(n_celery):
                procs.append(subprocess.Popen(
                    [str(bin_dir / "celery"), "-A", "enforcement", "worker", "-c", "1", "-n", f"load{i}@%h",
                     "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                    cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True))
            self.wait_ready(port, procs[0])
            tally = Tally()
            stop = threading.Event()
            threads = [threading.Thread(target=self.client, args=(port, actors, tally, stop, i), daemon=True)
                       for i in range(clients)]
            scans = 0
            started = time.perf_counter()
            for t in threads:
                t.start()
            with app.connection_for_write(BENCH_REDIS_URL) as conn:
                next_scan = started
                while time.perf_counter() - started < seconds:
                    if time.perf_counter() >= next_scan:
                        app.send_task("deadlines.tasks.scan_deadlines_task", connection=conn)
                        scans += 1
                        next_scan += scan_every
                    time.sleep(0.05)
            stop.set()
            for t in threads:
                t.join(timeout=15)
            elapsed = time.perf_counter() - started
            queue_left = r.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
        finally:
            self.stop(procs)
            log.close()
        s = summarize(tally.latencies_ms, elapsed)
        e5 = sum(n for code, n in tally.statuses.items() if code >= 500) + tally.transport_errors
        e4 = sum(n for code, n in tally.statuses.items() if 400 <= code < 500)
        line = (f"web={n_web} celery={n_celery} clients={clients} seconds={seconds} requests={s['requests']} "
                f"rps={s['rps']:.1f} p50_ms={s['p50_ms']:.1f} p99_ms={s['p99_ms']:.1f} errors_5xx={e5} "
                f"errors_4xx={e4} scans={scans} queue_left={queue_left}")
        return line, s["rps"]

    def wait_ready(self, port: int, proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise CommandError(f"gunicorn 退出（{proc.returncode}），见 var/bench_load.log")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/api/v1/me/")
                c.getresponse().read()
                c.close()
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn 未在 60 秒内就绪。")

    @staticmethod
    def stop(procs: list[subprocess.Popen]) -> None:
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()

    # --- the load generator --------------------------------------------------------------------

    def client(self, port: int, actors: list[Actor], tally: Tally, stop: threading.Event, i: int) -> None:
        rnd = random.Random(i)
        actor = actors[i % len(actors)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        while not stop.is_set():
            kind = rnd.choices(kinds, weights)[0]
            headers = {"Authorization": f"Token {actor.token}", "Accept": "application/json"}
            body = None
            if kind == "act" and actor.actable:
                method, path = "POST", f"/api/v1/cases/{rnd.choice(actor.actable)}/milestones/"
                body = json.dumps({"kind": "notice_sent", "note": "负载测试"})
                headers.update({"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
            elif kind == "list" or kind == "act":
                method, path = "GET", rnd.choice(LIST_PATHS)
            else:
                method, path = "GET", f"/api/v1/cases/{rnd.choice(actor.readable)}/"
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                tally.add((time.perf_counter() - t) * 1000, resp.status)
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                with tally.lock:
                    tally.transport_errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
