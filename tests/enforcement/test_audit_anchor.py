"""The anchored audit trail (SPEC §12): hashes keyed with AUDIT_KEY, checkpoints of every chain's head
outside the database, and ``verify_audit`` catching what a plain hash chain cannot — a cut tail, a
chain recomputed from an edited row on — besides edited and forged rows.

The attacks are played as someone holding the database (table owner / superuser) but not AUDIT_KEY
would: the append-only trigger is disabled inside the test's transaction first."""

from __future__ import annotations

import hashlib
import hmac
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from enforcement.audit import (
    GENESIS,
    SCHEME_HMAC,
    SCHEME_SHA256,
    audit_checkpoint,
    audit_record,
    chain_for,
    event_hash,
    stored_event_hash,
)
from enforcement.models import AuditEvent
from tests.enforcement.test_audit import _disable_append_only, closed_case  # noqa: F401  (fixture)
from tests.factories import file_case

pytestmark = pytest.mark.usefixtures("pinned_clock", "core_close_guards")


def _verify() -> tuple[str, str]:
    """Run verify_audit; return (stdout, message of the failure or '')."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def _chain_rows(case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain=chain_for(case.court_id)).order_by("seq"))


def _fields(ev: AuditEvent, **changes) -> dict:
    fields = dict(prev_hash=ev.prev_hash, chain=ev.chain, seq=ev.seq, occurred_at=ev.occurred_at,
                  recorded_at=ev.recorded_at, actor_id=ev.actor_id, court_id=ev.court_id, case_id=ev.case_id,
                  object_type=ev.object_type, object_id=ev.object_id, action=ev.action, before=ev.before,
                  after=ev.after, reason=ev.reason, late_entry=ev.late_entry)
    fields.update(changes)
    return fields


def _rewrite_from(rows: list[AuditEvent], start: int, *, hasher, scheme: int, reason: str) -> None:
    """Edit rows[start] and recompute every later hash and link with ``hasher`` — a consistent chain
    as far as anyone without the key can make one."""
    prev = rows[start - 1].hash if start else GENESIS
    for i, ev in enumerate(rows[start:]):
        fields = _fields(ev, prev_hash=prev, reason=reason if i == 0 else ev.reason)
        digest = hasher(fields)
        AuditEvent.objects.filter(pk=ev.pk).update(prev_hash=prev, hash=digest, scheme=scheme,
                                                   reason=fields["reason"])
        prev = digest


def _sha256(fields: dict) -> str:
    return event_hash(**fields, scheme=SCHEME_SHA256)


def _hmac_with_a_guessed_key(fields: dict) -> str:
    payload = {"prev": fields["prev_hash"], "chain": fields["chain"], "seq": fields["seq"],
               "reason": fields["reason"], "scheme": SCHEME_HMAC}
    blob = json.dumps(payload, sort_keys=True).encode()
    return hmac.new(b"guessed-key", blob, hashlib.sha256).hexdigest()


# --- the key ----------------------------------------------------------------------------------

@pytest.mark.smoke
def test_every_new_event_is_an_hmac_under_the_audit_key(settings, closed_case):  # noqa: F811
    # given
    event = _chain_rows(closed_case)[-1]
    # then: keyed, and reproducible only with the key
    assert event.scheme == SCHEME_HMAC
    assert stored_event_hash(event) == event.hash
    assert event_hash(**_fields(event), scheme=SCHEME_SHA256) != event.hash
    settings.AUDIT_KEY = "another-key-" * 4
    assert stored_event_hash(event) != event.hash


def test_the_scheme_is_inside_the_mac_so_a_row_cannot_be_relabelled(closed_case):  # noqa: F811
    # given: a keyed row relabelled as an old unkeyed one, its hash left alone
    event = _chain_rows(closed_case)[2]
    _disable_append_only()
    AuditEvent.objects.filter(pk=event.pk).update(scheme=SCHEME_SHA256)
    # when
    _, failure = _verify()
    # then
    assert f"#{event.pk}" in failure and "篡改" in failure


def test_rows_written_before_the_key_still_verify_under_the_old_scheme(people):
    # given: a chain started before the key (plain SHA-256, as migration 0004 labels such rows) …
    chain, prev = chain_for(people.clerk.court_id), GENESIS
    now = timezone.now()
    for seq in (1, 2, 3):
        fields = dict(prev_hash=prev, chain=chain, seq=seq, occurred_at=now, recorded_at=now,
                      actor_id=people.clerk.pk, court_id=people.clerk.court_id, case_id=None,
                      object_type="enforcement.user", object_id=str(people.clerk.pk), action="user.login",
                      before=None, after=None, reason="", late_entry=False)
        digest = event_hash(**fields, scheme=SCHEME_SHA256)
        AuditEvent.objects.create(
            chain=chain, seq=seq, occurred_at=now, recorded_at=now, actor=people.clerk,
            court_id=people.clerk.court_id, object_type="enforcement.user", object_id=str(people.clerk.pk),
            action="user.login", prev_hash=prev, hash=digest, scheme=SCHEME_SHA256)
        prev = digest
    # … and continued with keyed rows after it
    file_case(people.clerk)
    rows = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    assert [r.scheme for r in rows][:4] == [SCHEME_SHA256] * 3 + [SCHEME_HMAC]
    assert rows[3].prev_hash == rows[2].hash
    # when
    call_command("checkpoint_audit", stdout=StringIO())
    out, failure = _verify()
    # then
    assert failure == ""
    assert "审计链完整" in out


# --- checkpoints ------------------------------------------------------------------------------

@pytest.mark.smoke
def test_checkpoint_audit_appends_every_chains_head_outside_the_database(settings, people, closed_case):  # noqa: F811
    # given
    file_case(people.xg_clerk)
    out = StringIO()
    # when
    call_command("checkpoint_audit", stdout=out)
    # then: one JSON line naming, per chain, court, last id, count and head hash
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    by_chain = {c["chain"]: c for c in record["chains"]}
    for court in (people.clerk.court_id, people.xg_clerk.court_id):
        last = AuditEvent.objects.filter(chain=chain_for(court)).order_by("-seq").first()
        assert by_chain[chain_for(court)] == {
            "chain": chain_for(court), "court": court, "last_id": last.pk, "last_seq": last.seq,
            "count": AuditEvent.objects.filter(chain=chain_for(court)).count(), "head": last.hash}
    assert len(record["mac"]) == 64
    assert "已写入检查点" in out.getvalue()


def test_an_unchanged_trail_adds_no_checkpoint_and_a_new_event_adds_one(settings, people, closed_case):  # noqa: F811
    # given
    call_command("checkpoint_audit", stdout=StringIO())
    # when: nothing moved
    out = StringIO()
    call_command("checkpoint_audit", stdout=out)
    # then
    assert len(settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()) == 1
    assert "没有变化" in out.getvalue()
    # when: one more event
    audit_record(actor=people.judge, action="user.login", obj=people.judge)
    call_command("checkpoint_audit", stdout=StringIO())
    # then
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    assert len(lines) == 2
    heads = {c["chain"]: c["count"] for c in json.loads(lines[1])["chains"]}
    assert heads[chain_for(people.judge.court_id)] == len(_chain_rows(closed_case))


def test_beat_writes_a_checkpoint_every_minute(settings, closed_case):  # noqa: F811
    # given
    from enforcement.tasks import checkpoint_audit_task

    entry = settings.CELERY_BEAT_SCHEDULE["checkpoint-audit"]
    assert (entry["task"], entry["schedule"]) == ("enforcement.tasks.checkpoint_audit_task", 60.0)
    # when
    wrote = checkpoint_audit_task.apply().get()
    # then
    assert wrote is True
    assert len(settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()) == 1


class MemoryStore:
    """A store kept in the test process, standing in for WORM storage or a remote anchor."""

    records: list[dict] = []

    def append(self, record):
        self.records.append(record)

    def latest(self):
        return self.records[-1] if self.records else None


def test_the_checkpoint_store_is_a_setting(settings, closed_case):  # noqa: F811
    # given
    settings.AUDIT_CHECKPOINT_STORE = "tests.enforcement.test_audit_anchor.MemoryStore"
    MemoryStore.records = []
    # when
    call_command("checkpoint_audit", stdout=StringIO())
    # then: written there, not to the file, and verify_audit holds the chains to it
    assert len(MemoryStore.records) == 1
    assert not settings.AUDIT_CHECKPOINT_FILE.exists()
    rows = _chain_rows(closed_case)
    _disable_append_only()
    AuditEvent.objects.filter(pk=rows[-1].pk).delete()
    _, failure = _verify()
    assert "链尾被截断" in failure


# --- what verify_audit catches ----------------------------------------------------------------

def test_verify_audit_reports_agreement_with_the_latest_checkpoint(people, closed_case):  # noqa: F811
    # given: a checkpoint, then more acts after it
    record = audit_checkpoint()
    file_case(people.clerk)
    # when
    out, failure = _verify()
    # then
    assert failure == ""
    assert f"与 {record['at']} 的检查点一致" in out


@pytest.mark.smoke
def test_verify_audit_detects_a_cut_tail_before_the_checkpoint(closed_case):  # noqa: F811
    # given: the last two rows of a chain deleted after the checkpoint saw them
    call_command("checkpoint_audit", stdout=StringIO())
    rows = _chain_rows(closed_case)
    _disable_append_only()
    AuditEvent.objects.filter(pk__in=[rows[-1].pk, rows[-2].pk]).delete()
    # the rows left are a perfectly consistent chain on their own
    rest = _chain_rows(closed_case)
    assert all(stored_event_hash(e) == e.hash for e in rest)
    # when
    _, failure = _verify()
    # then
    assert "链尾被截断" in failure
    assert f"第 {rows[-2].seq}–{rows[-1].seq} 条事件缺失" in failure
    assert f"#{rows[-1].pk}" in failure


def test_verify_audit_detects_a_chain_recomputed_without_the_key(closed_case):  # noqa: F811
    # given: a middle row edited and every later hash recomputed under a guessed key
    call_command("checkpoint_audit", stdout=StringIO())
    rows = _chain_rows(closed_case)
    _disable_append_only()
    _rewrite_from(rows, 3, hasher=_hmac_with_a_guessed_key, scheme=SCHEME_HMAC, reason="事后改写")
    # when
    _, failure = _verify()
    # then: every rewritten row fails its MAC, and the head no longer matches the checkpoint
    assert f"#{rows[3].pk}" in failure and "篡改" in failure
    assert "整链重算" in failure


def test_verify_audit_detects_a_chain_recomputed_with_the_old_unkeyed_hash(closed_case):  # noqa: F811
    # given: the forger downgrades the rewritten rows to plain SHA-256, which needs no key
    rows = _chain_rows(closed_case)
    _disable_append_only()
    _rewrite_from(rows, 3, hasher=_sha256, scheme=SCHEME_SHA256, reason="事后改写")
    # every rewritten row matches its own (unkeyed) hash …
    assert all(stored_event_hash(e) == e.hash for e in _chain_rows(closed_case))
    # when: even without any checkpoint
    _, failure = _verify()
    # then: … but an unkeyed row never follows a keyed one
    assert f"#{rows[3].pk}" in failure and "无密钥的旧算法" in failure


def test_verify_audit_detects_a_legacy_chain_recomputed_after_its_checkpoint(people):
    # given: a chain of rows from before the key (plain SHA-256), checkpointed
    chain, prev, now = chain_for(people.head.court_id), GENESIS, timezone.now()
    for seq in (1, 2, 3, 4):
        fields = dict(prev_hash=prev, chain=chain, seq=seq, occurred_at=now, recorded_at=now, actor_id=None,
                      court_id=people.head.court_id, case_id=None, object_type="deadlines.ruleset",
                      object_id="1", action="ruleset.edit", before=None, after={"v": seq}, reason="",
                      late_entry=False)
        digest = event_hash(**fields, scheme=SCHEME_SHA256)
        AuditEvent.objects.create(chain=chain, seq=seq, occurred_at=now, recorded_at=now,
                                  court_id=people.head.court_id, object_type="deadlines.ruleset", object_id="1",
                                  action="ruleset.edit", after={"v": seq}, prev_hash=prev, hash=digest,
                                  scheme=SCHEME_SHA256)
        prev = digest
    call_command("checkpoint_audit", stdout=StringIO())
    # when: row 2 edited and rows 2–4 recomputed — internally consistent, since the old scheme has no key
    rows = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    _disable_append_only()
    _rewrite_from(rows, 1, hasher=_sha256, scheme=SCHEME_SHA256, reason="改写")
    _, failure = _verify()
    # then: only the checkpoint can tell, and it does
    assert "整链重算" in failure
    assert f"序号 4 的事件 #{rows[3].pk}" in failure


@pytest.mark.smoke
def test_verify_audit_detects_an_edited_middle_row(closed_case):  # noqa: F811
    # given
    call_command("checkpoint_audit", stdout=StringIO())
    target = _chain_rows(closed_case)[3]
    _disable_append_only()
    AuditEvent.objects.filter(pk=target.pk).update(after={"status": "closed"})
    # when
    _, failure = _verify()
    # then
    assert f"#{target.pk}" in failure and "篡改" in failure


def test_verify_audit_detects_a_forged_row_appended_to_a_chain(closed_case):  # noqa: F811
    # given: a row inserted at the end, linked correctly, with a hash made without the key
    last = _chain_rows(closed_case)[-1]
    fields = _fields(last, prev_hash=last.hash, seq=last.seq + 1, action="case.restore", reason="伪造")
    forged = AuditEvent.objects.create(
        chain=last.chain, seq=last.seq + 1, occurred_at=last.occurred_at, recorded_at=last.recorded_at,
        actor_id=last.actor_id, court_id=last.court_id, case_id=last.case_id, object_type=last.object_type,
        object_id=last.object_id, action="case.restore", reason="伪造", prev_hash=last.hash,
        hash=_hmac_with_a_guessed_key(fields), scheme=SCHEME_HMAC)
    # when
    _, failure = _verify()
    # then
    assert f"#{forged.pk}" in failure and "篡改" in failure


def test_verify_audit_refuses_a_checkpoint_whose_signature_does_not_match(settings, closed_case):  # noqa: F811
    # given: someone with the file but not the key rewrites the latest checkpoint to fit a cut chain
    call_command("checkpoint_audit", stdout=StringIO())
    rows = _chain_rows(closed_case)
    _disable_append_only()
    AuditEvent.objects.filter(pk=rows[-1].pk).delete()
    record = json.loads(settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()[-1])
    for entry in record["chains"]:
        if entry["chain"] == rows[-1].chain:
            entry.update(last_id=rows[-2].pk, last_seq=rows[-2].seq, count=entry["count"] - 1, head=rows[-2].hash)
    with open(settings.AUDIT_CHECKPOINT_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    # when
    _, failure = _verify()
    # then
    assert "签名不符" in failure


def test_verify_audit_fails_on_a_torn_checkpoint_line(settings, closed_case):  # noqa: F811
    # given
    call_command("checkpoint_audit", stdout=StringIO())
    with open(settings.AUDIT_CHECKPOINT_FILE, "a", encoding="utf-8") as f:
        f.write('{"kind": "audit_checkpoint", "chains": [')
    # when
    _, failure = _verify()
    # then
    assert "无法读取" in failure
    # and the next checkpoint is written after the damage, so verification recovers
    call_command("checkpoint_audit", stdout=StringIO())
    assert _verify()[1] == ""
