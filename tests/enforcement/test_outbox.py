"""The transactional outbox (STYLE: side effects that leave the database are outbox rows written in the
act's transaction, sent by a relay after commit and by a sweep; a broker outage never fails the act)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from enforcement import outbox
from enforcement.models import IdempotencyRecord, Notification, OutboxMessage
from enforcement.notifications import DELIVER_TOPIC, notify
from funds.models import Disbursement
from tests.funds.conftest import case, receipt_body, rules  # noqa: F401  (fixtures)


@pytest.fixture
def broker_down(monkeypatch):
    """Every hand-over to the broker fails as kombu fails when Redis refuses the connection."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(outbox.outbox_dispatch, "apply_async", refuse)
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    return calls


@pytest.fixture
def eager(settings):
    from enforcement.celery import app

    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False


def test_a_side_effect_is_an_outbox_row_of_the_acts_transaction_sent_after_commit(
        people, eager, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=False) as pending:
        notes = notify(recipients=[people.judge], kind="test", title="通知")
        message = OutboxMessage.objects.get()
    # then: written, not yet sent, until the transaction commits
    assert (message.topic, message.payload, message.status) == (DELIVER_TOPIC, {"ids": [notes[0].pk]}, "queued")
    assert Notification.objects.get().status == "queued"
    for callback in pending:
        callback()
    message.refresh_from_db()
    assert message.status == "done" and message.attempts == 1
    assert Notification.objects.get().status == "sent"


def test_a_rolled_back_act_leaves_no_outbox_row_and_sends_nothing(people, broker_down):
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[people.judge], kind="test", title="通知")
        raise RuntimeError("the act is refused after queueing")
    # then
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists()
    assert broker_down == []


def test_a_money_act_answers_normally_when_the_broker_refuses_and_its_messages_stay_queued(
        case, people, api, broker_down, django_capture_on_commit_callbacks):  # noqa: F811  (the funds fixture)
    # when: a receipt arrives through the API while the broker is down
    with django_capture_on_commit_callbacks(execute=True):
        r = api(people.finance).post("/api/v1/funds/receipts/", receipt_body(case), format="json")
    # then: the act committed and answered; its side effect waits, with the reason recorded
    assert r.status_code == 201
    assert Disbursement.objects.filter(receipt_id=r.json()["id"]).exists()
    # (the judge's notice and, since issue 14, the party's message: both wait; the first relay met the refusal)
    queued = list(OutboxMessage.objects.order_by("id"))
    assert queued and all(m.status == "queued" for m in queued)
    assert any(m.attempts == 1 and "Connection refused" in m.last_error for m in queued)


def test_after_a_broker_failure_the_web_process_leaves_relaying_to_the_sweep_for_a_while(
        people, broker_down, django_capture_on_commit_callbacks):
    # given: one relay found the broker down
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[people.judge], kind="test", title="一")
    # when: the next acts commit moments later
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[people.judge], kind="test", title="二")
        notify(recipients=[people.judge], kind="test", title="三")
    # then: no second wait on the dead broker
    assert len(broker_down) == 1
    assert OutboxMessage.objects.filter(status="queued").count() == 3


def test_the_sweep_resends_what_is_still_queued_after_a_minute(people, eager):
    # given: two rows the relay could not send, one written 2 minutes ago and one just now
    old, new = (outbox.outbox_send(topic=DELIVER_TOPIC, payload={"ids": [n.pk]})
                for n in (notify(recipients=[people.judge], kind="t", title="旧")[0],
                          notify(recipients=[people.judge], kind="t", title="新")[0]))
    OutboxMessage.objects.filter(pk__in=[old.pk, new.pk]).update(status="queued")
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    OutboxMessage.objects.exclude(pk__in=[old.pk, new.pk]).delete()  # the rows notify() queued itself
    # when
    result = outbox.outbox_sweep()
    # then
    assert result["relayed"] == 1
    assert dict(OutboxMessage.objects.values_list("pk", "status")) == {old.pk: "done", new.pk: "queued"}


def test_the_sweep_requeues_a_message_the_broker_took_but_no_worker_ran(people, broker_down):
    # given: a row handed to the broker 11 minutes ago and never run (the broker lost it)
    notify(recipients=[people.judge], kind="t", title="丢失")
    OutboxMessage.objects.update(status="sent", created_at=timezone.now() - timedelta(minutes=11),
                                 last_attempt_at=timezone.now() - timedelta(minutes=11))
    # when
    result = outbox.outbox_sweep()
    # then: it is sent again (here the broker is down, so it waits queued for the next sweep)
    assert result["requeued"] == 1 and len(broker_down) == 1
    assert OutboxMessage.objects.get().status == "queued"


def test_a_message_is_carried_out_once_however_often_it_is_delivered(people):
    # given
    note = notify(recipients=[people.judge], kind="t", title="一次")[0]
    message = OutboxMessage.objects.get()
    # when: the broker delivers the task three times
    runs = [outbox.outbox_run(message.pk) for _ in range(3)]
    # then
    assert runs == [True, False, False]
    note.refresh_from_db()
    assert note.status == "sent"


def test_a_failing_handler_leaves_the_message_for_a_retry(people, monkeypatch):
    # given
    notify(recipients=[people.judge], kind="t", title="重试")
    message = OutboxMessage.objects.get()
    monkeypatch.setitem(outbox._handlers, DELIVER_TOPIC, lambda **payload: 1 / 0)
    # when / then
    with pytest.raises(ZeroDivisionError):
        outbox.outbox_run(message.pk)
    message.refresh_from_db()
    assert message.status == "sent" and "ZeroDivisionError" in message.last_error
    # and the task's retry carries it out
    monkeypatch.undo()
    assert outbox.outbox_run(message.pk) is True


def test_a_topic_without_a_handler_is_refused_when_written(db):
    with pytest.raises(LookupError):
        outbox.outbox_send(topic="no.such.topic", payload={})
    assert not OutboxMessage.objects.exists()


def test_every_module_that_sends_registered_its_handler():
    assert {"notifications.deliver", "credit.platform"} <= outbox.outbox_topics()


def test_the_sweep_forgets_done_rows_and_idempotency_keys_past_retention(people, settings):
    # given
    notify(recipients=[people.judge], kind="t", title="旧")
    OutboxMessage.objects.update(status="done", done_at=timezone.now() - settings.OUTBOX_KEEP_DONE - timedelta(hours=1))
    IdempotencyRecord.objects.create(user=people.judge, key="k-old", fingerprint="x", status_code=201,
                                     created_at=timezone.now() - settings.IDEMPOTENCY_KEY_TTL - timedelta(hours=1))
    IdempotencyRecord.objects.create(user=people.judge, key="k-new", fingerprint="x", status_code=201)
    # when
    result = outbox.outbox_sweep()
    # then
    assert (result["purged"], result["expired_keys"]) == (1, 1)
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k-new"]
    assert settings.IDEMPOTENCY_KEY_TTL >= timedelta(hours=24)  # SPEC §13: kept at least 24 hours


def test_relay_outbox_command_sends_everything_queued_and_says_what_is_left(people, broker_down):
    from io import StringIO

    from django.core.management import call_command

    notify(recipients=[people.judge], kind="t", title="待发")
    out, err = StringIO(), StringIO()
    call_command("relay_outbox", stdout=out, stderr=err)
    assert "仍待发出 1 条" in out.getvalue() and "Redis" in err.getvalue()
    assert len(broker_down) == 1
