"""The audit trail (SPEC §12): append-only, HMAC-chained events, anchored by checkpoints outside
the database. ``audit_record`` is the only writer; ``verify_audit`` and ``checkpoint_audit`` the
commands over it."""

from .chain import (
    CURRENT_SCHEME,
    GENESIS,
    SCHEME_HMAC,
    SCHEME_SHA256,
    audit_record,
    chain_for,
    event_hash,
    is_late_entry,
    stored_event_hash,
)
from .checkpoints import (
    CheckpointStore,
    CheckpointUnreadable,
    FileCheckpointStore,
    audit_checkpoint,
    chain_heads,
    checkpoint_store,
)
from .verify import audit_verify

__all__ = [
    "CURRENT_SCHEME", "GENESIS", "SCHEME_HMAC", "SCHEME_SHA256", "CheckpointStore", "CheckpointUnreadable",
    "FileCheckpointStore", "audit_checkpoint", "audit_record", "audit_verify", "chain_for", "chain_heads",
    "checkpoint_store", "event_hash", "is_late_entry", "stored_event_hash",
]
