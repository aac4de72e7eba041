"""The chain itself (SPEC §12): append-only events, each carrying a keyed hash of its predecessor.

``audit_record`` is the only writer. One chain per court (plus ``global`` for acts outside any
court), serialised by a transaction-scoped advisory lock on PostgreSQL (SQLite serialises writers
itself), so the chain stays linear under concurrent writes without a global bottleneck.

Two hashing schemes exist, named by ``AuditEvent.scheme``:

* ``SCHEME_SHA256`` (1): plain SHA-256 of the canonical payload. Rows written before the key was
  introduced carry it. Anyone can recompute it, so it proves nothing against someone who can write
  to the database: such rows are trusted only as far as a checkpoint vouches for them, and one
  never follows a keyed row of its chain (``verify``).
* ``SCHEME_HMAC`` (2): HMAC-SHA256 of the same payload (plus the scheme) under ``AUDIT_KEY``, a
  secret from the environment that the database never holds. Every new row uses it.

Existing rows cannot be re-keyed: their hash is what the next row's ``prev_hash`` points at, and
rewriting them would need the append-only triggers lifted — exactly what the chain guards against.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from ..models import AuditEvent, Court, User

GENESIS = "0" * 64
SCHEME_SHA256 = 1
SCHEME_HMAC = 2
CURRENT_SCHEME = SCHEME_HMAC


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit_key() -> bytes:
    """The chain's secret. Settings refuse to start without one when DEBUG is off."""
    return settings.AUDIT_KEY.encode("utf-8")


def keyed_digest(payload: dict) -> str:
    """HMAC-SHA256 of a canonical JSON payload under ``AUDIT_KEY`` (events and checkpoints)."""
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(audit_key(), blob.encode("utf-8"), hashlib.sha256).hexdigest()


def event_hash(*, prev_hash: str, chain: str, seq: int, occurred_at: datetime, recorded_at: datetime,
               actor_id: int | None, court_id: int | None, case_id: int | None, object_type: str,
               object_id: str, action: str, before: Any, after: Any, reason: str, late_entry: bool,
               scheme: int = CURRENT_SCHEME) -> str:
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
    if scheme == SCHEME_SHA256:
        # The pre-key payload, unchanged, so rows written before the key still verify.
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()
    if scheme == SCHEME_HMAC:
        # The scheme is inside the MAC: a row cannot be relabelled to the unkeyed scheme.
        return keyed_digest({**payload, "scheme": scheme})
    raise ValueError(f"unknown audit hashing scheme {scheme!r}")


def stored_event_hash(event: AuditEvent) -> str:
    """Recompute ``event``'s hash from its stored fields, under the scheme it claims."""
    return event_hash(
        prev_hash=event.prev_hash, chain=event.chain, seq=event.seq, occurred_at=event.occurred_at,
        recorded_at=event.recorded_at, actor_id=event.actor_id, court_id=event.court_id, case_id=event.case_id,
        object_type=event.object_type, object_id=event.object_id, action=event.action, before=event.before,
        after=event.after, reason=event.reason, late_entry=event.late_entry, scheme=event.scheme,
    )


def _lock_chain(chain: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit:{chain}"])


def chain_for(court_id: int | None) -> str:
    return f"court:{court_id}" if court_id else "global"


def court_of_chain(chain: str) -> int | None:
    return int(chain.split(":", 1)[1]) if chain.startswith("court:") else None


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
    reason = str(reason)  # a translated label arrives lazy; the chain hashes and stores plain text
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
            after=after, reason=reason, late_entry=late, scheme=CURRENT_SCHEME,
        )
        return AuditEvent.objects.create(
            chain=chain, seq=seq, occurred_at=occurred_at, recorded_at=recorded_at, actor=actor,
            court_id=court_id, case_id=case_id, object_type=object_type, object_id=str(object_id),
            action=action, before=before, after=after, reason=reason, late_entry=late,
            prev_hash=prev_hash, hash=digest, scheme=CURRENT_SCHEME,
        )
