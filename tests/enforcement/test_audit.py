"""The audit trail (SPEC §12): one event per act with who/when/court/object/before/after, append-only
in the database itself, hash-chained so ``manage.py verify_audit`` detects an edited or removed row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cases import services
from cases.models import CaseStatus, Closure
from enforcement.models import AuditEvent
from tests.factories import advance, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock", "core_close_guards")


@pytest.fixture
def closed_case(people):
    case = advance(file_case(people.clerk), CaseStatus.SUSPENDED, bureau=people.bureau, judge=people.judge)
    case = services.case_resume(case=case, actor=people.judge, reason="中止事由消失")
    return services.case_close(case=case, actor=people.judge, closure=Closure.PERFORMED, reason="全部履行")


# --- what is recorded ---------------------------------------------------------------------

@pytest.mark.smoke
def test_every_transition_writes_one_event_with_before_after_actor_and_court(people, closed_case):
    # when
    rows = list(AuditEvent.objects.filter(case_id=closed_case.pk).order_by("seq"))
    # then
    expected = [
        ("case.file", people.clerk, None, "filed"),
        ("case.receive", people.bureau, "filed", "received"),
        ("case.assign", people.bureau, "received", "received"),
        ("case.accept", people.judge, "received", "in_progress"),
        ("case.suspend", people.judge, "in_progress", "suspended"),
        ("case.resume", people.judge, "suspended", "in_progress"),
        ("case.close", people.judge, "in_progress", "closed"),
    ]
    assert [(e.action, e.actor, (e.before or {}).get("status"), e.after["status"]) for e in rows] == expected
    for e in rows:
        assert (e.court_id, e.case_id, e.object_type, e.object_id) == (
            closed_case.court_id, closed_case.pk, "cases.case", str(closed_case.pk))
        assert len(e.hash) == 64
    assign = rows[2]
    assert (assign.before["judge"], assign.after["judge"]) == (None, people.judge.pk)
    close = rows[-1]
    assert (close.after["closure"], close.reason) == ("performed", "全部履行")
    assert rows[0].after["number"] == closed_case.number


def test_events_are_hash_chained_per_court(people, closed_case):
    # given
    file_case(people.xg_clerk)
    # when
    chains = {}
    for e in AuditEvent.objects.order_by("chain", "seq"):
        chains.setdefault(e.chain, []).append(e)
    # then
    assert {f"court:{people.clerk.court_id}", f"court:{people.xg_clerk.court_id}"} <= set(chains)
    for rows in chains.values():
        assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
        assert rows[0].prev_hash == "0" * 64
        assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))


def test_the_events_endpoint_lists_a_cases_events_oldest_first(people, api, closed_case):
    # when
    r = api(people.supervisor).get(f"/api/v1/cases/{closed_case.pk}/events/")
    # then
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 7
    actions = [e["action"] for e in body["results"]]
    assert actions == ["case.file", "case.receive", "case.assign", "case.accept", "case.suspend", "case.resume",
                       "case.close"]
    first = body["results"][0]
    assert {"id", "occurred_at", "recorded_at", "actor", "actor_name", "court", "case_id", "action", "before",
            "after", "reason", "late_entry", "hash"} <= set(first)
    assert first["actor_name"] == "李立案"
    times = [e["occurred_at"] for e in body["results"]]
    assert times == sorted(times)


def test_events_are_ordered_by_when_they_happened_not_when_entered(people, api):
    # given: the filing is entered backdated, after nothing else — then a live act
    from datetime import datetime
    from zoneinfo import ZoneInfo

    case = file_case(people.clerk, filed_at=datetime(2026, 11, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    services.case_receive(case=case, actor=people.bureau)
    # when
    results = api(people.bureau).get(f"/api/v1/cases/{case.pk}/events/").json()["results"]
    # then
    assert [e["action"] for e in results] == ["case.file", "case.receive"]
    assert results[0]["occurred_at"].startswith("2026-11-01T09:00:00")


# --- append-only in the database ---------------------------------------------------------

def _orm_update(e):
    AuditEvent.objects.filter(pk=e.pk).update(reason="改写")


def _orm_delete(e):
    AuditEvent.objects.filter(pk=e.pk).delete()


def _instance_save(e):
    e.reason = "改写"
    e.save()


def _instance_delete(e):
    e.delete()


def _raw_update(e):
    with connection.cursor() as c:
        c.execute("UPDATE enforcement_auditevent SET reason = %s WHERE id = %s", ["改写", e.pk])


def _raw_delete(e):
    with connection.cursor() as c:
        c.execute("DELETE FROM enforcement_auditevent WHERE id = %s", [e.pk])


def _raw_delete_all(e):
    with connection.cursor() as c:
        c.execute("DELETE FROM enforcement_auditevent")


@pytest.mark.smoke
@pytest.mark.parametrize("tamper", [_orm_update, _orm_delete, _instance_save, _instance_delete, _raw_update,
                                    _raw_delete, _raw_delete_all])
def test_the_database_refuses_to_update_or_delete_an_event(closed_case, tamper):
    # given
    event = AuditEvent.objects.filter(case_id=closed_case.pk).order_by("seq")[2]
    original, count = event.reason, AuditEvent.objects.count()
    # when
    with pytest.raises(DatabaseError), transaction.atomic():
        tamper(event)
    # then
    assert AuditEvent.objects.count() == count
    assert AuditEvent.objects.get(pk=event.pk).reason == original


# --- verify_audit -------------------------------------------------------------------------

def _disable_append_only() -> None:
    """Simulate someone with table-owner rights going around the application (test only)."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred; settle them so the table has no pending trigger events.
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
            c.execute("ALTER TABLE enforcement_auditevent DISABLE TRIGGER enforcement_auditevent_append_only")
        else:
            c.execute("DROP TRIGGER enforcement_auditevent_no_update")
            c.execute("DROP TRIGGER enforcement_auditevent_no_delete")


def test_verify_audit_passes_on_an_intact_chain(people, closed_case):
    # given
    file_case(people.xg_clerk)
    out = StringIO()
    # when
    call_command("verify_audit", stdout=out, stderr=StringIO())
    # then
    assert "审计链完整" in out.getvalue()
    assert str(AuditEvent.objects.count()) in out.getvalue()


@pytest.mark.smoke
def test_verify_audit_fails_naming_the_row_whose_content_was_edited(closed_case):
    # given
    target = AuditEvent.objects.filter(case_id=closed_case.pk).order_by("seq")[3]
    _disable_append_only()
    AuditEvent.objects.filter(pk=target.pk).update(reason="事后改写的理由")
    err = StringIO()
    # when
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    # then
    assert f"#{target.pk}" in str(exc.value)
    assert "篡改" in str(exc.value)
    assert f"#{target.pk}" in err.getvalue()


def test_verify_audit_fails_when_a_middle_row_was_deleted(closed_case):
    # given
    rows = list(AuditEvent.objects.filter(case_id=closed_case.pk).order_by("seq"))
    victim, successor = rows[3], rows[4]
    _disable_append_only()
    AuditEvent.objects.filter(pk=victim.pk).delete()
    # when
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    # then
    message = str(exc.value)
    assert "缺失" in message and f"第 {victim.seq}–{victim.seq} 条" in message
    assert f"#{successor.pk}" in message


def test_verify_audit_fails_when_the_hash_was_recomputed_for_a_forged_row(closed_case):
    # given: a forger rewrites a row and its own hash — the next row's prev_hash still betrays it
    from enforcement.audit import event_hash

    rows = list(AuditEvent.objects.filter(case_id=closed_case.pk).order_by("seq"))
    forged, successor = rows[2], rows[3]
    _disable_append_only()
    fields = dict(prev_hash=forged.prev_hash, chain=forged.chain, seq=forged.seq, occurred_at=forged.occurred_at,
                  recorded_at=forged.recorded_at, actor_id=forged.actor_id, court_id=forged.court_id,
                  case_id=forged.case_id, object_type=forged.object_type, object_id=forged.object_id,
                  action=forged.action, before=forged.before, after=forged.after, reason="伪造", late_entry=False)
    AuditEvent.objects.filter(pk=forged.pk).update(reason="伪造", hash=event_hash(**fields))
    # when
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    # then
    assert f"#{successor.pk}" in str(exc.value)


# --- login --------------------------------------------------------------------------------

@pytest.mark.smoke
def test_token_login_is_audited_and_the_token_works(people, api):
    # when
    r = api().post("/api/v1/auth/token/", {"username": "ly_judge", "password": "demo"}, format="json")
    # then
    assert r.status_code == 200
    token = r.json()["token"]
    event = AuditEvent.objects.get(action="user.token_login")
    assert (event.actor, event.court_id) == (people.judge, people.judge.court_id)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "ly_judge"


@pytest.mark.parametrize("body", [
    {"username": "ly_judge", "password": "wrong"},
    {"username": "nobody", "password": "demo"},
])
def test_a_wrong_password_is_refused_and_not_a_login(people, api, body):
    # when
    r = api().post("/api/v1/auth/token/", body, format="json")
    # then
    assert r.status_code == 401
    assert r.json()["code"] == "authentication_failed"
    assert not AuditEvent.objects.filter(action="user.token_login").exists()


def test_an_inactive_user_cannot_log_in(people, api):
    # given
    people.officer.is_active = False
    people.officer.save(update_fields=["is_active"])
    # when
    r = api().post("/api/v1/auth/token/", {"username": "ly_officer", "password": "demo"}, format="json")
    # then
    assert r.status_code == 401


def test_a_login_without_a_password_is_malformed(people, api):
    # when
    r = api().post("/api/v1/auth/token/", {"username": "ly_judge"}, format="json")
    # then
    assert r.status_code == 400
    assert "password" in r.json()["errors"]


def test_a_bad_token_is_refused(people, api):
    # given
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    # when
    r = client.get("/api/v1/me/")
    # then
    assert r.status_code == 401
    assert r.json()["code"] == "authentication_failed"
