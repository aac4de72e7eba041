"""A broker outage during money acts (issue 13, STYLE "side effects ... are outbox rows"): the test runs
its own Redis on a free port, points Celery and the cache at it, runs a real worker (in a thread), and
stops, pauses and restarts that Redis in the middle of a burst of receipts, payment notices and
payments through the API. Every request answers without a server error and quickly, every act is
done once, and every notification is delivered exactly once when the broker is back."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enforcement import notifications
from enforcement.celery import app
from enforcement.models import AuditEvent, Notification, OutboxMessage
from enforcement.outbox import outbox_sweep
from funds.models import Disbursement, PaymentKey, Posting, Receipt
from tests.funds.conftest import case, receipt_body, rules  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, persisting to an append-only file so a restart keeps what
    the broker had accepted (as a production Redis would)."""

    def __init__(self, port: int, folder) -> None:
        self.port, self.folder = port, folder
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (apt-get install redis-server)"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
             "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the test's redis-server did not come up")

    def pause(self) -> None:
        assert self.proc is not None, "start() first"
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None, "start() first"
        os.kill(self.proc.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.resume()
            self.proc.terminate()
            self.proc.wait(timeout=20)


def _reset_broker_pools() -> None:
    # What Celery itself does after a fork: drop the connection pools so the next publish connects anew.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_pointed_at(url: str):
    saved = app.conf.broker_url
    app.conf.broker_url = url
    _reset_broker_pools()
    try:
        yield
    finally:
        app.conf.broker_url = saved
        _reset_broker_pools()


@pytest.fixture
def own_redis(tmp_path, settings):
    redis = OwnRedis(_free_port(), tmp_path)
    redis.start()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis.url,
                                   "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}}}
    with celery_pointed_at(redis.url):
        yield redis
    redis.stop()


class RecordingAdapter:
    """The SMS gateway of the test: counts every message it is handed."""

    channel = "recording"

    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()

    def send(self, notification) -> None:
        self.sent[notification.pk] += 1


@pytest.fixture
def gateway(settings, monkeypatch):
    adapter = RecordingAdapter()
    monkeypatch.setitem(notifications.ADAPTERS, adapter.channel, adapter)
    settings.NOTIFICATION_ADAPTERS = ["inapp", adapter.channel]
    return adapter


def _client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user=user)
    return c


def _wait_until(condition, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_a_broker_outage_during_money_acts_fails_no_request_and_loses_or_repeats_nothing(
        own_redis, gateway, case, people):  # noqa: F811  (case: the funds fixture)
    from celery.contrib.testing.worker import start_worker

    finance, judge = _client(people.finance), _client(people.judge)
    answers: list[tuple[str, int, float]] = []

    def timed(label, call):
        began = time.monotonic()
        r = call()
        answers.append((label, r.status_code, time.monotonic() - began))
        return r

    def money_round(i: int) -> None:
        r = timed("receipt", lambda: finance.post("/api/v1/funds/receipts/", receipt_body(
            case, bank_txn_id=f"ICBC-OUTAGE-{i:03d}", amount="1000.00"), format="json"))
        d = Disbursement.objects.get(receipt_id=r.json()["id"])
        timed("notify", lambda: judge.post(f"/api/v1/disbursements/{d.pk}/transitions/notify/", {}, format="json"))
        timed("pay", lambda: finance.post(
            f"/api/v1/disbursements/{d.pk}/transitions/pay/",
            {"payee_account_no": case.payee_account_no, "bank_ref": f"HVPS-{i:03d}"}, format="json",
            HTTP_IDEMPOTENCY_KEY=f"pay-{d.pk}"))

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        # when: the broker is up, then paused (it holds connections and answers nothing), then gone,
        # then back
        for i in range(3):
            money_round(i)
        own_redis.pause()
        for i in range(3, 5):
            money_round(i)
        own_redis.stop()
        for i in range(5, 8):
            money_round(i)
        own_redis.start()
        for i in range(8, 10):
            money_round(i)
        # the beat's sweep (as of two minutes on, and ten more for anything the broker accepted
        # but lost with the worker's connection)
        outbox_sweep(now=timezone.now() + timedelta(minutes=12))
        delivered = _wait_until(lambda: not OutboxMessage.objects.exclude(status="done").exists(), timeout=60)

    # then: no request failed, none hung
    assert [(label, code) for label, code, _ in answers if code >= 500] == []
    assert [code for _, code, _ in answers] == [201, 200, 200] * 10
    slowest = max(seconds for _, _, seconds in answers)
    assert slowest < 5, [a for a in answers if a[2] > 2]
    # every act was done once
    assert Receipt.objects.count() == 10 and PaymentKey.objects.count() == 10
    assert set(Disbursement.objects.values_list("status", flat=True)) == {"paid"}
    assert Posting.objects.filter(kind="pay").count() == 20
    acts = Counter(AuditEvent.objects.filter(action__in=["receipt.record", "disbursement.notify", "disbursement.pay"])
                   .values_list("action", flat=True))
    assert acts == {"receipt.record": 10, "disbursement.notify": 10, "disbursement.pay": 10}
    # every side effect left, and every notification reached the gateway exactly once
    assert delivered, list(OutboxMessage.objects.exclude(status="done").values("id", "status", "last_error"))
    notes = set(Notification.objects.values_list("pk", flat=True))
    assert len(notes) >= 30  # arrival to the judge, notice to finance, payment to the judge, per round
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert set(gateway.sent) == notes and set(gateway.sent.values()) == {1}
    # and the outage was seen and recorded, not hidden
    assert OutboxMessage.objects.filter(attempts__gt=1).exists()
