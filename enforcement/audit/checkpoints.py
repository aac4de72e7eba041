"""Checkpoints of every chain's head, kept outside the database (SPEC §12).

A hash chain cannot see its own end cut off, nor a row edited with every later hash recomputed by
someone who holds the database. A checkpoint — per chain: court, last id, last sequence number,
count and head hash — written every minute somewhere the database cannot reach, lets
``verify_audit`` prove that nothing before it was removed or rewritten.

The store is pluggable (``AUDIT_CHECKPOINT_STORE``, a dotted class path). The default appends one
JSON line per checkpoint to ``AUDIT_CHECKPOINT_FILE`` (under ``VAR_DIR``); a deployment that wants
the anchor off the host points the setting at a class writing to WORM storage, a syslog sink or
another court's server. Each record carries an HMAC under ``AUDIT_KEY`` so whoever can write the
file cannot forge one that matches a doctored database.
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.module_loading import import_string

from ..models import AuditEvent
from .chain import court_of_chain, keyed_digest

CHECKPOINT_KIND = "audit_checkpoint"
CHECKPOINT_VERSION = 1


class CheckpointUnreadable(Exception):
    """The store's newest record cannot be read (a torn write, or someone edited the file)."""


class CheckpointStore(Protocol):
    """Where checkpoints live. Append-only; ``latest`` answers the newest record, None when there is
    none yet, and raises CheckpointUnreadable when there is one it cannot parse."""

    def append(self, record: dict[str, Any]) -> None: ...

    def latest(self) -> dict[str, Any] | None: ...


class FileCheckpointStore:
    """JSON lines appended to a file, flushed to disk before ``append`` returns."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path if path is not None else settings.AUDIT_CHECKPOINT_FILE)

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # two beats (a misconfiguration) still write whole lines
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = "\n" + line  # after a torn write, start a line of our own
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def latest(self) -> dict[str, Any] | None:
        """The last complete line, read backwards from the end so a long history costs nothing."""
        try:
            with open(self.path, "rb") as f:
                f.seek(0, os.SEEK_END)
                end = f.tell()
                block, tail = 8192, b""
                while end > 0:
                    start = max(0, end - block)
                    f.seek(start)
                    tail = f.read(end - start) + tail
                    end = start
                    lines = tail.rstrip(b"\n").split(b"\n")
                    if len(lines) > 1 or end == 0:
                        last = lines[-1].strip()
                        break
                else:
                    return None  # an empty file
        except FileNotFoundError:
            return None
        if not last:
            return None
        try:
            record = json.loads(last)
        except ValueError as exc:
            raise CheckpointUnreadable(f"{self.path}: 末行不是完整的检查点记录") from exc
        if not isinstance(record, dict):
            raise CheckpointUnreadable(f"{self.path}: 末行不是检查点记录")
        return record


def checkpoint_store() -> CheckpointStore:
    return import_string(settings.AUDIT_CHECKPOINT_STORE)()


def chain_heads() -> list[dict[str, Any]]:
    """Every chain's head, in one statement (one snapshot, so no chain is caught mid-write)."""
    newest = AuditEvent.objects.filter(chain=OuterRef("chain")).order_by("-seq")
    rows = (
        AuditEvent.objects.order_by().values("chain")
        .annotate(count=Count("id"), last_seq=Max("seq"), last_id=Subquery(newest.values("id")[:1]),
                  head=Subquery(newest.values("hash")[:1]))
        .order_by("chain")
    )
    return [
        {"chain": r["chain"], "court": court_of_chain(r["chain"]), "last_id": r["last_id"],
         "last_seq": r["last_seq"], "count": r["count"], "head": r["head"]}
        for r in rows
    ]


def checkpoint_mac(record: dict[str, Any]) -> str:
    return keyed_digest({k: v for k, v in record.items() if k != "mac"})


def checkpoint_is_authentic(record: dict[str, Any]) -> bool:
    return isinstance(record.get("mac"), str) and hmac.compare_digest(record["mac"], checkpoint_mac(record))


def audit_checkpoint(*, store: CheckpointStore | None = None, force: bool = False) -> dict[str, Any] | None:
    """Write a checkpoint of every chain's head; None when nothing changed since the latest one.

    Safe to repeat and to run on two workers at once: an unchanged trail writes nothing, and two
    identical records side by side say the same thing.
    """
    store = store or checkpoint_store()
    heads = chain_heads()
    try:
        latest = store.latest()
    except CheckpointUnreadable:
        latest = None  # write a good one after it; verify_audit still reports the damage until then
    if not force and latest is not None and checkpoint_is_authentic(latest) and latest.get("chains") == heads:
        return None
    record: dict[str, Any] = {
        "kind": CHECKPOINT_KIND,
        "version": CHECKPOINT_VERSION,
        "at": timezone.now().isoformat(timespec="seconds"),
        "chains": heads,
    }
    record["mac"] = checkpoint_mac(record)
    store.append(record)
    return record
