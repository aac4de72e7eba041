"""The audit trail (SPEC §12): append-only, hash-chained events.

``audit_record`` is the only writer. One chain per court (plus ``global`` for acts outside any
court), serialised by a transaction-scoped advisory lock on PostgreSQL (SQLite serialises writers
itself), so the chain stays linear under concurrent writes without a global bottleneck.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEvent, Court, User

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def event_hash(*, prev_hash: str, chain: str, seq: int, occurred_at: datetime, recorded_at: datetime,
               actor_id: int | None, court_id: int | None, case_id: int | None, object_type: str,
               object_id: str, action: str, before: Any, after: Any, reason: str, late_entry: bool) -> str:
    payload = {
        "prev": prev_hash,
        "chain": chain,
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "recorded_at": recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "court": court_id,
        "case": case_id,
        "object_type": object_type,
        "object_id": str(object_id),
        "action": action,
        "before": before,
        "after": after,
        "reason": reason,
        "late_entry": late_entry,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _lock_chain(chain: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit:{chain}"])


def chain_for(court_id: int | None) -> str:
    return f"court:{court_id}" if court_id else "global"


def is_late_entry(occurred_at: datetime, recorded_at: datetime) -> bool:
    """An entry more than LATE_ENTRY_DAYS after the act is flagged (SPEC §13 event time)."""
    return recorded_at - occurred_at > timedelta(days=settings.LATE_ENTRY_DAYS)


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    court: Court | int | None = None,
    case_id: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    occurred_at: datetime | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    if object_type is None or object_id is None:
        raise ValueError("audit_record needs obj or object_type + object_id")
    court_id = court.pk if isinstance(court, Court) else court
    if court_id is None and actor is not None:
        court_id = actor.court_id
    recorded_at = timezone.now()
    occurred_at = occurred_at or recorded_at
    before, after = _jsonable(before), _jsonable(after)
    chain = chain_for(court_id)
    late = is_late_entry(occurred_at, recorded_at)
    with transaction.atomic():
        _lock_chain(chain)
        last = AuditEvent.objects.filter(chain=chain).order_by("-seq").values("seq", "hash").first()
        seq = (last["seq"] if last else 0) + 1
        prev_hash = last["hash"] if last else GENESIS
        digest = event_hash(
            prev_hash=prev_hash, chain=chain, seq=seq, occurred_at=occurred_at, recorded_at=recorded_at,
            actor_id=actor.pk if actor else None, court_id=court_id, case_id=case_id,
            object_type=object_type, object_id=str(object_id), action=action, before=before,
            after=after, reason=reason, late_entry=late,
        )
        return AuditEvent.objects.create(
            chain=chain, seq=seq, occurred_at=occurred_at, recorded_at=recorded_at, actor=actor,
            court_id=court_id, case_id=case_id, object_type=object_type, object_id=str(object_id),
            action=action, before=before, after=after, reason=reason, late_entry=late,
            prev_hash=prev_hash, hash=digest,
        )


def audit_verify() -> Iterator[str]:
    """Yield one line per problem found; nothing when every chain is intact."""
    chains = AuditEvent.objects.values_list("chain", flat=True).distinct().order_by("chain")
    for chain in chains:
        expected_seq, prev_hash = 1, GENESIS
        rows = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
        for ev in rows:
            if ev.seq != expected_seq:
                yield f"[{chain}] 第 {expected_seq}–{ev.seq - 1} 条事件缺失（疑似被删除）"
            if ev.prev_hash != prev_hash:
                yield f"[{chain}] 事件 #{ev.pk}（序号 {ev.seq}）的前序哈希不符：链条断裂"
            digest = event_hash(
                prev_hash=ev.prev_hash, chain=ev.chain, seq=ev.seq, occurred_at=ev.occurred_at,
                recorded_at=ev.recorded_at, actor_id=ev.actor_id, court_id=ev.court_id, case_id=ev.case_id,
                object_type=ev.object_type, object_id=ev.object_id, action=ev.action, before=ev.before,
                after=ev.after, reason=ev.reason, late_entry=ev.late_entry,
            )
            if digest != ev.hash:
                yield f"[{chain}] 事件 #{ev.pk}（序号 {ev.seq}，{ev.action}）内容与哈希不符：已被篡改"
            expected_seq, prev_hash = ev.seq + 1, ev.hash
